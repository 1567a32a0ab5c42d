"""Pure translation between Shopify's wire shapes and the daemon's types. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from daemon.connectors.shopify.models import (
    FulfillmentOrderWire,
    FulfillmentWire,
    InventoryLevelWire,
    LocationWire,
    OrderWire,
    ProductWire,
    ShopWire,
    VariantWire,
)
from daemon.domain.models import (
    BadRecord,
    Image,
    Location,
    Money,
    Product,
    ProductState,
    StockLevel,
    StoreInfo,
    Variant,
    Weight,
    WeightUnit,
)
from daemon.domain.orders import (
    Buyer,
    FulfilledLine,
    FulfillmentOrderLine,
    OrderDraft,
    PostalAddress,
    StoreFulfillment,
    StoreFulfillmentOrder,
    StoreOrder,
    StoreOrderLine,
    TaxLine,
)

# Shopify's placeholder option of a product without real options.
_DEFAULT_OPTION = ("Title", "Default Title")


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def store_info(shop: ShopWire) -> StoreInfo:
    return StoreInfo(
        name=shop.name,
        currency=shop.currency.upper(),
        domain=shop.myshopify_domain or shop.domain or "",
    )


def _option_names(product: ProductWire) -> tuple[str, ...]:
    names = tuple(option.name for option in sorted(product.options, key=lambda o: o.position))
    if names == (_DEFAULT_OPTION[0],) and all(
        v.option1 == _DEFAULT_OPTION[1] for v in product.variants
    ):
        return ()
    return names


def _weight(variant: VariantWire) -> Weight | None:
    # Shopify reports 0 for "no weight entered": treat it as absent so defaults can apply.
    if variant.weight is None or variant.weight <= 0 or variant.weight_unit is None:
        return None
    return Weight(variant.weight, WeightUnit(variant.weight_unit))


def variant_from_wire(
    variant: VariantWire,
    option_names: tuple[str, ...],
    tracked: Mapping[int, bool],
    currency: str,
    image_urls: Mapping[int, str],
) -> Variant:
    values = (variant.option1, variant.option2, variant.option3)
    options = tuple(
        (name, value)
        for name, value in zip(option_names, values, strict=False)
        if value is not None
    )
    is_tracked = tracked.get(variant.inventory_item_id)
    if is_tracked is None:  # the item was not found: fall back to the older variant field
        is_tracked = variant.inventory_management == "shopify"
    return Variant(
        id=str(variant.id),
        sku=_blank_to_none(variant.sku),
        barcode=_blank_to_none(variant.barcode),
        price=Money(variant.price, currency),
        options=options,
        inventory_item_id=str(variant.inventory_item_id),
        tracked=is_tracked,
        continue_selling=variant.inventory_policy == "continue",
        weight=_weight(variant),
        compare_at_price=(
            None if variant.compare_at_price is None else Money(variant.compare_at_price, currency)
        ),
        image_url=None if variant.image_id is None else image_urls.get(variant.image_id),
    )


def product_from_wire(product: ProductWire, tracked: Mapping[int, bool], currency: str) -> Product:
    names = _option_names(product)
    images = sorted(product.images, key=lambda image: image.position)
    urls = {image.id: image.src for image in images}
    variants = sorted(product.variants, key=lambda variant: variant.position)
    return Product(
        id=str(product.id),
        title=product.title,
        description_html=product.body_html or "",
        state=ProductState(product.status),
        updated_at=utc(product.updated_at),
        variants=tuple(variant_from_wire(v, names, tracked, currency, urls) for v in variants),
        images=tuple(
            Image(url=image.src, position=index, width=image.width, height=image.height)
            for index, image in enumerate(images, start=1)
        ),
        option_names=names,
        vendor=_blank_to_none(product.vendor),
        product_type=_blank_to_none(product.product_type),
        tags=frozenset(tag.strip() for tag in product.tags.split(",") if tag.strip()),
    )


def raw_id(raw: object) -> str:
    """The id of an unreadable record, as far as it can be told."""
    if isinstance(raw, Mapping):
        value = raw.get("id")
        if isinstance(value, int | str) and not isinstance(value, bool):
            return str(value)
    return "unknown"


def parse_product(raw: object) -> ProductWire | BadRecord:
    try:
        return ProductWire.model_validate(raw)
    except ValidationError as exc:
        return BadRecord("product", raw_id(raw), validation_summary(exc))


def product_or_bad(
    wire: ProductWire | BadRecord, tracked: Mapping[int, bool], currency: str
) -> Product | BadRecord:
    if isinstance(wire, BadRecord):
        return wire
    try:
        return product_from_wire(wire, tracked, currency)
    except ValueError as exc:
        return BadRecord("product", str(wire.id), str(exc))


def location_from_wire(location: LocationWire) -> Location:
    return Location(id=str(location.id), name=location.name, active=location.active)


def stock_from_wire(level: InventoryLevelWire) -> StockLevel | None:
    """None when Shopify reports no count (``available: null``, e.g. an untracked item)."""
    if level.available is None:
        return None
    return StockLevel(str(level.inventory_item_id), str(level.location_id), level.available)


def order_from_wire(order: OrderWire) -> StoreOrder:
    currency = order.currency.upper()
    return StoreOrder(
        id=str(order.id),
        name=order.name,
        currency=currency,
        total_price=Money(order.total_price, currency),
        financial_status=order.financial_status,
        fulfillment_status=order.fulfillment_status,
        cancelled_at=None if order.cancelled_at is None else utc(order.cancelled_at),
        cancel_reason=order.cancel_reason,
        tags=frozenset(tag.strip() for tag in order.tags.split(",") if tag.strip()),
        note=order.note,
        note_attributes=tuple((a.name, a.value or "") for a in order.note_attributes),
        source_name=order.source_name,
        source_identifier=order.source_identifier,
        lines=tuple(
            StoreOrderLine(
                id=str(line.id),
                variant_id=None if line.variant_id is None else str(line.variant_id),
                sku=_blank_to_none(line.sku),
                title=line.title,
                quantity=line.quantity,
                price=Money(line.price, currency),
                fulfillable_quantity=line.fulfillable_quantity,
            )
            for line in order.line_items
        ),
        created_at=utc(order.created_at),
        updated_at=utc(order.updated_at),
    )


def fulfillment_from_wire(
    fulfillment: FulfillmentWire, order_name: str | None = None
) -> StoreFulfillment:
    numbers = fulfillment.tracking_numbers or (
        [fulfillment.tracking_number] if fulfillment.tracking_number else []
    )
    urls = fulfillment.tracking_urls or (
        [fulfillment.tracking_url] if fulfillment.tracking_url else []
    )
    return StoreFulfillment(
        id=str(fulfillment.id),
        order_id=str(fulfillment.order_id),
        order_name=order_name,
        status=fulfillment.status,
        tracking_company=_blank_to_none(fulfillment.tracking_company),
        tracking_numbers=tuple(numbers),
        tracking_urls=tuple(urls),
        lines=tuple(
            FulfilledLine(
                line_item_id=str(line.id),
                variant_id=None if line.variant_id is None else str(line.variant_id),
                sku=_blank_to_none(line.sku),
                quantity=line.quantity,
            )
            for line in fulfillment.line_items
        ),
        created_at=utc(fulfillment.created_at),
        updated_at=utc(fulfillment.updated_at),
    )


def fulfillment_order_from_wire(order: FulfillmentOrderWire) -> StoreFulfillmentOrder:
    return StoreFulfillmentOrder(
        id=str(order.id),
        order_id=str(order.order_id),
        location_id=None if order.assigned_location_id is None else str(order.assigned_location_id),
        status=order.status,
        supported_actions=frozenset(order.supported_actions),
        lines=tuple(
            FulfillmentOrderLine(
                id=str(line.id),
                line_item_id=str(line.line_item_id),
                variant_id=None if line.variant_id is None else str(line.variant_id),
                quantity=line.quantity,
                fulfillable_quantity=line.fulfillable_quantity,
            )
            for line in order.line_items
        ),
    )


def _amount(money: Money, currency: str) -> str:
    if money.currency != currency:
        raise ValueError(f"amount in {money.currency} on an order in {currency}")
    return str(money.amount.quantize(Decimal("0.01")))


def _numeric_id(value: str, what: str) -> int:
    if not value.isdigit():
        raise ValueError(f"{what} {value!r} is not a Shopify id")
    return int(value)


def _taxes(taxes: tuple[TaxLine, ...], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "title": tax.title,
            "price": _amount(tax.amount, currency),
            **({} if tax.rate is None else {"rate": str(tax.rate)}),
        }
        for tax in taxes
    ]


def _present(value: Buyer | PostalAddress | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {key: item for key, item in asdict(value).items() if item is not None}


def draft_to_wire(draft: OrderDraft) -> dict[str, Any]:
    """The ``POST orders.json`` body for `draft`; ValueError when the draft cannot be sent."""
    if not draft.lines:
        raise ValueError("an order needs at least one line")
    currency = draft.currency
    order: dict[str, Any] = {
        "line_items": [
            {
                "variant_id": _numeric_id(line.variant_id, "variant id"),
                "quantity": line.quantity,
                "price": _amount(line.price, currency),
                "tax_lines": _taxes(line.taxes, currency),
            }
            for line in draft.lines
        ],
        "currency": currency,
        "financial_status": draft.financial_status,
        "transactions": [
            {
                "kind": "sale",
                "status": "success",
                "amount": _amount(payment.amount, currency),
                "gateway": payment.gateway,
            }
            for payment in draft.payments
        ],
        "tax_lines": _taxes(draft.taxes, currency),
        "shipping_lines": [
            {
                "title": charge.title,
                "price": _amount(charge.amount, currency),
                "code": charge.code,
                "tax_lines": _taxes(charge.taxes, currency),
            }
            for charge in draft.shipping
        ],
        "discount_codes": [
            {"code": d.code, "amount": _amount(d.amount, currency), "type": "fixed_amount"}
            for d in draft.discounts
        ],
        "tags": ", ".join(draft.tags),
        "note_attributes": [{"name": n, "value": v} for n, v in draft.note_attributes],
        "taxes_included": draft.taxes_included,
        "inventory_behaviour": draft.inventory_behaviour.value,
        "send_receipt": False,
        "send_fulfillment_receipt": False,
    }
    optional = {
        "email": draft.email,
        "phone": draft.phone,
        "note": draft.note,
        "source_name": draft.source_name,
        "source_identifier": draft.source_identifier,
        "customer": _present(draft.buyer),
        "shipping_address": _present(draft.shipping_address),
        "billing_address": _present(draft.billing_address),
    }
    order.update({key: value for key, value in optional.items() if value is not None})
    return {"order": order}
