"""Pure translation of orders between Magento's wire shapes and the neutral order types.

How a Magento order carries what the daemon needs (the store's own way of keeping it):

- the TikTok order id: ``ext_order_id`` (varchar 32), and in the increment id ``TT{id}``
  (varchar 50, unique per store view) so that the store refuses a second order with it;
- the TikTok status, the cancellation reason and the stock ttsync moved: order comments
  (status history) with fixed prefixes, the latest of each kind winning;
- an import whose steps after the save (invoice, stock) are not all done yet: a comment
  ``ttsync import unfinished: [...]`` saved with the order, and ``ttsync import finished``
  once they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from daemon.connectors.magento.models import HistoryWire, OrderWire, ShipmentWire
from daemon.domain.models import Money
from daemon.domain.orders import (
    CancelReason,
    FulfilledLine,
    FulfillmentStatus,
    OrderDraft,
    OrderState,
    PostalAddress,
    StoreFulfillment,
    StoreOrder,
    StoreOrderLine,
    StoreOrderStatus,
)

INCREMENT_PREFIX = "TT"
MAX_INCREMENT_ID = 50
MAX_EXT_ORDER_ID = 32
STATUS_PREFIX = "TikTok Shop status: "
CANCEL_PREFIX = "TikTok Shop cancellation: "
STOCK_PREFIX = "ttsync stock reduced: "
RESTOCK_PREFIX = "ttsync stock returned: "
UNFINISHED_PREFIX = "ttsync import unfinished: "
FINISHED = "ttsync import finished"
CANCELED = "canceled"
_CENT = Decimal("0.01")

#: Stock moved by ttsync: (SKU, source code, quantity).
Moves = list[tuple[str, str, int]]


@dataclass(frozen=True)
class Line:
    """A draft line as the store knows its product: SKU, name and entity id."""

    sku: str
    name: str
    product_id: int


def increment_id(reference: str) -> str:
    """``TT{TikTok order id}``: the store's unique key then refuses a second order for it."""
    value = f"{INCREMENT_PREFIX}{reference}"
    if len(value) > MAX_INCREMENT_ID:
        raise ValueError(f"increment id {value!r} is longer than {MAX_INCREMENT_ID}")
    return value


def comment(text: str, status: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"comment": text, "is_customer_notified": 0, "is_visible_on_front": 0}
    if status is not None:
        entry["status"] = status
    return entry


def _amount(money: Money, currency: str) -> float:
    if money.currency != currency:
        raise ValueError(f"amount in {money.currency} on an order in {currency}")
    return float(money.amount.quantize(_CENT))


def _address(
    address: PostalAddress | None, kind: str, email: str | None, fallback: PostalAddress
) -> dict[str, Any]:
    given = address or fallback
    street = [part for part in (given.address1, given.address2) if part]
    found = {
        "address_type": kind,
        "firstname": given.first_name or "TikTok",
        "lastname": given.last_name or "Buyer",
        "company": given.company,
        "street": street or ["-"],
        "city": given.city or "-",
        "region": given.province,
        "postcode": given.zip,
        "country_id": given.country_code or "GB",
        "telephone": given.phone or "-",
        "email": email,
    }
    return {key: value for key, value in found.items() if value is not None}


def draft_to_entity(
    draft: OrderDraft,
    lines: Mapping[str, Line],
    increment: str,
    payment_method: str,
    steps: Sequence[str] = (),
) -> dict[str, Any]:
    """The ``POST /V1/orders`` entity for `draft`; ValueError when it cannot be sent."""
    if not draft.lines:
        raise ValueError("an order needs at least one line")
    if len(draft.reference) > MAX_EXT_ORDER_ID:
        raise ValueError(f"TikTok order id longer than {MAX_EXT_ORDER_ID} characters")
    currency = draft.currency
    items: list[dict[str, Any]] = []
    subtotal, line_taxes = 0.0, 0.0
    for line in draft.lines:
        known = lines.get(line.variant_id)
        if known is None:
            raise ValueError(f"variant {line.variant_id} is not in the store")
        price = _amount(line.price, currency)
        tax = sum((_amount(t.amount, currency) for t in line.taxes), 0.0)
        subtotal += round(price * line.quantity, 2)
        line_taxes += tax
        items.append(
            {
                "sku": known.sku,
                "name": known.name,
                "product_id": known.product_id,
                "product_type": "simple",
                "qty_ordered": line.quantity,
                "price": price,
                "base_price": price,
                "original_price": price,
                "row_total": round(price * line.quantity, 2),
                "tax_amount": round(tax, 2),
            }
        )
    shipping = sum(_amount(s.amount, currency) for s in draft.shipping)
    taxes = (
        line_taxes
        + sum(_amount(t.amount, currency) for t in draft.taxes)
        + sum(_amount(t.amount, currency) for s in draft.shipping for t in s.taxes)
    )
    discount = sum(_amount(d.amount, currency) for d in draft.discounts)
    total = subtotal + shipping + (0 if draft.taxes_included else taxes) - discount
    buyer = draft.buyer
    email = draft.email or (buyer.email if buyer else None)
    fallback = PostalAddress(
        first_name=buyer.first_name if buyer else None,
        last_name=buyer.last_name if buyer else None,
    )
    shipping_address = _address(draft.shipping_address, "shipping", email, fallback)
    histories = [comment(f"{draft.label} order {draft.reference}")] if draft.label else []
    histories.append(comment(STATUS_PREFIX + draft.marketplace_status.value))
    if steps:
        histories.append(comment(UNFINISHED_PREFIX + json.dumps(list(steps))))
    entity: dict[str, Any] = {
        "increment_id": increment,
        "ext_order_id": draft.reference,
        "state": "new",
        "status": "pending",
        "order_currency_code": currency,
        "base_currency_code": currency,
        "global_currency_code": currency,
        "store_currency_code": currency,
        "customer_is_guest": 1,
        "customer_email": email,
        "customer_firstname": buyer.first_name if buyer else None,
        "customer_lastname": buyer.last_name if buyer else None,
        "items": items,
        "subtotal": round(subtotal, 2),
        "base_subtotal": round(subtotal, 2),
        "shipping_amount": round(shipping, 2),
        "tax_amount": round(taxes, 2),
        "discount_amount": -round(discount, 2),
        "grand_total": round(total, 2),
        "base_grand_total": round(total, 2),
        "shipping_description": ", ".join(s.title for s in draft.shipping) or draft.label,
        "billing_address": _address(
            draft.billing_address or draft.shipping_address, "billing", email, fallback
        ),
        "payment": {"method": payment_method, "additional_information": [draft.label]},
        "extension_attributes": {
            "shipping_assignments": [
                {"shipping": {"address": shipping_address, "method": "flatrate_flatrate"}}
            ]
        },
        "status_histories": histories,
    }
    return {key: value for key, value in entity.items() if value is not None}


def _latest(histories: list[HistoryWire], prefix: str) -> HistoryWire | None:
    found = [h for h in histories if h.comment and h.comment.startswith(prefix)]
    return max(found, key=lambda h: h.created_at) if found else None


def is_unfinished(order: OrderWire) -> bool:
    """True while an import's steps after the save are not all done (see the module doc)."""
    comments = {h.comment or "" for h in order.status_histories}
    return FINISHED not in comments and any(c.startswith(UNFINISHED_PREFIX) for c in comments)


def stock_moves(order: OrderWire, prefix: str = STOCK_PREFIX) -> Moves | None:
    """The stock ttsync recorded moving for this order (None when it recorded none)."""
    entry = _latest(order.status_histories, prefix)
    if entry is None or entry.comment is None:
        return None
    try:
        moves = json.loads(entry.comment.removeprefix(prefix))
    except ValueError:
        return None
    return [(str(s), str(c), int(q)) for s, c, q in moves] if isinstance(moves, list) else None


def moves_comment(moves: Moves, prefix: str = STOCK_PREFIX) -> str:
    return prefix + json.dumps([list(move) for move in moves])


def _status(order: OrderWire) -> StoreOrderStatus:
    if order.state == CANCELED:
        return StoreOrderStatus.CANCELLED
    wanted = [i for i in order.items if i.parent_item_id is None]
    open_qty = [i.qty_ordered - i.qty_canceled - i.qty_shipped for i in wanted]
    if all(q <= 0 for q in open_qty):
        return StoreOrderStatus.FULFILLED
    if any(i.qty_shipped > 0 for i in wanted):
        return StoreOrderStatus.PARTIALLY_FULFILLED
    return StoreOrderStatus.OPEN


def _cancellation(order: OrderWire) -> tuple[datetime | None, CancelReason | None]:
    if order.state != CANCELED:
        return None, None
    entry = _latest(order.status_histories, CANCEL_PREFIX)
    if entry is None or entry.comment is None:
        return order.updated_at, None
    try:
        reason = CancelReason(entry.comment.removeprefix(CANCEL_PREFIX).strip())
    except ValueError:
        reason = CancelReason.OTHER
    return entry.created_at, reason


def order_from_wire(order: OrderWire) -> StoreOrder:
    currency = order.order_currency_code.upper()
    status_entry = _latest(order.status_histories, STATUS_PREFIX)
    cancelled_at, reason = _cancellation(order)
    paid = order.total_paid is not None and order.total_paid >= order.grand_total
    return StoreOrder(
        id=str(order.entity_id),
        name=order.increment_id,
        reference=order.ext_order_id,
        marketplace_status=(
            None
            if status_entry is None or status_entry.comment is None
            else status_entry.comment.removeprefix(STATUS_PREFIX).strip()
        ),
        currency=currency,
        total_price=Money(order.grand_total, currency),
        status=_status(order),
        paid=paid,
        cancelled_at=cancelled_at,
        cancel_reason=reason,
        lines=tuple(
            StoreOrderLine(
                id=str(item.item_id),
                variant_id=None if item.product_id is None else str(item.product_id),
                sku=item.sku or None,
                title=item.name,
                quantity=int(item.qty_ordered),
                price=Money(item.price, currency),
                fulfillable_quantity=max(
                    0, int(item.qty_ordered - item.qty_shipped - item.qty_canceled)
                ),
            )
            for item in order.items
            if item.parent_item_id is None
        ),
        created_at=order.created_at,
        updated_at=order.updated_at,
        unfinished=is_unfinished(order),
    )


def shows(order: OrderWire, state: OrderState) -> bool:
    entry = _latest(order.status_histories, STATUS_PREFIX)
    return entry is not None and entry.comment == STATUS_PREFIX + state.value


def fulfillment_from_wire(
    shipment: ShipmentWire, order_name: str | None = None
) -> StoreFulfillment:
    tracks = [t for t in shipment.tracks if t.track_number]
    return StoreFulfillment(
        id=str(shipment.entity_id),
        order_id=str(shipment.order_id),
        order_name=order_name,
        status=FulfillmentStatus.SUCCESS,
        tracking_company=(tracks[0].title or tracks[0].carrier_code) if tracks else None,
        tracking_numbers=tuple(t.track_number for t in tracks if t.track_number),
        tracking_urls=(),
        lines=tuple(
            FulfilledLine(
                line_item_id=str(item.order_item_id),
                variant_id=None if item.product_id is None else str(item.product_id),
                sku=item.sku,
                quantity=int(item.qty),
            )
            for item in shipment.items
        ),
        created_at=shipment.created_at,
        updated_at=shipment.updated_at or shipment.created_at,
    )
