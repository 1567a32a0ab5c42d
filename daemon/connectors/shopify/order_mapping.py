"""Pure translation of orders between Shopify's Admin GraphQL shapes and the neutral types.

How a Shopify order carries what the daemon needs (the store's own way of keeping it):

- the TikTok order id: custom attribute (REST's note attribute) ``tiktok_order_id`` and
  ``sourceIdentifier`` (with ``sourceName = "tiktok"``), plus the configured label and the
  status as tags;
- the TikTok status: custom attribute ``tiktok_status`` and a ``TikTok: ...`` tag, both
  replaced when the status moves;
- stock on create: ``OrderCreateOptionsInput.inventoryBehaviour``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from daemon.connectors.shopify.graphql_wire import numeric_id
from daemon.connectors.shopify.mapping import blank_to_none, utc
from daemon.connectors.shopify.order_wire import (
    FulfilledLineNode,
    FulfillmentNode,
    FulfillmentOrderNode,
    LineNode,
    OrderNode,
)
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
    StockOnCreate.LEAVE: "BYPASS",
    StockOnCreate.REDUCE: "DECREMENT_IGNORING_POLICY",
    StockOnCreate.REDUCE_IF_AVAILABLE: "DECREMENT_OBEYING_POLICY",
}
_PAID = frozenset({"PAID", "PARTIALLY_REFUNDED", "REFUNDED"})
_FULFILLMENT_STATUS = {
    "PENDING": FulfillmentStatus.PENDING,
    "OPEN": FulfillmentStatus.PENDING,
    "SUCCESS": FulfillmentStatus.SUCCESS,
    "CANCELLED": FulfillmentStatus.CANCELLED,
    "ERROR": FulfillmentStatus.FAILED,
    "FAILURE": FulfillmentStatus.FAILED,
}
_RATE_PLACES = Decimal("0.0001")


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
    lines: tuple[FulfillmentOrderLine, ...]  # the first 20

    @property
    def can_fulfil(self) -> bool:
        return (
            self.status in {"open", "in_progress"}
            and "create_fulfillment" in self.supported_actions
        )


def split_tags(tags: Iterable[str]) -> frozenset[str]:
    return frozenset(tag.strip() for tag in tags if tag.strip())


def reference_of(
    attributes: Iterable[tuple[str, str]], source_name: str | None, source_identifier: str | None
) -> str | None:
    """The TikTok order id an order carries: its note attribute, else its source identifier."""
    for name, value in attributes:
        if name == ORDER_ID_ATTRIBUTE and value:
            return value
    return source_identifier if source_name == SOURCE_NAME else None


def attributes_of(order: OrderNode) -> list[tuple[str, str]]:
    return [(a.key, a.value or "") for a in order.attributes]


def _status(order: OrderNode) -> StoreOrderStatus:
    if order.cancelled_at is not None:
        return StoreOrderStatus.CANCELLED
    if order.fulfillment_status == "FULFILLED":
        return StoreOrderStatus.FULFILLED
    if order.fulfillment_status == "PARTIALLY_FULFILLED":
        return StoreOrderStatus.PARTIALLY_FULFILLED
    return StoreOrderStatus.OPEN


def _cancel_reason(reason: str | None) -> CancelReason | None:
    if reason is None:
        return None
    try:
        return CancelReason(reason.lower())
    except ValueError:
        return CancelReason.OTHER


def _variant(node: Any) -> str | None:
    return None if node is None else numeric_id(node.id)


def order_from_node(order: OrderNode, lines: Sequence[LineNode]) -> StoreOrder:
    """`order` with every one of its `lines` (the first page and any further ones)."""
    currency = order.currency.upper()
    attributes = attributes_of(order)
    return StoreOrder(
        id=order.legacy_id,
        name=order.name,
        reference=reference_of(attributes, order.source_name, order.source_identifier),
        marketplace_status=next((v for n, v in attributes if n == STATUS_ATTRIBUTE), None),
        currency=currency,
        total_price=Money(order.total.shop_money.amount, currency),
        status=_status(order),
        paid=order.financial_status in _PAID,
        cancelled_at=None if order.cancelled_at is None else utc(order.cancelled_at),
        cancel_reason=_cancel_reason(order.cancel_reason),
        lines=tuple(
            StoreOrderLine(
                id=numeric_id(line.id),
                variant_id=_variant(line.variant),
                sku=blank_to_none(line.sku),
                title=line.title,
                quantity=line.quantity,
                price=Money(line.price.shop_money.amount, currency),
                fulfillable_quantity=line.unfulfilled_quantity,
            )
            for line in lines
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


def fulfillment_from_node(
    fulfillment: FulfillmentNode,
    lines: Sequence[FulfilledLineNode],
    order_id: str,
    order_name: str | None = None,
) -> StoreFulfillment:
    """`fulfillment` of order `order_id` with every one of its `lines`."""
    tracking = fulfillment.tracking
    return StoreFulfillment(
        id=fulfillment.legacy_id,
        order_id=order_id,
        order_name=order_name,
        status=_FULFILLMENT_STATUS.get(fulfillment.status, FulfillmentStatus.FAILED),
        tracking_company=next((blank_to_none(t.company) for t in tracking if t.company), None),
        tracking_numbers=tuple(t.number for t in tracking if t.number),
        tracking_urls=tuple(t.url for t in tracking if t.url),
        lines=tuple(
            FulfilledLine(
                line_item_id=numeric_id(line.line_item.id),
                variant_id=_variant(line.line_item.variant),
                sku=blank_to_none(line.line_item.sku),
                quantity=line.quantity or 0,
            )
            for line in lines
        ),
        created_at=utc(fulfillment.created_at),
        updated_at=utc(fulfillment.updated_at),
    )


def fulfillment_order_from_node(order_id: str, node: FulfillmentOrderNode) -> FulfillmentOrder:
    location = node.assigned_location.location
    return FulfillmentOrder(
        id=numeric_id(node.id),
        order_id=order_id,
        location_id=None if location is None else numeric_id(location.id),
        status=node.status.lower(),
        supported_actions=frozenset(a.action.lower() for a in node.supported_actions),
        lines=tuple(
            FulfillmentOrderLine(
                id=numeric_id(line.id),
                line_item_id=numeric_id(line.line_item.id),
                variant_id=_variant(line.variant),
                quantity=line.total_quantity,
                fulfillable_quantity=line.remaining_quantity,
            )
            for line in node.lines.nodes
        ),
    )


def gid(kind: str, number: str) -> str:
    return f"gid://shopify/{kind}/{number}"


def _amount(money: Money, currency: str) -> str:
    if money.currency != currency:
        raise ValueError(f"amount in {money.currency} on an order in {currency}")
    return str(money.amount.quantize(Decimal("0.01")))


def _money(money: Money, currency: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": _amount(money, currency), "currencyCode": currency}}


def _numeric_id(value: str, what: str) -> str:
    if not value.isdigit():
        raise ValueError(f"{what} {value!r} is not a Shopify id")
    return value


def _taxes(taxes: tuple[TaxLine, ...], base: Decimal, currency: str) -> list[dict[str, Any]]:
    """Tax lines; GraphQL requires a rate, so one not given is the amount over `base`."""
    found = []
    for tax in taxes:
        rate = tax.rate
        if rate is None:
            rate = (tax.amount.amount / base).quantize(_RATE_PLACES) if base else Decimal(0)
        found.append(
            {"title": tax.title, "rate": str(rate), "priceSet": _money(tax.amount, currency)}
        )
    return found


def _address(value: PostalAddress | None) -> dict[str, Any] | None:
    if value is None:
        return None
    given = {
        "firstName": value.first_name,
        "lastName": value.last_name,
        "company": value.company,
        "address1": value.address1,
        "address2": value.address2,
        "city": value.city,
        "provinceCode": value.province,
        "zip": value.zip,
        "countryCode": value.country_code.upper() if value.country_code else None,
        "phone": value.phone,
    }
    return {key: item for key, item in given.items() if item is not None}


def _customer(buyer: Buyer | None) -> dict[str, Any] | None:
    if buyer is None:
        return None
    given = {
        "firstName": buyer.first_name,
        "lastName": buyer.last_name,
        "email": buyer.email,
        "phone": buyer.phone,
    }
    return {"toUpsert": {key: item for key, item in given.items() if item is not None}}


def _discount(draft: OrderDraft) -> dict[str, Any] | None:
    """Shopify takes one discount code per order: several become one fixed amount naming
    each code, so the order's total is still right."""
    if not draft.discounts:
        return None
    total = sum((d.amount.amount for d in draft.discounts), Decimal(0))
    code = " + ".join(d.code for d in draft.discounts)
    amount = Money(total, draft.discounts[0].amount.currency)
    return {"itemFixedDiscountCode": {"code": code, "amountSet": _money(amount, draft.currency)}}


def draft_to_input(draft: OrderDraft) -> tuple[dict[str, Any], dict[str, Any]]:
    """``orderCreate``'s `order` (OrderCreateOrderInput) and `options`
    (OrderCreateOptionsInput) for `draft`; ValueError when the draft cannot be sent."""
    if not draft.lines:
        raise ValueError("an order needs at least one line")
    currency = draft.currency
    line_total = sum((line.price.amount * line.quantity for line in draft.lines), Decimal(0))
    order: dict[str, Any] = {
        "lineItems": [
            {
                "variantId": gid("ProductVariant", _numeric_id(line.variant_id, "variant id")),
                "quantity": line.quantity,
                "priceSet": _money(line.price, currency),
                "taxLines": _taxes(line.taxes, line.price.amount * line.quantity, currency),
            }
            for line in draft.lines
        ],
        "currency": currency,
        "financialStatus": "PAID" if draft.paid else "PENDING",
        "transactions": [
            {
                "kind": "SALE",
                "status": "SUCCESS",
                "amountSet": _money(payment.amount, currency),
                "gateway": payment.gateway,
            }
            for payment in draft.payments
        ],
        "taxLines": _taxes(draft.taxes, line_total, currency),
        "shippingLines": [
            {
                "title": charge.title,
                "priceSet": _money(charge.amount, currency),
                "taxLines": _taxes(charge.taxes, charge.amount.amount, currency),
                **({} if charge.code is None else {"code": charge.code}),
            }
            for charge in draft.shipping
        ],
        "tags": list(
            dict.fromkeys(
                tag for tag in (draft.label, status_label(draft.marketplace_status)) if tag
            )
        ),
        "customAttributes": [
            {"key": ORDER_ID_ATTRIBUTE, "value": draft.reference},
            {"key": STATUS_ATTRIBUTE, "value": draft.marketplace_status.value},
            {"key": SHIPPED_BY_ATTRIBUTE, "value": draft.shipped_by.value},
        ],
        "sourceName": SOURCE_NAME,
        "sourceIdentifier": draft.reference,
        "taxesIncluded": draft.taxes_included,
    }
    optional = {
        "email": draft.email,
        "phone": draft.phone,
        "note": draft.note,
        "discountCode": _discount(draft),
        "customer": _customer(draft.buyer),
        "shippingAddress": _address(draft.shipping_address),
        "billingAddress": _address(draft.billing_address),
    }
    order.update({key: value for key, value in optional.items() if value is not None})
    options = {
        "inventoryBehaviour": _INVENTORY_BEHAVIOUR[draft.stock],
        "sendReceipt": False,
        "sendFulfillmentReceipt": False,
    }
    return order, options
