"""Admin REST endpoints for orders, fulfillment orders and fulfillments."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from aiohttp import web
from pydantic import ValidationError

from simulators.shopify.context import Shop, shop_of
from simulators.shopify.errors import ApiError, json_body, not_found
from simulators.shopify.fulfillment import fulfil, update_tracking
from simulators.shopify.listing import (
    id_list,
    list_query,
    only_fields,
    page_response,
    parse_fields,
    path_id,
    take_page,
    time_window,
    within,
)
from simulators.shopify.order_input import (
    CancelIn,
    FulfillmentIn,
    OrderIn,
    OrderUpdateIn,
    TrackingUpdateIn,
    parse_input,
)
from simulators.shopify.orders import cancel_order, create_order, update_order
from simulators.shopify.records import OrderRec
from simulators.shopify.render_orders import (
    fulfillment_status,
    render_fulfillment,
    render_fulfillment_order,
    render_order,
)

_FULFILLMENT_STATES: dict[str, set[str | None]] = {
    "shipped": {"fulfilled"},
    "partial": {"partial"},
    "unshipped": {None},
    "unfulfilled": {None, "partial"},
}


def order_filter(shop: Shop, filters: Mapping[str, str]) -> Callable[[OrderRec], bool]:
    """The order filters of REST 2024-04. Unknown parameters (``tag``, ``name`` ...) are
    ignored, as Shopify ignores them: they do not narrow the list."""
    ids = id_list("ids", filters.get("ids"), shop.config.max_ids)
    wanted = None if ids is None else set(ids)
    since = id_list("since_id", filters.get("since_id"), 1)
    since_id = since[0] if since else None
    status = filters.get("status", "open")
    if status not in {"open", "closed", "cancelled", "any"}:
        raise ApiError(400, {"status": ["must be one of open, closed, cancelled, any"]})
    financial = filters.get("financial_status", "any")
    fulfillment = filters.get("fulfillment_status", "any")
    windows = [
        (name, time_window(shop.zone, filters, name))
        for name in ("created_at", "updated_at", "processed_at")
    ]

    def test(order: OrderRec) -> bool:
        state = (
            "cancelled"
            if order.cancelled_at is not None
            else "closed"
            if order.closed_at is not None
            else "open"
        )
        return (
            (wanted is None or order.id in wanted)
            and (since_id is None or order.id > since_id)
            and (status in {"any", state})
            and (financial in {"any", order.financial_status})
            and (
                fulfillment == "any"
                or fulfillment_status(order) in _FULFILLMENT_STATES.get(fulfillment, set())
            )
            and all(within(getattr(order, name), window) for name, window in windows)
        )

    return test


def _order(request: web.Request) -> tuple[Shop, OrderRec]:
    shop = shop_of(request)
    order = shop.state.orders.get(path_id(request, "order_id"))
    if order is None:
        raise not_found()
    return shop, order


async def list_orders(request: web.Request) -> web.Response:
    shop = shop_of(request)
    listing = list_query(request, shop.config, "orders")
    test = order_filter(shop, listing.filters)
    orders = shop.state.orders
    order_ids = shop.state.order_order
    page = take_page(listing, order_ids.after, order_ids.before, lambda k: test(orders[k]))
    bodies = [render_order(shop, orders[key]) for key in page.keys]
    return page_response(request, listing, page, "orders", bodies)


async def count_orders(request: web.Request) -> web.Response:
    shop = shop_of(request)
    test = order_filter(shop, request.query)
    return web.json_response({"count": sum(1 for o in shop.state.orders.values() if test(o))})


async def get_order(request: web.Request) -> web.Response:
    shop, order = _order(request)
    fields = parse_fields(request.query.get("fields"))
    return web.json_response({"order": only_fields(render_order(shop, order), fields)})


async def post_order(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = parse_input(OrderIn, await json_body(request), "order")
    order = create_order(shop, given)
    return web.json_response({"order": render_order(shop, order)}, status=201)


async def put_order(request: web.Request) -> web.Response:
    shop, order = _order(request)
    given = parse_input(OrderUpdateIn, await json_body(request), "order")
    return web.json_response({"order": render_order(shop, update_order(shop, order, given))})


async def post_cancel(request: web.Request) -> web.Response:
    shop, order = _order(request)
    try:
        given = CancelIn.model_validate(await json_body(request))
    except ValidationError as exc:
        fields = sorted({str(error["loc"][0]) for error in exc.errors() if error["loc"]})
        raise ApiError(422, {name: ["is invalid"] for name in fields or ["base"]}) from None
    return web.json_response({"order": render_order(shop, cancel_order(shop, order, given))})


async def list_fulfillment_orders(request: web.Request) -> web.Response:
    shop, order = _order(request)
    bodies = [
        render_fulfillment_order(shop, shop.state.fulfillment_orders[fo_id])
        for fo_id in order.fulfillment_order_ids
    ]
    return web.json_response({"fulfillment_orders": bodies})


async def get_fulfillment_order(request: web.Request) -> web.Response:
    shop = shop_of(request)
    found = shop.state.fulfillment_orders.get(path_id(request, "fulfillment_order_id"))
    if found is None:
        raise not_found()
    return web.json_response({"fulfillment_order": render_fulfillment_order(shop, found)})


async def post_fulfillment(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = parse_input(FulfillmentIn, await json_body(request), "fulfillment")
    record = fulfil(shop, given)
    return web.json_response({"fulfillment": render_fulfillment(shop, record)}, status=201)


async def post_update_tracking(request: web.Request) -> web.Response:
    shop = shop_of(request)
    record = shop.state.fulfillments.get(path_id(request, "fulfillment_id"))
    if record is None:
        raise not_found()
    given = parse_input(TrackingUpdateIn, await json_body(request), "fulfillment")
    record = update_tracking(shop, record, given)
    return web.json_response({"fulfillment": render_fulfillment(shop, record)})


async def list_order_fulfillments(request: web.Request) -> web.Response:
    shop, order = _order(request)
    bodies = [render_fulfillment(shop, shop.state.fulfillments[f]) for f in order.fulfillment_ids]
    return web.json_response({"fulfillments": bodies})


def add_routes(router: web.UrlDispatcher, prefix: str) -> None:
    router.add_get(f"{prefix}/orders.json", list_orders, name="orders.list")
    router.add_post(f"{prefix}/orders.json", post_order, name="orders.create")
    router.add_get(f"{prefix}/orders/count.json", count_orders, name="orders.count")
    router.add_get(f"{prefix}/orders/{{order_id}}.json", get_order, name="orders.get")
    router.add_put(f"{prefix}/orders/{{order_id}}.json", put_order, name="orders.update")
    router.add_post(f"{prefix}/orders/{{order_id}}/cancel.json", post_cancel, name="orders.cancel")
    router.add_get(
        f"{prefix}/orders/{{order_id}}/fulfillment_orders.json",
        list_fulfillment_orders,
        name="fulfillment_orders.list",
    )
    router.add_get(
        f"{prefix}/fulfillment_orders/{{fulfillment_order_id}}.json",
        get_fulfillment_order,
        name="fulfillment_orders.get",
    )
    router.add_get(
        f"{prefix}/orders/{{order_id}}/fulfillments.json",
        list_order_fulfillments,
        name="fulfillments.list",
    )
    router.add_post(f"{prefix}/fulfillments.json", post_fulfillment, name="fulfillments.create")
    router.add_post(
        f"{prefix}/fulfillments/{{fulfillment_id}}/update_tracking.json",
        post_update_tracking,
        name="fulfillments.update_tracking",
    )
