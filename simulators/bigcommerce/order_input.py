"""Reading ``POST /v2/orders`` and ``PUT /v2/orders/{id}`` bodies as BigCommerce does:
every refusal names its field, and nothing is created from a body that fails."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from simulators.bigcommerce.errors import ApiError
from simulators.bigcommerce.records import STATUSES, Address, Order, OrderProduct
from simulators.bigcommerce.store import Store

READ_ONLY = ("external_id", "id", "date_modified", "date_shipped")
MAX_TEXT = 255
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "street_1",
    "street_2",
    "city",
    "state",
    "zip",
    "country",
    "country_iso2",
    "phone",
    "email",
)


def refuse(field: str, message: str) -> ApiError:
    return ApiError(400, f"The field '{field}' is invalid: {message}")


def _money(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise refuse(field, "must be a number") from None
    if not number.is_finite() or number < 0:
        raise refuse(field, "must be zero or more")
    return number


def _address(value: Any, field: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise refuse(field, "must be an object")
    unknown = sorted(set(value) - set(ADDRESS_FIELDS))
    if unknown:
        raise refuse(f"{field}.{unknown[0]}", "is not an address field")
    return {key: str(value[key]) for key in ADDRESS_FIELDS if value.get(key) is not None}


def _line(store: Store, value: Any, field: str, order_id: int) -> OrderProduct:
    if not isinstance(value, dict):
        raise refuse(field, "must be an object")
    quantity = value.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise refuse(f"{field}.quantity", "must be a whole number of 1 or more")
    line_id = store.next_id()
    if "product_id" not in value:  # a custom product: no catalog link, no stock
        name = value.get("name")
        if not isinstance(name, str) or not name:
            raise refuse(f"{field}.name", "is required for a custom product")
        inc = _money(value.get("price_inc_tax"), f"{field}.price_inc_tax")
        ex = _money(value.get("price_ex_tax", inc), f"{field}.price_ex_tax")
        sku = str(value.get("sku") or "")
        return OrderProduct(line_id, order_id, 0, None, name, sku, quantity, inc, ex)
    product = (
        store.products.get(value["product_id"]) if isinstance(value["product_id"], int) else None
    )
    if product is None:
        raise refuse(f"{field}.product_id", "is not a product of this store")
    variant_id = value.get("variant_id")
    if variant_id is None and len(product.variants) == 1:
        variant_id = product.variants[0].id
    variant = next((v for v in product.variants if v.id == variant_id), None)
    if variant is None:
        raise refuse(f"{field}.variant_id", "is not a variant of the product")
    base = variant.price if variant.price is not None else product.price
    inc = _money(value.get("price_inc_tax", base), f"{field}.price_inc_tax")
    ex = _money(value.get("price_ex_tax", inc), f"{field}.price_ex_tax")
    return OrderProduct(
        line_id, order_id, product.id, variant.id, product.name, variant.sku, quantity, inc, ex
    )


def _text(body: dict[str, Any], field: str, default: str = "") -> str:
    value = body.get(field, default)
    if not isinstance(value, str) or len(value) > MAX_TEXT * 40:
        raise refuse(field, "must be a string")
    return value


def _status(body: dict[str, Any], default: int) -> int:
    status = body.get("status_id", default)
    if not isinstance(status, int) or isinstance(status, bool) or status not in STATUSES:
        raise refuse("status_id", "is not a known order status id")
    return status


def new_order(store: Store, body: Any) -> Order:
    """The order a create body describes (not yet placed)."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be an object.")
    for field in READ_ONLY:
        if field in body:
            raise ApiError(400, f"The field '{field}' cannot be written to.")
    products = body.get("products")
    if not isinstance(products, list) or not products:
        raise refuse("products", "at least one product is required")
    order_id = next(store.order_ids)
    lines = [_line(store, item, f"products[{n}]", order_id) for n, item in enumerate(products)]
    billing = _address(body.get("billing_address"), "billing_address")
    shipping = body.get("shipping_addresses", [])
    if not isinstance(shipping, list):
        raise refuse("shipping_addresses", "must be a list")
    addresses = [
        Address(store.next_id(), _address(item, f"shipping_addresses[{n}]"))
        for n, item in enumerate(shipping)
    ]
    external = _text(body, "external_order_id")
    if len(external) > MAX_TEXT:
        raise refuse("external_order_id", f"must be at most {MAX_TEXT} characters")
    now = store.clock.now()
    return Order(
        id=order_id,
        status_id=_status(body, 1),
        date_created=now,
        date_modified=now,
        customer_id=int(body.get("customer_id") or 0),
        billing_address=billing,
        currency_code=store.config.currency,
        products=lines,
        addresses=addresses,
        external_source=_text(body, "external_source"),
        external_order_id=external,
        staff_notes=_text(body, "staff_notes"),
        customer_message=_text(body, "customer_message"),
        payment_method=_text(body, "payment_method"),
        channel_id=int(body.get("channel_id") or 1),
        shipping_cost_inc_tax=_money(body.get("shipping_cost_inc_tax", 0), "shipping_cost_inc_tax"),
        discount_amount=_money(body.get("discount_amount", 0), "discount_amount"),
    )


def apply_update(store: Store, order: Order, body: Any) -> None:
    """A ``PUT /v2/orders/{id}``: the fields given, checked first, then applied."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be an object.")
    for field in (*READ_ONLY, "products"):
        if field in body:
            raise ApiError(400, f"The field '{field}' cannot be written to.")
    known = {
        "status_id",
        "staff_notes",
        "customer_message",
        "external_order_id",
        "external_source",
        "payment_method",
    }
    unknown = sorted(set(body) - known)
    if unknown:
        raise refuse(unknown[0], "cannot be updated through this simulator")
    status = _status(body, order.status_id)
    texts = {field: _text(body, field) for field in known - {"status_id"} if field in body}
    changed = any(getattr(order, field) != value for field, value in texts.items())
    for field, value in texts.items():
        setattr(order, field, value)
    if changed:
        store.touch_order(order)
    store.set_status(order, status)
