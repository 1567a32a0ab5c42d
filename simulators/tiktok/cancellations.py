"""Cancellation endpoints: Cancel Order (seller), Search Cancellations, approve/reject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulators.tiktok import cancel_flow
from simulators.tiktok.context import (
    RequestContext,
    money,
    optional_int,
    optional_str,
    str_list,
)
from simulators.tiktok.errors import business_error
from simulators.tiktok.model import (
    CANCEL_STATUS_ALIASES,
    Cancellation,
    JsonObject,
    Order,
    search_spelling,
)
from simulators.tiktok.pagination import CursorKey, keyset_page
from simulators.tiktok.state import SimState

MAX_PAGE = 50
DEFAULT_PAGE = 10
INVALID_PARAM = 25001001
INVALID_PARAM_MESSAGE = (
    "An invalid request parameter was passed. Please check that you have the correct parameter "
    "type(s) and format."
)
CANCEL_TYPES = frozenset({"CANCEL", "BUYER_CANCEL"})


def _invalid(detail: str) -> Exception:
    return business_error(INVALID_PARAM, f"{INVALID_PARAM_MESSAGE} ({detail})")


def cancellation_json(state: SimState, cancellation: Cancellation) -> JsonObject:
    order = state.orders[cancellation.order_id]
    items = {item.line_item_id: item for item in order.line_items}
    total = cancellation.refund_subtotal + cancellation.refund_shipping_fee
    refund = {
        "currency": cancellation.currency,
        "refund_total": money(total),
        "refund_subtotal": money(cancellation.refund_subtotal),
        "refund_shipping_fee": money(cancellation.refund_shipping_fee),
        "refund_tax": "0.00",
    }
    lines: list[JsonObject] = []
    for index, line_item_id in enumerate(cancellation.line_item_ids):
        item = items[line_item_id]
        lines.append(
            {
                "cancel_line_item_id": f"{cancellation.cancel_id}{index:03d}",
                "order_line_item_id": line_item_id,
                "sku_id": item.sku_id,
                "sku_name": item.sku_name,
                "product_name": item.product_name,
                "seller_sku": item.seller_sku,
                "refund_amount": {
                    "currency": item.currency,
                    "refund_total": money(item.sale_price),
                    "refund_subtotal": money(item.sale_price),
                    "refund_shipping_fee": "0.00",
                    "refund_tax": "0.00",
                },
            }
        )
    next_action: list[JsonObject] = []
    if cancellation.deadline is not None:
        next_action.append({"action": "SELLER_RESPOND_CANCEL", "deadline": cancellation.deadline})
    return {
        "cancel_id": cancellation.cancel_id,
        "order_id": cancellation.order_id,
        "cancel_type": cancellation.cancel_type,
        "cancel_status": search_spelling(cancellation.status),
        "role": cancellation.role,
        "cancel_reason": cancellation.reason,
        "cancel_reason_text": cancellation.reason_text,
        "create_time": cancellation.create_time,
        "update_time": cancellation.update_time,
        "seller_next_action_response": next_action,
        "refund_amount": refund,
        "cancel_line_items": lines,
    }


def _order(ctx: RequestContext, order_id: Any) -> Order:
    order = ctx.state.shop_order(ctx.shop.shop_id, order_id) if isinstance(order_id, str) else None
    if order is None:
        raise business_error(25020005, "No permission to process this order")
    return order


def cancel_order(ctx: RequestContext) -> JsonObject:
    """Seller cancellation; item-level only for out-of-stock (UK rule)."""
    payload = ctx.json()
    order = _order(ctx, payload.get("order_id"))
    reason = optional_str(payload, "cancel_reason")
    if not reason:
        raise _invalid("cancel_reason is required")
    line_item_ids = _requested_items(order, payload)
    cancellation = cancel_flow.seller_cancel(ctx.state, order, reason, line_item_ids)
    return {"cancel_id": cancellation.cancel_id, "cancel_status": cancellation.status.value}


def _requested_items(order: Order, payload: JsonObject) -> list[str] | None:
    ids = str_list(payload, "order_line_item_ids")
    skus = payload.get("skus")
    if skus is None:
        return ids or None
    if not isinstance(skus, list):
        raise _invalid("skus must be a list")
    chosen = list(ids)
    for entry in skus:
        sku_id = entry.get("sku_id") if isinstance(entry, dict) else None
        quantity = entry.get("quantity") if isinstance(entry, dict) else None
        if not isinstance(sku_id, str) or not isinstance(quantity, int) or quantity < 1:
            raise _invalid("skus[] needs sku_id and a positive quantity")
        live = [
            item.line_item_id
            for item in order.line_items
            if item.sku_id == sku_id and not item.cancelled and item.line_item_id not in chosen
        ]
        if len(live) < quantity:
            raise _invalid(f"the order has fewer than {quantity} units of SKU {sku_id}")
        chosen.extend(live[:quantity])
    return chosen


def _filter(payload: JsonObject) -> Callable[[Cancellation], bool]:
    cancel_ids = set(str_list(payload, "cancel_ids"))
    order_ids = set(str_list(payload, "order_ids"))
    types = set(str_list(payload, "cancel_types"))
    if not types <= CANCEL_TYPES:
        raise _invalid("cancel_types accepts CANCEL and BUYER_CANCEL")
    raw_statuses = str_list(payload, "cancel_status")
    unknown = [s for s in raw_statuses if s not in CANCEL_STATUS_ALIASES]
    if unknown:
        raise _invalid(f"unknown cancel_status {unknown[0]}")
    statuses = {CANCEL_STATUS_ALIASES[s] for s in raw_statuses}
    bounds = [optional_int(payload, name) for name in ("create_time_ge", "create_time_lt")]
    updates = [optional_int(payload, name) for name in ("update_time_ge", "update_time_lt")]

    def accept(c: Cancellation) -> bool:
        return (
            (not cancel_ids or c.cancel_id in cancel_ids)
            and (not order_ids or c.order_id in order_ids)
            and (not types or c.cancel_type in types)
            and (not statuses or c.status in statuses)
            and (bounds[0] is None or c.create_time >= bounds[0])
            and (bounds[1] is None or c.create_time < bounds[1])
            and (updates[0] is None or c.update_time >= updates[0])
            and (updates[1] is None or c.update_time < updates[1])
        )

    return accept


def _page_size(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_PAGE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise _invalid(f"page_size must be between 1 and {MAX_PAGE}")
    return int(raw)


def search_cancellations(ctx: RequestContext) -> JsonObject:
    """Both spellings of the withdrawn status are accepted in ``cancel_status``."""
    page_size = _page_size(ctx.query.get("page_size"))
    sort_field = ctx.query.get("sort_field") or "create_time"
    sort_order = ctx.query.get("sort_order") or "ASC"
    if sort_field not in {"create_time", "update_time"} or sort_order not in {"ASC", "DESC"}:
        raise _invalid("sort_field/sort_order")
    accept = _filter(ctx.json())
    sign = -1 if sort_order == "DESC" else 1

    def key(c: Cancellation) -> CursorKey:
        value = c.update_time if sort_field == "update_time" else c.create_time
        return (sign * value, sign * int(c.cancel_id))

    state, shop_id = ctx.state, ctx.shop.shop_id
    ids = state.cancellation_ids_by_shop[shop_id]
    matching = sorted((c for cid in ids if accept(c := state.cancellations[cid])), key=key)
    page = keyset_page(
        matching,
        key,
        page_size=page_size,
        token=ctx.query.get("page_token"),
        kind=f"cancellations:{sort_field}:{sort_order}",
        scope=shop_id,
    )
    return {
        "cancellations": [cancellation_json(state, c) for c in page.items],
        "next_page_token": page.next_page_token,
        "total_count": page.total_count,
    }


def _cancellation(ctx: RequestContext) -> Cancellation:
    cancellation = ctx.state.cancellations.get(ctx.params["cancel_id"])
    if cancellation is None or cancellation.shop_id != ctx.shop.shop_id:
        raise business_error(25020005, "No permission to process this order")
    return cancellation


def approve_cancellation(ctx: RequestContext) -> JsonObject:
    cancel_flow.approve(ctx.state, _cancellation(ctx))
    return {}


def reject_cancellation(ctx: RequestContext) -> JsonObject:
    cancel_flow.reject(ctx.state, _cancellation(ctx))
    return {}
