"""Orders between WooCommerce's shapes and the daemon's; how the TikTok order id and status
sit on an order (meta data), and how a shipment is told (trackings or a note). No I/O.

An imported order carries ``_tiktok_order_id`` and ``_tiktok_order_status`` in its meta data
(keys with a leading underscore are hidden from the admin's custom fields box), and WooCommerce
itself marks it ``created_via: rest-api``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from daemon.connectors.woocommerce.mapping import price_text, utc
from daemon.connectors.woocommerce.models import MetaWire, NoteWire, OrderWire, TrackingWire
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

REFERENCE_KEY = "_tiktok_order_id"
STATUS_KEY = "_tiktok_order_status"
CANCEL_KEY = "_tiktok_cancel_reason"
LABEL_KEY = "_tiktok_label"
STOCK_KEY = "_tiktok_stock_on_create"  # "leave": WooCommerce never took the units
REDUCED_KEY = "_reduced_stock"  # WooCommerce's own mark on an item whose stock it took
CREATED_VIA = "rest-api"
# What a merchant without the Shipment Tracking extension writes in an order note.
_NOTE_NUMBER = re.compile(r"tracking (?:number|no\.?|#)[:\s]*([A-Za-z0-9-]+)", re.IGNORECASE)
_NOTE_CARRIER = re.compile(r"shipped (?:with|via|by) ([^,.;\n]+)", re.IGNORECASE)


def meta(entries: list[MetaWire], key: str) -> str | None:
    for entry in entries:
        if entry.key == key and entry.value not in (None, ""):
            return str(entry.value)
    return None


def _address(address: PostalAddress | None) -> dict[str, str]:
    if address is None:
        return {}
    fields = {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address_1": address.address1,
        "address_2": address.address2,
        "city": address.city,
        "state": address.province,
        "postcode": address.zip,
        "country": address.country_code,
        "phone": address.phone,
    }
    return {key: value for key, value in fields.items() if value}


def _line(variant_id: str, quantity: int, unit: Money, stock: StockOnCreate) -> dict[str, Any]:
    if not variant_id.isdigit():
        raise ValueError(f"{variant_id!r} is not a WooCommerce product or variation id")
    total = price_text(unit.amount * quantity)
    line: dict[str, Any] = {
        # A variation's id is taken as the product: WooCommerce files it under its parent.
        "product_id": int(variant_id),
        "quantity": quantity,
        "subtotal": total,
        "total": total,
    }
    if stock is StockOnCreate.LEAVE:
        # Marked as taken already, WooCommerce leaves the item's stock alone when paid.
        line["meta_data"] = [{"key": REDUCED_KEY, "value": str(quantity)}]
    return line


def draft_to_wire(draft: OrderDraft) -> dict[str, Any]:
    """``POST /orders``: paid without a payment being taken (``set_paid``), or on hold for
    cash on delivery; both make WooCommerce take the stock once, unless left alone."""
    billing = _address(draft.billing_address or draft.shipping_address)
    if draft.email:
        billing["email"] = draft.email
    if draft.phone:
        billing["phone"] = draft.phone
    gateway = draft.payments[0].gateway if draft.payments else draft.label
    body: dict[str, Any] = {
        "payment_method": "tiktok_shop",
        "payment_method_title": gateway,
        "currency": draft.currency,
        "billing": billing,
        "shipping": _address(draft.shipping_address),
        "line_items": [_line(x.variant_id, x.quantity, x.price, draft.stock) for x in draft.lines],
        "shipping_lines": [
            {
                "method_id": charge.code or "tiktok_shop",
                "method_title": charge.title,
                "total": price_text(charge.amount.amount),
            }
            for charge in draft.shipping
        ],
        "meta_data": [
            {"key": REFERENCE_KEY, "value": draft.reference},
            {"key": STATUS_KEY, "value": draft.marketplace_status.value},
            {"key": LABEL_KEY, "value": draft.label},
            {"key": STOCK_KEY, "value": draft.stock.value},
        ],
    }
    if draft.note:
        body["customer_note"] = draft.note
    if draft.paid:
        body["set_paid"] = True
    else:
        body["status"] = "on-hold"
    return body


def _status(wire: OrderWire) -> StoreOrderStatus:
    if wire.status in {"cancelled", "refunded", "failed"}:
        return StoreOrderStatus.CANCELLED
    if wire.status == "completed":
        return StoreOrderStatus.FULFILLED
    return StoreOrderStatus.OPEN


def _reason(value: str | None) -> CancelReason | None:
    try:
        return None if value is None else CancelReason(value)
    except ValueError:
        return None


def order_from_wire(wire: OrderWire) -> StoreOrder:
    status = _status(wire)
    shipped = status is StoreOrderStatus.FULFILLED
    lines = tuple(
        StoreOrderLine(
            id=str(line.id),
            variant_id=str(line.variation_id or line.product_id) or None,
            sku=line.sku or None,
            title=line.name,
            quantity=line.quantity,
            price=Money(line.total / line.quantity if line.quantity else Decimal(0), wire.currency),
            fulfillable_quantity=0 if shipped else line.quantity,
        )
        for line in wire.line_items
    )
    cancelled = status is StoreOrderStatus.CANCELLED
    return StoreOrder(
        id=str(wire.id),
        name=f"#{wire.number or wire.id}",
        reference=meta(wire.meta_data, REFERENCE_KEY),
        marketplace_status=meta(wire.meta_data, STATUS_KEY),
        currency=wire.currency,
        total_price=Money(wire.total, wire.currency),
        status=status,
        paid=wire.date_paid_gmt is not None,
        cancelled_at=utc(wire.date_modified_gmt) if cancelled else None,
        cancel_reason=_reason(meta(wire.meta_data, CANCEL_KEY)) if cancelled else None,
        lines=lines,
        created_at=utc(wire.date_created_gmt),
        updated_at=utc(wire.date_modified_gmt),
    )


def status_note(state: OrderState) -> str:
    return f"TikTok Shop status: {state.value}"


def _fulfilled_lines(wire: OrderWire) -> tuple[FulfilledLine, ...]:
    return tuple(
        FulfilledLine(
            str(line.id), str(line.variation_id or line.product_id), line.sku or None, line.quantity
        )
        for line in wire.line_items
    )


def tracking_fulfillment(wire: OrderWire, tracking: TrackingWire) -> StoreFulfillment:
    """A Shipment Tracking entry: the whole order left with it (the extension names no lines)."""
    carrier = tracking.tracking_provider or tracking.custom_tracking_provider or None
    link = tracking.tracking_link or tracking.custom_tracking_link
    shipped_at = utc(wire.date_completed_gmt or wire.date_modified_gmt)
    return StoreFulfillment(
        id=tracking.tracking_id,
        order_id=str(wire.id),
        order_name=f"#{wire.number or wire.id}",
        status=FulfillmentStatus.SUCCESS,
        tracking_company=carrier,
        tracking_numbers=(tracking.tracking_number,),
        tracking_urls=(link,) if link else (),
        lines=_fulfilled_lines(wire),
        created_at=shipped_at,
        updated_at=utc(wire.date_modified_gmt),
    )


def note_fulfillment(wire: OrderWire, notes: list[NoteWire]) -> StoreFulfillment:
    """A completed order in a store without the extension: its newest note naming a tracking
    number gives the tracking ("Shipped with Royal Mail, tracking number RM123456785GB")."""
    number = carrier = None
    for note in sorted(notes, key=lambda n: (n.date_created_gmt, n.id), reverse=True):
        found = _NOTE_NUMBER.search(note.note)
        if found:
            number = found.group(1)
            named = _NOTE_CARRIER.search(note.note)
            carrier = named.group(1).strip() if named else None
            break
    completed = utc(wire.date_completed_gmt or wire.date_modified_gmt)
    return StoreFulfillment(
        id=f"{wire.id}-completed",
        order_id=str(wire.id),
        order_name=f"#{wire.number or wire.id}",
        status=FulfillmentStatus.SUCCESS,
        tracking_company=carrier,
        tracking_numbers=(number,) if number else (),
        tracking_urls=(),
        lines=_fulfilled_lines(wire),
        created_at=completed,
        updated_at=completed,
    )
