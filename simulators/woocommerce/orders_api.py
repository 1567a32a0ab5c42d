"""``/wp-json/wc/v3/orders``, order notes, and the Shipment Tracking extension's endpoints."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from simulators.woocommerce.catalog_api import API
from simulators.woocommerce.context import store_of
from simulators.woocommerce.errors import NO_ROUTE, WooError, invalid_id, invalid_param
from simulators.woocommerce.params import body_of, choice, date, ids, paged, query_of
from simulators.woocommerce.records import ORDER_STATUSES, Line, Order
from simulators.woocommerce.render import note_json, order_json, tracking_json
from simulators.woocommerce.state import Store

TRACKING = "/wp-json/wc-shipment-tracking/v3/orders/{id:\\d+}/shipment-trackings"


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{API}/orders", list_orders, name="orders.list")
    router.add_post(f"{API}/orders", create_order, name="orders.create")
    router.add_get(f"{API}/orders/{{id:\\d+}}", get_order, name="orders.get")
    router.add_put(f"{API}/orders/{{id:\\d+}}", update_order, name="orders.update")
    router.add_get(f"{API}/orders/{{id:\\d+}}/notes", list_notes, name="notes.list")
    router.add_post(f"{API}/orders/{{id:\\d+}}/notes", create_note, name="notes.create")
    router.add_get(TRACKING, list_trackings, name="trackings.list")
    router.add_post(TRACKING, create_tracking, name="trackings.create")


def _order(store: Store, request: web.Request) -> Order:
    order = store.orders.get(int(request.match_info["id"]))
    if order is None:
        raise invalid_id("shop_order")
    return order


async def list_orders(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    after, modified_after = date(query, "after"), date(query, "modified_after")
    statuses = set(query.get("status", "any").split(","))
    unknown = statuses - ORDER_STATUSES - {"any"}
    if unknown:
        raise invalid_param(
            "status", f"status[0] is not one of {', '.join(sorted(ORDER_STATUSES))}."
        )
    include = ids(query, "include")
    via = query.get("created_via")
    tests: list[Callable[[Order], bool]] = []
    if after is not None:
        tests.append(lambda o: o.created > after)
    if modified_after is not None:
        tests.append(lambda o: o.modified > modified_after)
    if "any" not in statuses:
        tests.append(lambda o: o.status in statuses)
    if include is not None:
        tests.append(lambda o: o.id in set(include))
    if via is not None:
        tests.append(lambda o: o.created_via in via.split(","))
    rows = [o for o in store.orders.values() if all(test(o) for test in tests)]
    orderby = choice(
        query, "orderby", "date", ("date", "id", "modified", "include", "title", "slug")
    )
    descending = choice(query, "order", "desc", ("asc", "desc")) == "desc"
    keys: dict[str, Callable[[Order], Any]] = {
        "date": lambda o: (o.created, o.id),
        "modified": lambda o: (o.modified, o.id),
    }
    rows.sort(key=keys.get(orderby, lambda o: o.id), reverse=descending)
    return paged(request, rows, order_json)


async def get_order(request: web.Request) -> web.Response:
    return web.json_response(order_json(_order(store_of(request), request)))


def _money(value: Any, name: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise invalid_param(name, f"{name} is not of type string.") from None


def _line(store: Store, given: Any, n: int) -> Line:
    if not isinstance(given, dict):
        raise invalid_param("line_items", f"line_items[{n}] is not of type object.")
    try:
        product_id = int(given.get("product_id") or 0)
        variation_id = int(given.get("variation_id") or 0)
        quantity = int(given.get("quantity", 1))
    except (TypeError, ValueError):
        raise invalid_param("line_items", f"line_items[{n}] is not valid.") from None
    if given.get("sku") and not product_id and not variation_id:  # WooCommerce looks the SKU up
        product_id = next((i.id for i in store.items.values() if i.sku == given["sku"]), 0)
    item = store.stock_item(product_id, variation_id)
    if item.type == "variation":  # set_product(): a variation is held under its parent
        product_id, variation_id = item.parent_id, item.id
    price = _money(item.price or "0", "line_items")
    total = _money(given["total"], "line_items") if "total" in given else price * quantity
    meta = {str(m.get("key")): str(m.get("value")) for m in given.get("meta_data", [])}
    name = store.items[product_id].name if product_id in store.items else item.name
    return Line(
        store.next_child_id(), product_id, variation_id, quantity, name, item.sku, total, meta
    )


def _apply_meta(store: Store, order: Order, given: Any) -> None:
    for entry in given or []:
        key, value = str(entry.get("key")), entry.get("value")
        kept = [(i, k, v) for i, k, v in order.meta if k != key]
        existing = next((i for i, k, _ in order.meta if k == key), None)
        order.meta = [*kept, (existing or store.next_child_id(), key, str(value))]


async def create_order(request: web.Request) -> web.Response:
    store = store_of(request)
    body = await body_of(request)
    lines = [_line(store, given, n) for n, given in enumerate(body.get("line_items", []))]
    now = store.now()
    order = Order(
        store.new_order_id(),
        "pending",
        body.get("currency") or store.config.currency,
        now,
        now,
        lines,
    )
    order.billing = dict(body.get("billing") or {})
    order.shipping = dict(body.get("shipping") or {})
    order.shipping_lines = list(body.get("shipping_lines") or [])
    order.payment_method = str(body.get("payment_method") or "")
    order.payment_method_title = str(body.get("payment_method_title") or "")
    order.customer_note = str(body.get("customer_note") or "")
    _apply_meta(store, order, body.get("meta_data"))
    status = body.get("status", "pending")
    if status not in ORDER_STATUSES:
        raise invalid_param("status", f"status is not one of {', '.join(sorted(ORDER_STATUSES))}.")
    store.add_order(order)
    store.set_status(order, status)
    if body.get("set_paid") is True:  # payment_complete(): no gateway is called
        order.date_paid = order.date_paid or now
        if order.status in {"pending", "on-hold", "failed", "cancelled"}:
            store.set_status(order, "processing")
    store.order_saved(order, created=True)
    return web.json_response(order_json(order), status=201)


async def update_order(request: web.Request) -> web.Response:
    store = store_of(request)
    order = _order(store, request)
    body = await body_of(request)
    _apply_meta(store, order, body.get("meta_data"))
    by_id = {line.id: line for line in order.lines}
    for given in body.get("line_items") or []:
        line = by_id.get(int(given.get("id") or 0))
        if line is None:
            raise invalid_param(
                "line_items", "Order item ID provided is not associated with order."
            )
        for entry in given.get("meta_data") or []:
            line.meta[str(entry.get("key"))] = str(entry.get("value"))
    if "status" in body:
        if body["status"] not in ORDER_STATUSES:
            raise invalid_param(
                "status", "status is not one of " + ", ".join(sorted(ORDER_STATUSES))
            )
        store.set_status(order, body["status"])
    if body.get("set_paid") is True and order.date_paid is None:
        order.date_paid = store.now()
    store.order_saved(order)
    return web.json_response(order_json(order))


async def list_notes(request: web.Request) -> web.Response:
    order = _order(store_of(request), request)
    return web.json_response([note_json(note) for note in reversed(order.notes)])


async def create_note(request: web.Request) -> web.Response:
    store = store_of(request)
    order = _order(store, request)
    body = await body_of(request)
    text = body.get("note")
    if not isinstance(text, str) or not text:
        raise WooError(
            400, "rest_missing_callback_param", "Missing parameter(s): note", {"params": ["note"]}
        )
    note = store.note(order, text, customer=body.get("customer_note") is True)
    return web.json_response(note_json(note), status=201)


def _tracking_order(store: Store, request: web.Request) -> Order:
    if not store.config.shipment_tracking:
        raise NO_ROUTE
    return _order(store, request)


async def list_trackings(request: web.Request) -> web.Response:
    store = store_of(request)
    order = _tracking_order(store, request)
    return web.json_response([tracking_json(t) for t in order.trackings])


async def create_tracking(request: web.Request) -> web.Response:
    store = store_of(request)
    order = _tracking_order(store, request)
    body = await body_of(request)
    provider = body.get("tracking_provider") or body.get("custom_tracking_provider")
    number = body.get("tracking_number")
    if not isinstance(number, str) or not number:
        raise WooError(
            400,
            "rest_missing_callback_param",
            "Missing parameter(s): tracking_number",
            {"params": ["tracking_number"]},
        )
    shipped = str(body.get("date_shipped") or store.now().date().isoformat())
    tracking = store.track(order, str(provider or ""), number, shipped)
    store.order_saved(order)
    return web.json_response(tracking_json(tracking), status=201)
