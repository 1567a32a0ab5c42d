"""Search Returns: ``POST /return_refund/202309/returns/search``.

Query ``page_size`` (10-50, DOMAIN.md section 11.6; default 10), ``page_token``, ``sort_field``
(``create_time`` default | ``update_time``) and ``sort_order`` (ASC default), as Search
Cancellations; body filters ``return_ids``, ``order_ids``, ``buyer_user_ids``,
``return_types``, ``return_status`` (every spelling of the rejected status), ``create_time_ge/lt``
and ``update_time_ge/lt``. Records come back under ``return_orders``.
"""

from __future__ import annotations

from collections.abc import Callable

from simulators.tiktok.context import RequestContext, money, optional_int, str_list
from simulators.tiktok.errors import business_error
from simulators.tiktok.model import (
    RETURN_STATUS_ALIASES,
    RETURN_TYPES,
    JsonObject,
    ReturnRequest,
)
from simulators.tiktok.pagination import CursorKey, keyset_page
from simulators.tiktok.state import SimState

MIN_PAGE = 10
MAX_PAGE = 50
DEFAULT_PAGE = 10
REPLACEMENT = "REPLACEMENT"
INVALID_PARAM = 25001001
INVALID_PARAM_MESSAGE = (
    "An invalid request parameter was passed. Please check that you have the correct parameter "
    "type(s) and format."
)


def _invalid(detail: str) -> Exception:
    return business_error(INVALID_PARAM, f"{INVALID_PARAM_MESSAGE} ({detail})")


def _refund(request: ReturnRequest, total: str) -> JsonObject:
    return {
        "currency": request.currency,
        "refund_total": total,
        "refund_subtotal": total,
        "refund_shipping_fee": "0.00",
        "refund_tax": "0.00",
    }


def return_json(state: SimState, request: ReturnRequest) -> JsonObject:
    order = state.orders[request.order_id]
    items = {item.line_item_id: item for item in order.line_items}
    refunded = request.return_type != REPLACEMENT
    lines = [
        {
            "return_line_item_id": f"{request.return_id}{index:03d}",
            "order_line_item_id": line_item_id,
            "sku_id": items[line_item_id].sku_id,
            "sku_name": items[line_item_id].sku_name,
            "product_name": items[line_item_id].product_name,
            "seller_sku": items[line_item_id].seller_sku,
            "refund_amount": _refund(
                request, money(items[line_item_id].sale_price) if refunded else "0.00"
            ),
        }
        for index, line_item_id in enumerate(request.line_item_ids)
    ]
    return {
        "return_id": request.return_id,
        "order_id": request.order_id,
        "return_type": request.return_type,
        "return_status": request.status.value,
        "role": request.role,
        "return_reason": request.reason,
        "return_reason_text": request.reason.replace("_", " "),
        "create_time": request.create_time,
        "update_time": request.update_time,
        "refund_amount": _refund(request, money(request.refund_subtotal) if refunded else "0.00"),
        "return_line_items": lines,
    }


def _filter(state: SimState, payload: JsonObject) -> Callable[[ReturnRequest], bool]:
    return_ids = set(str_list(payload, "return_ids"))
    order_ids = set(str_list(payload, "order_ids"))
    buyers = set(str_list(payload, "buyer_user_ids"))
    types = set(str_list(payload, "return_types"))
    if not types <= RETURN_TYPES:
        raise _invalid(f"return_types accepts {', '.join(sorted(RETURN_TYPES))}")
    raw_statuses = str_list(payload, "return_status")
    unknown = [s for s in raw_statuses if s not in RETURN_STATUS_ALIASES]
    if unknown:
        raise _invalid(f"unknown return_status {unknown[0]}")
    statuses = {RETURN_STATUS_ALIASES[s] for s in raw_statuses}
    created = [optional_int(payload, name) for name in ("create_time_ge", "create_time_lt")]
    updated = [optional_int(payload, name) for name in ("update_time_ge", "update_time_lt")]

    def within(value: int, bounds: list[int | None]) -> bool:
        return (bounds[0] is None or value >= bounds[0]) and (
            bounds[1] is None or value < bounds[1]
        )

    def accept(r: ReturnRequest) -> bool:
        return (
            (not return_ids or r.return_id in return_ids)
            and (not order_ids or r.order_id in order_ids)
            and (not buyers or state.orders[r.order_id].user_id in buyers)
            and (not types or r.return_type in types)
            and (not statuses or r.status in statuses)
            and within(r.create_time, created)
            and within(r.update_time, updated)
        )

    return accept


def _page_size(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_PAGE
    if not raw.isdigit() or not MIN_PAGE <= int(raw) <= MAX_PAGE:
        raise _invalid(f"page_size must be between {MIN_PAGE} and {MAX_PAGE}")
    return int(raw)


def search_returns(ctx: RequestContext) -> JsonObject:
    page_size = _page_size(ctx.query.get("page_size"))
    sort_field = ctx.query.get("sort_field") or "create_time"
    sort_order = ctx.query.get("sort_order") or "ASC"
    if sort_field not in {"create_time", "update_time"} or sort_order not in {"ASC", "DESC"}:
        raise _invalid("sort_field/sort_order")
    state, shop_id = ctx.state, ctx.shop.shop_id
    accept = _filter(state, ctx.json())
    sign = -1 if sort_order == "DESC" else 1

    def key(r: ReturnRequest) -> CursorKey:
        value = r.update_time if sort_field == "update_time" else r.create_time
        return (sign * value, sign * int(r.return_id))

    ids = state.return_ids_by_shop.get(shop_id, [])
    matching = sorted((r for rid in ids if accept(r := state.returns[rid])), key=key)
    page = keyset_page(
        matching,
        key,
        page_size=page_size,
        token=ctx.query.get("page_token"),
        kind=f"returns:{sort_field}:{sort_order}",
        scope=shop_id,
    )
    return {
        "return_orders": [return_json(state, r) for r in page.items],
        "next_page_token": page.next_page_token,
        "total_count": page.total_count,
    }
