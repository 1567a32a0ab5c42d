"""Return, refund and replacement requests after delivery, and their status moves.

Documented (DOMAIN.md section 11.6): the statuses, the three return types and
webhook 12 ``RETURN_STATUS_CHANGE`` with ``order_id, return_role, return_type, return_status,
return_id, create_time, update_time``. The simulator's reading (not documented): the buyer may
ask once the order is DELIVERED or COMPLETED, one open request per order; the moves are

- PENDING → AWAITING_BUYER_SHIP (not for REFUND) | SUCCESS | REJECT | CANCEL (buyer withdrew)
- AWAITING_BUYER_SHIP → BUYER_SHIPPED_ITEM | CANCEL
- BUYER_SHIPPED_ITEM → SUCCESS | REJECT_RECEIVE_PACKAGE
- SUCCESS → COMPLETE (refund paid)

and a move without a target takes the main path (PENDING → AWAITING_BUYER_SHIP →
BUYER_SHIPPED_ITEM → SUCCESS → COMPLETE; a REFUND skips the parcel). The order itself keeps
its status. Webhook 12 follows every change, the request included.
"""

from __future__ import annotations

from decimal import Decimal

from simulators.tiktok.errors import business_error
from simulators.tiktok.model import (
    RETURN_TYPES,
    Order,
    OrderStatus,
    ReturnRequest,
    ReturnStatus,
)
from simulators.tiktok.state import SimState

WEBHOOK_RETURN = 12
BUYER = "BUYER"
REFUND_ONLY = "REFUND"
DEFAULT_TYPE = "RETURN_AND_REFUND"
DEFAULT_REASON = "ecom_order_delivered_refund_and_return_reason_not_as_described"
INVALID_PARAM = 25001001
ELIGIBLE = frozenset({OrderStatus.DELIVERED, OrderStatus.COMPLETED})
FINAL = frozenset(
    {
        ReturnStatus.REJECT,
        ReturnStatus.REJECT_RECEIVE_PACKAGE,
        ReturnStatus.CANCEL,
        ReturnStatus.COMPLETE,
    }
)
MOVES: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    ReturnStatus.PENDING: frozenset(
        {
            ReturnStatus.AWAITING_BUYER_SHIP,
            ReturnStatus.SUCCESS,
            ReturnStatus.REJECT,
            ReturnStatus.CANCEL,
        }
    ),
    ReturnStatus.AWAITING_BUYER_SHIP: frozenset(
        {ReturnStatus.BUYER_SHIPPED_ITEM, ReturnStatus.CANCEL}
    ),
    ReturnStatus.BUYER_SHIPPED_ITEM: frozenset(
        {ReturnStatus.SUCCESS, ReturnStatus.REJECT_RECEIVE_PACKAGE}
    ),
    ReturnStatus.SUCCESS: frozenset({ReturnStatus.COMPLETE}),
}


def _invalid(message: str) -> Exception:
    return business_error(INVALID_PARAM, message)


MAIN_PATH = (
    ReturnStatus.PENDING,
    ReturnStatus.AWAITING_BUYER_SHIP,
    ReturnStatus.BUYER_SHIPPED_ITEM,
    ReturnStatus.SUCCESS,
    ReturnStatus.COMPLETE,
)


def _next(status: ReturnStatus, return_type: str) -> ReturnStatus:
    if status is ReturnStatus.PENDING and return_type == REFUND_ONLY:
        return ReturnStatus.SUCCESS
    return MAIN_PATH[MAIN_PATH.index(status) + 1]


def _set(state: SimState, request: ReturnRequest, status: ReturnStatus) -> None:
    request.status = status
    request.update_time = state.now()
    _notify(state, request)


def _notify(state: SimState, request: ReturnRequest) -> None:
    data: dict[str, object] = {
        "order_id": request.order_id,
        "return_role": request.role,
        "return_type": request.return_type,
        "return_status": request.status.value,
        "return_id": request.return_id,
        "create_time": request.create_time,
        "update_time": request.update_time,
    }
    state.notify(request.shop_id, WEBHOOK_RETURN, data)


def _line_items(order: Order, line_item_ids: list[str] | None) -> list[str]:
    live = [item.line_item_id for item in order.line_items if not item.cancelled]
    if line_item_ids is None:
        return live
    if not line_item_ids or not set(line_item_ids) <= set(live):
        raise _invalid("order_line_item_ids must name live line items of the order")
    return list(dict.fromkeys(line_item_ids))


def request_return(
    state: SimState,
    order: Order,
    return_type: str | None,
    reason: str | None,
    line_item_ids: list[str] | None = None,
) -> ReturnRequest:
    """The buyer asks for a return, a refund or a replacement of a delivered order."""
    kind = return_type or DEFAULT_TYPE
    if kind not in RETURN_TYPES:
        raise _invalid(f"return_type must be one of {sorted(RETURN_TYPES)}")
    if order.status not in ELIGIBLE:
        raise _invalid(f"order {order.order_id} is {order.status}; returns start at DELIVERED")
    if any(r.status not in FINAL for r in state.returns_of(order.order_id)):
        message = "A return request is already in process, or the order has already been cancelled."
        raise business_error(25001011, message)
    items = {item.line_item_id: item for item in order.line_items}
    chosen = _line_items(order, line_item_ids)
    now = state.now()
    request = ReturnRequest(
        return_id=state.ids.return_request.next(),
        order_id=order.order_id,
        shop_id=order.shop_id,
        return_type=kind,
        status=ReturnStatus.PENDING,
        role=BUYER,
        reason=reason or DEFAULT_REASON,
        create_time=now,
        update_time=now,
        line_item_ids=chosen,
        refund_subtotal=sum((items[i].sale_price for i in chosen), Decimal(0)),
        currency=order.currency,
    )
    state.add_return(request)
    _notify(state, request)
    return request


def advance(state: SimState, request: ReturnRequest, target: ReturnStatus | None) -> None:
    """One step on the main path, a direct move to `target`, or the main path up to it."""
    if request.status in FINAL:
        raise _invalid(f"return {request.return_id} is {request.status.value} and cannot move")
    if target is None:
        _set(state, request, _next(request.status, request.return_type))
        return
    allowed = MOVES[request.status]
    if target is ReturnStatus.AWAITING_BUYER_SHIP and request.return_type == REFUND_ONLY:
        allowed = allowed - {target}
    if target in allowed:
        _set(state, request, target)
        return
    path = [request.status]
    while path[-1] not in FINAL and path[-1] is not target:
        path.append(_next(path[-1], request.return_type))
    if path[-1] is not target:
        raise _invalid(
            f"return {request.return_id} cannot move from {request.status.value} to {target.value}"
        )
    for status in path[1:]:
        _set(state, request, status)
