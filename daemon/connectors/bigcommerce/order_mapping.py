"""Orders between the daemon's intents and BigCommerce's V2 shapes. Pure: no I/O.

The TikTok order id travels in ``external_order_id`` (writable and filterable) and the order
names its source in ``external_source``. The TikTok status the order shows, and why ttsync
cancelled it, are lines of the order's ``staff_notes`` (merchant-only; the merchant's own lines
are kept). A draft becomes an order in the status id its TikTok status maps to (Awaiting
Fulfillment for AWAITING_SHIPMENT); BigCommerce's own status then follows its shipments.

Stock: an order's catalog lines take stock when it is placed and give it back when it is
cancelled. `StockOnCreate.LEAVE` sends custom lines instead (same SKU, name and price, no
catalog link), which leave stock alone; they are read back by their SKU.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from daemon.connectors.bigcommerce.mapping import blank_to_none, utc
from daemon.connectors.bigcommerce.models import OrderProductWire, OrderWire, ShipmentWire
from daemon.domain.models import Money
from daemon.domain.orders import (
    CancelReason,
    FulfilledLine,
    FulfillmentStatus,
    OrderDraft,
    OrderState,
    PostalAddress,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
    StoreOrderLine,
    StoreOrderStatus,
)

CANCELLED = 5
AWAITING_PAYMENT = 7
UNPAID_STATUSES = frozenset({0, 1, AWAITING_PAYMENT})
SHIPPED_STATUSES = frozenset({2, 10})
# The V2 status id an order is created in, by the TikTok status it shows.
STATUS_IDS = {
    OrderState.UNPAID: AWAITING_PAYMENT,
    OrderState.ON_HOLD: 12,  # Manual Verification Required
    OrderState.AWAITING_SHIPMENT: 11,  # Awaiting Fulfillment
    OrderState.PARTIALLY_SHIPPING: 3,  # Partially Shipped
    OrderState.AWAITING_COLLECTION: 9,  # Awaiting Shipment
    OrderState.IN_TRANSIT: 2,  # Shipped
    OrderState.DELIVERED: 2,
    OrderState.COMPLETED: 10,  # Completed
    OrderState.CANCELLED: CANCELLED,
}
STATUS_NOTE = "TikTok Shop status: "
REASON_NOTE = "TikTok Shop cancel reason: "
ORDER_NOTE = "TikTok Shop order "
COUNTRIES = {
    "GB": "United Kingdom",
    "US": "United States",
    "IE": "Ireland",
    "DE": "Germany",
    "FR": "France",
    "ES": "Spain",
    "IT": "Italy",
}


def note_value(notes: str | None, prefix: str) -> str | None:
    for line in (notes or "").splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix).strip() or None
    return None


def with_note(notes: str | None, prefix: str, value: str) -> str:
    """`notes` with the line starting `prefix` replaced (or added) by ``prefix + value``."""
    kept = [line for line in (notes or "").splitlines() if not line.startswith(prefix)]
    return "\n".join([*kept, prefix + value])


def _address(address: PostalAddress | None, email: str | None) -> dict[str, str]:
    given = address or PostalAddress()
    code = (given.country_code or "").upper()
    fields = {
        "first_name": given.first_name,
        "last_name": given.last_name,
        "company": given.company,
        "street_1": given.address1,
        "street_2": given.address2,
        "city": given.city,
        "state": given.province,
        "zip": given.zip,
        "country": COUNTRIES.get(code, code) or None,
        "country_iso2": code or None,
        "phone": given.phone,
        "email": email,
    }
    return {key: value for key, value in fields.items() if value}


def _unit_tax(amounts: list[Money], quantity: int) -> Decimal:
    return sum((money.amount for money in amounts), Decimal(0)) / quantity


def draft_to_wire(draft: OrderDraft, products: Mapping[str, tuple[int, str]]) -> dict[str, object]:
    """The ``POST /v2/orders`` body. `products` maps each variant id to (product id, SKU)."""
    lines = []
    for line in draft.lines:
        if line.variant_id not in products:
            raise ValueError(f"variant {line.variant_id} is not in the store's catalog")
        product_id, sku = products[line.variant_id]
        tax = _unit_tax([t.amount for t in line.taxes], line.quantity)
        inc, ex = (
            (line.price.amount, line.price.amount - tax)
            if draft.taxes_included
            else (line.price.amount + tax, line.price.amount)
        )
        prices = {"quantity": line.quantity, "price_inc_tax": str(inc), "price_ex_tax": str(ex)}
        if draft.stock is StockOnCreate.LEAVE:
            lines.append({"name": sku or f"Variant {line.variant_id}", "sku": sku, **prices})
        else:
            lines.append({"product_id": product_id, "variant_id": int(line.variant_id), **prices})
    email = draft.email or (draft.buyer.email if draft.buyer else None)
    billing = draft.billing_address or draft.shipping_address
    shipping = sum((charge.amount.amount for charge in draft.shipping), Decimal(0))
    discounts = sum((d.amount.amount for d in draft.discounts), Decimal(0))
    notes = with_note(None, ORDER_NOTE, draft.reference)
    notes = with_note(notes, STATUS_NOTE, draft.marketplace_status.value)
    status = STATUS_IDS[draft.marketplace_status] if draft.paid else AWAITING_PAYMENT
    body: dict[str, object] = {
        "status_id": status,
        "customer_id": 0,
        "billing_address": _address(billing, email),
        "shipping_addresses": [_address(draft.shipping_address, email)],
        "products": lines,
        "external_source": draft.label,
        "external_order_id": draft.reference,
        "staff_notes": notes,
        "customer_message": draft.note or "",
        "payment_method": draft.payments[0].gateway if draft.payments else draft.label,
        "shipping_cost_inc_tax": str(shipping),
        "shipping_cost_ex_tax": str(shipping),
        "discount_amount": str(discounts),
    }
    return body


def _status(order: OrderWire) -> StoreOrderStatus:
    if order.status_id == CANCELLED:
        return StoreOrderStatus.CANCELLED
    if order.status_id in SHIPPED_STATUSES or (
        order.items_total > 0 and order.items_shipped >= order.items_total
    ):
        return StoreOrderStatus.FULFILLED
    if order.items_shipped > 0:
        return StoreOrderStatus.PARTIALLY_FULFILLED
    return StoreOrderStatus.OPEN


def line_variant(line: OrderProductWire, by_sku: Mapping[str, str]) -> str | None:
    """The variant a line sold: its own link, or for a custom line, the variant of its SKU."""
    if line.product_id and line.variant_id:
        return str(line.variant_id)
    return by_sku.get(line.sku or "")


def order_from_wire(
    order: OrderWire, lines: list[OrderProductWire], by_sku: Mapping[str, str]
) -> StoreOrder:
    if order.date_created is None or order.date_modified is None:
        raise ValueError("the order has no creation or modification date")
    currency = order.currency_code.upper()
    cancelled = order.status_id == CANCELLED
    reason = note_value(order.staff_notes, REASON_NOTE)
    return StoreOrder(
        id=str(order.id),
        name=f"#{order.id}",
        reference=blank_to_none(order.external_order_id),
        marketplace_status=note_value(order.staff_notes, STATUS_NOTE),
        currency=currency,
        total_price=Money(order.total_inc_tax, currency),
        status=_status(order),
        paid=order.status_id not in UNPAID_STATUSES,
        cancelled_at=utc(order.date_modified) if cancelled else None,
        cancel_reason=CancelReason(reason) if cancelled and reason in set(CancelReason) else None,
        lines=tuple(
            StoreOrderLine(
                id=str(line.id),
                variant_id=line_variant(line, by_sku),
                sku=blank_to_none(line.sku),
                title=line.name,
                quantity=line.quantity,
                price=Money(line.price_inc_tax, currency),
                fulfillable_quantity=0 if cancelled else line.quantity - line.quantity_shipped,
            )
            for line in lines
        ),
        created_at=utc(order.date_created),
        updated_at=utc(order.date_modified),
    )


def fulfillment_from_wire(
    shipment: ShipmentWire, lines: Mapping[int, OrderProductWire], by_sku: Mapping[str, str]
) -> StoreFulfillment:
    if shipment.date_created is None:
        raise ValueError("the shipment has no creation date")
    created = utc(shipment.date_created)
    fulfilled = []
    for item in shipment.items:
        line = lines.get(item.order_product_id)
        fulfilled.append(
            FulfilledLine(
                line_item_id=str(item.order_product_id),
                variant_id=None if line is None else line_variant(line, by_sku),
                sku=None if line is None else blank_to_none(line.sku),
                quantity=item.quantity,
            )
        )
    number = blank_to_none(shipment.tracking_number)
    link = blank_to_none(shipment.tracking_link)
    return StoreFulfillment(
        id=str(shipment.id),
        order_id=str(shipment.order_id),
        order_name=f"#{shipment.order_id}",
        status=FulfillmentStatus.SUCCESS,
        tracking_company=blank_to_none(shipment.tracking_carrier)
        or blank_to_none(shipment.shipping_provider),
        tracking_numbers=() if number is None else (number,),
        tracking_urls=() if link is None else (link,),
        lines=tuple(fulfilled),
        created_at=created,
        updated_at=created,
    )
