"""Order endpoints: Get Order List (search), Get Order Detail, external order references."""

from __future__ import annotations

from collections.abc import Callable

from simulators.tiktok.context import (
    RequestContext,
    optional_int,
    optional_str,
    str_list,
)
from simulators.tiktok.errors import business_error, invalid_param
from simulators.tiktok.model import JsonObject, Order, OrderStatus
from simulators.tiktok.order_view import order_json
from simulators.tiktok.pagination import CursorKey, keyset_page, parse_page_size

MAX_PAGE = 100
MAX_DETAIL_IDS = 50
MAX_EXTERNAL_ORDERS = 100
SORT_FIELDS = frozenset({"create_time", "update_time"})
SORT_ORDERS = frozenset({"ASC", "DESC"})
OMS_PLATFORMS = frozenset(
    {
        "SHOPIFY",
        "WOOCOMMERCE",
        "BIGCOMMERCE",
        "MAGENTO",
        "SALESFORCE_COMMERCE_CLOUD",
        "CHANNEL_ADVISOR",
        "AMAZON",
        "ORDER_MANAGEMENT_SYSTEM",
        "WAREHOUSE_MANAGEMENT_SYSTEM",
        "ERP_SYSTEM",
    }
)
NOT_OWNED = 21008111


def _order_filter(payload: JsonObject) -> Callable[[Order], bool]:
    status = optional_str(payload, "order_status")
    if status is not None and status not in OrderStatus.__members__:
        raise invalid_param("order_status is not a valid order status")
    bounds = {
        name: optional_int(payload, name)
        for name in ("create_time_ge", "create_time_lt", "update_time_ge", "update_time_lt")
    }
    shipping_type = optional_str(payload, "shipping_type")
    buyer = optional_str(payload, "buyer_user_id")
    warehouses = set(str_list(payload, "warehouse_ids", limit=100))
    buyer_cancel = payload.get("is_buyer_request_cancel")

    def accept(order: Order) -> bool:
        checks = (
            status is None or order.status == status,
            _within(order.create_time, bounds["create_time_ge"], bounds["create_time_lt"]),
            _within(order.update_time, bounds["update_time_ge"], bounds["update_time_lt"]),
            shipping_type is None or order.shipping_type == shipping_type,
            buyer is None or order.user_id == buyer,
            not warehouses or order.warehouse_id in warehouses,
            buyer_cancel is None or order.is_buyer_request_cancel == buyer_cancel,
        )
        return all(checks)

    return accept


def _within(value: int, lower: int | None, upper: int | None) -> bool:
    return (lower is None or value >= lower) and (upper is None or value < upper)


def search_orders(ctx: RequestContext) -> JsonObject:
    page_size = parse_page_size(ctx.query.get("page_size"), maximum=MAX_PAGE, default=None)
    sort_field = ctx.query.get("sort_field") or "create_time"
    sort_order = ctx.query.get("sort_order") or "DESC"
    if sort_field not in SORT_FIELDS:
        raise invalid_param("sort_field must be create_time or update_time")
    if sort_order not in SORT_ORDERS:
        raise invalid_param("sort_order must be ASC or DESC")
    accept = _order_filter(ctx.json())
    sign = -1 if sort_order == "DESC" else 1

    def key(order: Order) -> CursorKey:
        value = order.update_time if sort_field == "update_time" else order.create_time
        return (sign * value, sign * int(order.order_id))

    state, shop_id = ctx.state, ctx.shop.shop_id
    matching = [state.orders[oid] for oid in state.order_ids_by_shop[shop_id]]
    matching = sorted((order for order in matching if accept(order)), key=key)
    page = keyset_page(
        matching,
        key,
        page_size=page_size,
        token=ctx.query.get("page_token"),
        kind=f"orders:{sort_field}:{sort_order}",
        scope=shop_id,
    )
    return {
        "orders": [order_json(state, order) for order in page.items],
        "next_page_token": page.next_page_token,
        "total_count": page.total_count,
    }


def get_order_detail(ctx: RequestContext) -> JsonObject:
    raw = ctx.query.get("ids", "")
    ids = [part for part in raw.split(",") if part]
    if not ids:
        raise invalid_param("ids is required")
    if len(ids) > MAX_DETAIL_IDS:
        raise invalid_param(f"ids accepts at most {MAX_DETAIL_IDS} order ids")
    orders: list[JsonObject] = []
    for order_id in ids:
        order = ctx.state.shop_order(ctx.shop.shop_id, order_id)
        if order is None:
            message = "The order or package does not belong to the current seller."
            raise business_error(NOT_OWNED, message)
        orders.append(order_json(ctx.state, order))
    return {"orders": orders}


def _external_error(order_id: str, external: JsonObject, message: str) -> JsonObject:
    detail = {
        "order_id": order_id,
        "external_order": {k: external.get(k) for k in ("id", "platform")},
    }
    return {"code": "36020001", "message": message, "detail": detail}


def add_external_orders(ctx: RequestContext) -> JsonObject:
    entries = ctx.json().get("orders")
    if not isinstance(entries, list) or not entries:
        raise invalid_param("orders is required")
    if len(entries) > MAX_EXTERNAL_ORDERS:
        raise invalid_param(f"orders accepts at most {MAX_EXTERNAL_ORDERS} items")
    errors: list[JsonObject] = []
    for entry in entries:
        order_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        external = entry.get("external_order") if isinstance(entry, dict) else None
        if not isinstance(external, dict):
            errors.append(_external_error(order_id, {}, "Invalid external_order"))
            continue
        order = ctx.state.shop_order(ctx.shop.shop_id, order_id)
        if order is None:
            errors.append(_external_error(order_id, external, "Invalid order_id"))
        elif external.get("platform") not in OMS_PLATFORMS or not external.get("id"):
            errors.append(_external_error(order_id, external, "Invalid external_order"))
        else:
            _attach(ctx, order, external)
    return {"errors": errors} if errors else {}


def _attach(ctx: RequestContext, order: Order, external: JsonObject) -> None:
    platform = str(external["platform"])
    previous = order.external_orders.get(platform)
    if previous is not None:
        ctx.state.external_refs.pop((order.shop_id, platform, str(previous["id"])), None)
    external_id = str(external["id"])
    order.external_orders[platform] = {
        "id": external_id,
        "platform": platform,
        "line_items": list(external.get("line_items") or []),
    }
    ctx.state.external_refs[(order.shop_id, platform, external_id)] = order.order_id


def get_external_orders(ctx: RequestContext) -> JsonObject:
    platform = ctx.query.get("platform")
    if not platform:
        raise invalid_param("platform is required")
    order = ctx.state.shop_order(ctx.shop.shop_id, ctx.params["order_id"])
    if order is None:
        raise business_error(
            NOT_OWNED, "The order or package does not belong to the current seller."
        )
    found = order.external_orders.get(platform)
    return {"external_orders": [found] if found else []}


def search_external_orders(ctx: RequestContext) -> JsonObject:
    platform = ctx.query.get("platform")
    external_id = ctx.query.get("external_order_id")
    if not platform or not external_id:
        raise invalid_param("platform and external_order_id are required")
    order_id = ctx.state.external_refs.get((ctx.shop.shop_id, platform, external_id))
    order = ctx.state.orders.get(order_id) if order_id else None
    if order is None:
        return {"orders": []}
    return {"orders": [{"id": order.order_id, "external_order": order.external_orders[platform]}]}
