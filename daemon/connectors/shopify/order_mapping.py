"""Pure translation of orders between Shopify's wire shapes and the neutral order types.

How a Shopify order carries what the daemon needs (the store's own way of keeping it):

- the TikTok order id: note attribute ``tiktok_order_id`` and ``source_identifier`` (with
  ``source_name = "tiktok"``), plus the configured label and the status as tags;
- the TikTok status: note attribute ``tiktok_status`` and a ``TikTok: ...`` tag, both
  replaced when the status moves;
- stock on create: ``inventory_behaviour``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from daemon.connectors.shopify.mapping import blank_to_none, utc
from daemon.connectors.shopify.models import FulfillmentOrderWire, FulfillmentWire, OrderWire
from daemon.domain.models import Money
from daemon.domain.order_status import STATUS_LABEL_PREFIX, status_label
from daemon.domain.orders import (
    Buyer,
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
    TaxLine,
)

ORDER_ID_ATTRIBUTE = "tiktok_order_id"
STATUS_ATTRIBUTE = "tiktok_status"
SHIPPED_BY_ATTRIBUTE = "tiktok_shipped_by"
SOURCE_NAME = "tiktok"

_INVENTORY_BEHAVIOUR = {
    StockOnCreate.LEAVE: "bypass",
    StockOnCreate.REDUCE: "decrement_ignoring_policy",
    StockOnCreate.REDUCE_IF_AVAILABLE: "decrement_obeying_policy",
}
_PAID = frozenset({"paid", "partially_refunded", "refunded"})
_FULFILLMENT_STATUS = {
    "pending": FulfillmentStatus.PENDING,
    "open": FulfillmentStatus.PENDING,
    "success": FulfillmentStatus.SUCCESS,
    "cancelled": FulfillmentStatus.CANCELLED,
    "error": FulfillmentStatus.FAILED,
    "failure": FulfillmentStatus.FAILED,
}


@dataclass(frozen=True)
class TrackingInfo:
    company: str | None
    number: str | None
    url: str | None = None


@dataclass(frozen=True)
class FulfillmentOrderLine:
    id: str
    line_item_id: str
    variant_id: str | None
    quantity: int
    fulfillable_quantity: int


@dataclass(frozen=True)
class FulfillmentOrder:
    """Shopify's unit of work for shipping: an order's lines assigned to one location."""

    id: str
    order_id: str
    location_id: str | None
    status: str  # "open", "in_progress", "closed", "cancelled", ...
    supported_actions: frozenset[str]
    lines: tuple[FulfillmentOrderLine, ...]

    @property
    def can_fulfil(self) -> bool:
        return (
            self.status in {"open", "in_progress"}
            and "create_fulfillment" in self.supported_actions
        )


def split_tags(tags: str) -> frozenset[str]:
    return frozenset(tag.strip() for tag in tags.split(",") if tag.strip())


def reference_of(
    attributes: Iterable[tuple[str, str]], source_name: str | None, source_identifier: str | None
) -> str | None:
    """The TikTok order id an order carries: its note attribute, else its source identifier."""
    for name, value in attributes:
        if name == ORDER_ID_ATTRIBUTE and value:
            return value
    return source_identifier if source_name == SOURCE_NAME else None


def _attributes(order: OrderWire) -> tuple[tuple[str, str], ...]:
    return tuple((a.name, a.value or "") for a in order.note_attributes)


def _status(order: OrderWire) -> StoreOrderStatus:
    if order.cancelled_at is not None:
        return StoreOrderStatus.CANCELLED
    if order.fulfillment_status == "fulfilled":
        return StoreOrderStatus.FULFILLED
    if order.fulfillment_status == "partial":
        return StoreOrderStatus.PARTIALLY_FULFILLED
    return StoreOrderStatus.OPEN


def _cancel_reason(reason: str | None) -> CancelReason | None:
    if reason is None:
        return None
    try:
        return CancelReason(reason)
    except ValueError:
        return CancelReason.OTHER


def order_from_wire(order: OrderWire) -> StoreOrder:
    currency = order.currency.upper()
    attributes = _attributes(order)
    return StoreOrder(
        id=str(order.id),
        name=order.name,
        reference=reference_of(attributes, order.source_name, order.source_identifier),
        marketplace_status=next((v for n, v in attributes if n == STATUS_ATTRIBUTE), None),
        currency=currency,
        total_price=Money(order.total_price, currency),
        status=_status(order),
        paid=order.financial_status in _PAID,
        cancelled_at=None if order.cancelled_at is None else utc(order.cancelled_at),
        cancel_reason=_cancel_reason(order.cancel_reason),
        lines=tuple(
            StoreOrderLine(
                id=str(line.id),
                variant_id=None if line.variant_id is None else str(line.variant_id),
                sku=blank_to_none(line.sku),
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


def relabel(
    tags: Iterable[str], attributes: Sequence[tuple[str, str]], state: OrderState
) -> tuple[list[str], list[tuple[str, str]]]:
    """The order's tags and note attributes with the status ones replaced by `state`'s."""
    kept_tags = [tag for tag in tags if not tag.startswith(STATUS_LABEL_PREFIX)]
    kept = [(name, value) for name, value in attributes if name != STATUS_ATTRIBUTE]
    return sorted({*kept_tags, status_label(state)}), [*kept, (STATUS_ATTRIBUTE, state.value)]


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
        status=_FULFILLMENT_STATUS.get(fulfillment.status, FulfillmentStatus.FAILED),
        tracking_company=blank_to_none(fulfillment.tracking_company),
        tracking_numbers=tuple(numbers),
        tracking_urls=tuple(urls),
        lines=tuple(
            FulfilledLine(
                line_item_id=str(line.id),
                variant_id=None if line.variant_id is None else str(line.variant_id),
                sku=blank_to_none(line.sku),
                quantity=line.quantity,
            )
            for line in fulfillment.line_items
        ),
        created_at=utc(fulfillment.created_at),
        updated_at=utc(fulfillment.updated_at),
    )


def fulfillment_order_from_wire(order: FulfillmentOrderWire) -> FulfillmentOrder:
    return FulfillmentOrder(
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
        "financial_status": "paid" if draft.paid else "pending",
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
        "tags": ", ".join(
            dict.fromkeys(
                tag for tag in (draft.label, status_label(draft.marketplace_status)) if tag
            )
        ),
        "note_attributes": [
            {"name": ORDER_ID_ATTRIBUTE, "value": draft.reference},
            {"name": STATUS_ATTRIBUTE, "value": draft.marketplace_status.value},
            {"name": SHIPPED_BY_ATTRIBUTE, "value": draft.shipped_by.value},
        ],
        "source_name": SOURCE_NAME,
        "source_identifier": draft.reference,
        "taxes_included": draft.taxes_included,
        "inventory_behaviour": _INVENTORY_BEHAVIOUR[draft.stock],
        "send_receipt": False,
        "send_fulfillment_receipt": False,
    }
    optional = {
        "email": draft.email,
        "phone": draft.phone,
        "note": draft.note,
        "customer": _present(draft.buyer),
        "shipping_address": _present(draft.shipping_address),
        "billing_address": _present(draft.billing_address),
    }
    order.update({key: value for key, value in optional.items() if value is not None})
    return {"order": order}
