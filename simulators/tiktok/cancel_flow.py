"""Cancellation records and their lifecycle (buyer, seller and system cancellations).

A buyer may cancel freely while the order is UNPAID or ON_HOLD; from AWAITING_SHIPMENT the
request waits for the seller (approve/reject) until a deadline, then the platform approves it.
A successful cancellation moves to COMPLETE once the refund is paid. Webhook type 11 follows
every status change.
"""

from __future__ import annotations

from decimal import Decimal

from simulators.tiktok.errors import business_error
from simulators.tiktok.model import (
    Cancellation,
    CancelStatus,
    LineItem,
    Order,
    OrderStatus,
)
from simulators.tiktok.order_flow import cancel_items
from simulators.tiktok.state import SimState
from simulators.tiktok.timeline import Due, DueKind

WEBHOOK_CANCELLATION = 11
BUYER = "BUYER"
SELLER = "SELLER"
SYSTEM = "SYSTEM"
TYPE_BY_ROLE = {BUYER: "BUYER_CANCEL", SELLER: "CANCEL", SYSTEM: "CANCEL"}

UNPAID_REASONS: dict[str, str] = {
    "seller_cancel_unpaid_reason_out_of_stock_uk": "Out of stock",
    "seller_cancel_unpaid_reason_wrong_price_uk": "Pricing error",
    "seller_cancel_unpaid_reason_buyer_hasnt_paid_within_time_allowed_uk": (
        "Buyer hasn't paid within time allowed"
    ),
}
PAID_REASONS: dict[str, str] = {
    "seller_cancel_reason_wrong_price_uk": "Pricing error",
    "seller_cancel_paid_reason_address_not_deliver_uk": "Unable to deliver to buyer address",
    "seller_cancel_reason_out_of_stock_uk": "Out of stock",
}
OUT_OF_STOCK = frozenset(
    {"seller_cancel_unpaid_reason_out_of_stock_uk", "seller_cancel_reason_out_of_stock_uk"}
)
SYSTEM_REASONS: dict[str, str] = {
    "system_cancel_unpaid_time_out_uk": "Payment timeout",
    "package_lost_uk": "Package lost",
    "threepl_breach_uk": "Logistics issue",
    "system_cancel_order_reason_shipping_timeout_uk": "Seller did not ship in time",
    "system_cancel_order_untracked_uk": "Package untracked",
}
BUYER_REASONS: dict[str, str] = {
    "ecom_order_to_ship_canceled_reason_created_by_mistakes": "Order created by mistake",
    "ecom_order_to_ship_canceled_reason_change_of_mind": "No longer needed",
    "ecom_order_to_ship_canceled_reason_better_price": "Found a better price",
}
DEFAULT_BUYER_REASON = "ecom_order_to_ship_canceled_reason_created_by_mistakes"
DEFAULT_SYSTEM_REASON = "system_cancel_order_reason_shipping_timeout_uk"
FREE_CANCEL = frozenset({OrderStatus.UNPAID, OrderStatus.ON_HOLD})
NEEDS_APPROVAL = frozenset({OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SHIPPING})
FINISHED = frozenset({OrderStatus.CANCELLED, OrderStatus.COMPLETED})


def reason_text(reason: str) -> str:
    for table in (UNPAID_REASONS, PAID_REASONS, SYSTEM_REASONS, BUYER_REASONS):
        if reason in table:
            return table[reason]
    return reason.replace("_", " ")


def seller_reasons(status: OrderStatus) -> dict[str, str]:
    if status is OrderStatus.UNPAID:
        return UNPAID_REASONS
    if status in {OrderStatus.ON_HOLD, *NEEDS_APPROVAL}:
        return PAID_REASONS
    return {}


def _new(
    state: SimState, order: Order, role: str, reason: str, items: list[LineItem]
) -> Cancellation:
    now = state.now()
    whole = len(items) == sum(1 for item in order.line_items if not item.cancelled)
    cancellation = Cancellation(
        cancel_id=state.ids.cancellation.next(),
        order_id=order.order_id,
        shop_id=order.shop_id,
        cancel_type=TYPE_BY_ROLE[role],
        status=CancelStatus.PENDING,
        role=role,
        reason=reason,
        reason_text=reason_text(reason),
        create_time=now,
        update_time=now,
        line_item_ids=[item.line_item_id for item in items],
        refund_subtotal=sum((item.sale_price for item in items), Decimal(0)),
        refund_shipping_fee=order.shipping_fee if whole else Decimal(0),
        currency=order.currency,
    )
    state.add_cancellation(cancellation)
    return cancellation


def _set(state: SimState, cancellation: Cancellation, status: CancelStatus) -> None:
    cancellation.status = status
    cancellation.update_time = state.now()
    data: dict[str, object] = {
        "order_id": cancellation.order_id,
        "cancellations_role": cancellation.role,
        "cancel_status": cancellation.status.value,
        "cancel_id": cancellation.cancel_id,
        "create_time": cancellation.create_time,
    }
    state.notify(cancellation.shop_id, WEBHOOK_CANCELLATION, data)


def _succeed(state: SimState, cancellation: Cancellation) -> None:
    order = state.orders[cancellation.order_id]
    order.is_buyer_request_cancel = False
    cancel_items(
        state, order, cancellation.line_item_ids, cancellation.role, cancellation.reason_text
    )
    cancellation.deadline = None
    _set(state, cancellation, CancelStatus.SUCCESS)
    when = state.clock.now() + state.config.refund_complete_seconds
    state.schedule(when, Due(DueKind.REFUND_COMPLETE, cancellation.cancel_id))


def _pending_for(state: SimState, order: Order) -> Cancellation | None:
    for cancellation in state.cancellations_of(order.order_id):
        if cancellation.status is CancelStatus.PENDING:
            return cancellation
    return None


def _live_items(order: Order, line_item_ids: list[str] | None) -> list[LineItem]:
    live = [item for item in order.line_items if not item.cancelled]
    if line_item_ids is None:
        return live
    wanted = set(line_item_ids)
    chosen = [item for item in live if item.line_item_id in wanted]
    if len(chosen) != len(wanted):
        raise business_error(
            25001001,
            "An invalid request parameter was passed. Please check that you have the correct "
            "parameter type(s) and format.",
        )
    return chosen


def buyer_cancel(
    state: SimState, order: Order, reason: str | None, line_item_ids: list[str] | None = None
) -> Cancellation:
    if order.status in FINISHED or _pending_for(state, order) is not None:
        message = "A return request is already in process, or the order has already been cancelled."
        raise business_error(25001011, message)
    if order.status not in FREE_CANCEL | NEEDS_APPROVAL:
        message = "The order has already been shipped and we are unable to cancel shipment."
        raise business_error(25001045, message)
    items = _live_items(order, line_item_ids)
    cancellation = _new(state, order, BUYER, reason or DEFAULT_BUYER_REASON, items)
    if order.status in FREE_CANCEL:
        _succeed(state, cancellation)
        return cancellation
    deadline = state.now() + state.config.buyer_cancel_response_seconds
    cancellation.deadline = deadline
    order.is_buyer_request_cancel = True
    order.request_cancel_time = state.now()
    order.update_time = state.now()
    _set(state, cancellation, CancelStatus.PENDING)
    state.schedule(deadline, Due(DueKind.CANCEL_DEADLINE, cancellation.cancel_id))
    return cancellation


def seller_cancel(
    state: SimState, order: Order, reason: str, line_item_ids: list[str] | None
) -> Cancellation:
    if order.status in FINISHED:
        message = "Not allowed to return or cancel since order is completed or cancelled"
        raise business_error(25001051, message)
    if _pending_for(state, order) is not None:
        message = "A return request is already in process, or the order has already been cancelled."
        raise business_error(25001011, message)
    allowed = seller_reasons(order.status)
    if not allowed:
        message = "The order has already been shipped and we are unable to cancel shipment."
        raise business_error(25001045, message)
    if reason not in {*UNPAID_REASONS, *PAID_REASONS}:
        raise business_error(
            25001014, "Unknown return reason. Please ensure you are passing a valid return reason."
        )
    if reason not in allowed:
        raise business_error(25001021, "Reason not match order status")
    items = _live_items(order, line_item_ids)
    partial = len(items) < sum(1 for item in order.line_items if not item.cancelled)
    if partial and reason not in OUT_OF_STOCK:
        raise business_error(
            25005010, "Unable to cancel individual line items within this request."
        )
    cancellation = _new(state, order, SELLER, reason, items)
    _succeed(state, cancellation)
    return cancellation


def system_cancel(state: SimState, order: Order, reason: str | None) -> Cancellation:
    if order.status in FINISHED:
        message = "Not allowed to return or cancel since order is completed or cancelled"
        raise business_error(25001051, message)
    pending = _pending_for(state, order)
    if pending is not None:
        _set(state, pending, CancelStatus.CANCELLED)
    cancellation = _new(
        state, order, SYSTEM, reason or DEFAULT_SYSTEM_REASON, _live_items(order, None)
    )
    _succeed(state, cancellation)
    return cancellation


def approve(state: SimState, cancellation: Cancellation) -> None:
    _require_pending(cancellation)
    _succeed(state, cancellation)


def reject(state: SimState, cancellation: Cancellation) -> None:
    """The seller refuses (or the buyer withdraws): the request ends, the order carries on."""
    _require_pending(cancellation)
    order = state.orders[cancellation.order_id]
    order.is_buyer_request_cancel = False
    cancellation.deadline = None
    order.update_time = state.now()
    _set(state, cancellation, CancelStatus.CANCELLED)


def _require_pending(cancellation: Cancellation) -> None:
    if cancellation.status is not CancelStatus.PENDING:
        raise business_error(
            25001001,
            f"The cancellation is {cancellation.status.value}, not CANCELLATION_REQUEST_PENDING.",
        )


def on_deadline(state: SimState, cancel_id: str) -> None:
    """The seller did not answer in time: the platform approves the buyer's request."""
    cancellation = state.cancellations.get(cancel_id)
    if cancellation is not None and cancellation.status is CancelStatus.PENDING:
        _succeed(state, cancellation)


def complete_refund(state: SimState, cancel_id: str) -> None:
    cancellation = state.cancellations.get(cancel_id)
    if cancellation is not None and cancellation.status is CancelStatus.SUCCESS:
        _set(state, cancellation, CancelStatus.COMPLETE)
