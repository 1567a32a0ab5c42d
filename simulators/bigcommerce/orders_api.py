"""V2 orders: list (with ``external_order_id`` and date filters), read, create, update,
their products, shipping addresses and shipments (a shipment create is not idempotent)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from simulators.bigcommerce.errors import ApiError
from simulators.bigcommerce.order_input import apply_update, new_order, refuse
from simulators.bigcommerce.paging import bad_json, moment, page_and_limit, rfc2822
from simulators.bigcommerce.records import STATUSES, Order, Shipment
from simulators.bigcommerce.store import STORE, Store, money

PREFIX = "/stores/{store_hash}/v2/orders"
SORTS = {
    "id": "id",
    "date_created": "date_created",
    "date_modified": "date_modified",
    "status_id": "status_id",
}
MAX_TRACKING = 50


def order_json(store: Store, order: Order) -> dict[str, Any]:
    base = f"{store.base_url}/stores/{store.config.store_hash}/v2/orders/{order.id}"
    subtotal = order.subtotal
    return {
        "id": order.id,
        "customer_id": order.customer_id,
        "date_created": rfc2822(order.date_created),
        "date_modified": rfc2822(order.date_modified),
        "date_shipped": rfc2822(order.date_shipped),
        "status_id": order.status_id,
        "status": STATUSES[order.status_id],
        "subtotal_ex_tax": money(subtotal),
        "subtotal_inc_tax": money(subtotal),
        "shipping_cost_inc_tax": money(order.shipping_cost_inc_tax),
        "discount_amount": money(order.discount_amount),
        "total_ex_tax": money(order.total),
        "total_inc_tax": money(order.total),
        "items_total": sum(line.quantity for line in order.products),
        "items_shipped": sum(line.quantity_shipped for line in order.products),
        "payment_method": order.payment_method,
        "payment_status": "captured" if order.status_id not in {0, 7} else "",
        "currency_code": order.currency_code,
        "staff_notes": order.staff_notes,
        "customer_message": order.customer_message,
        "external_source": order.external_source,
        "external_id": order.external_id,
        "external_order_id": order.external_order_id,
        "channel_id": order.channel_id,
        "billing_address": order.billing_address,
        "products": {"url": f"{base}/products", "resource": f"/orders/{order.id}/products"},
        "shipping_addresses": {
            "url": f"{base}/shipping_addresses",
            "resource": f"/orders/{order.id}/shipping_addresses",
        },
    }


def line_json(line: Any) -> dict[str, Any]:
    return {
        "id": line.id,
        "order_id": line.order_id,
        "product_id": line.product_id,
        "variant_id": line.variant_id or 0,
        "name": line.name,
        "sku": line.sku,
        "quantity": line.quantity,
        "quantity_shipped": line.quantity_shipped,
        "price_inc_tax": money(line.price_inc_tax),
        "price_ex_tax": money(line.price_ex_tax),
        "total_inc_tax": money(line.price_inc_tax * line.quantity),
    }


def shipment_json(store: Store, shipment: Shipment) -> dict[str, Any]:
    return {
        "id": shipment.id,
        "order_id": shipment.order_id,
        "customer_id": store.orders[shipment.order_id].customer_id,
        "order_address_id": shipment.order_address_id,
        "date_created": rfc2822(shipment.date_created),
        "tracking_number": shipment.tracking_number,
        "tracking_carrier": shipment.tracking_carrier,
        "tracking_link": shipment.tracking_link,
        "shipping_provider": shipment.shipping_provider,
        "shipping_method": shipment.shipping_method,
        "comments": shipment.comments,
        "items": [{"order_product_id": i, "quantity": q} for i, q in shipment.items],
    }


def listed(items: list[Any]) -> web.Response:
    """A V2 list: 204 No Content when empty."""
    if not items:
        return web.Response(status=204)
    return web.json_response(items)


def _order(request: web.Request) -> Order:
    store = request.app[STORE]
    raw = request.match_info["order_id"]
    order = store.orders.get(int(raw)) if raw.isdigit() else None
    if order is None:
        raise ApiError(404, "The requested resource was not found.")
    return order


async def _body(request: web.Request) -> Any:
    try:
        return json.loads(await request.read())
    except ValueError:
        raise bad_json() from None


def _sort(query: Any) -> tuple[str, bool]:
    raw = query.get("sort", "id:asc")
    field, _, direction = raw.partition(":")
    if field not in SORTS or direction not in {"", "asc", "desc"}:
        raise refuse("sort", "is not a known sort")
    return SORTS[field], direction == "desc"


async def list_orders(request: web.Request) -> web.Response:
    store = request.app[STORE]
    query = request.query
    try:
        page, limit = page_and_limit(query, store.config.default_limit, store.config.max_limit)
    except ApiError as error:
        raise ApiError(400, error.title) from None
    bounds = {
        name: moment(query, name)
        for name in (
            "min_date_created",
            "max_date_created",
            "min_date_modified",
            "max_date_modified",
        )
    }
    status = query.get("status_id")
    external = query.get("external_order_id")
    min_id = query.get("min_id")
    field, reverse = _sort(query)

    def keep(order: Order) -> bool:
        low_c, high_c = bounds["min_date_created"], bounds["max_date_created"]
        low_m, high_m = bounds["min_date_modified"], bounds["max_date_modified"]
        return (
            (low_c is None or order.date_created >= low_c)
            and (high_c is None or order.date_created <= high_c)
            and (low_m is None or order.date_modified >= low_m)
            and (high_m is None or order.date_modified <= high_m)
            and (status is None or str(order.status_id) == status)
            and (external is None or order.external_order_id == external)
            and (min_id is None or (min_id.isdigit() and order.id >= int(min_id)))
        )

    found = sorted(
        (o for o in store.orders.values() if keep(o)),
        key=lambda o: (getattr(o, field), o.id),
        reverse=reverse,
    )
    chunk = found[(page - 1) * limit : page * limit]
    return listed([order_json(store, order) for order in chunk])


async def get_order(request: web.Request) -> web.Response:
    return web.json_response(order_json(request.app[STORE], _order(request)))


async def create_order(request: web.Request) -> web.Response:
    store = request.app[STORE]
    order = new_order(store, await _body(request))
    store.place(order)
    return web.json_response(order_json(store, order))


async def update_order(request: web.Request) -> web.Response:
    store = request.app[STORE]
    order = _order(request)
    apply_update(store, order, await _body(request))
    return web.json_response(order_json(store, order))


async def order_products(request: web.Request) -> web.Response:
    return listed([line_json(line) for line in _order(request).products])


async def shipping_addresses(request: web.Request) -> web.Response:
    order = _order(request)
    return listed([{"id": a.id, "order_id": order.id, **a.fields} for a in order.addresses])


async def list_shipments(request: web.Request) -> web.Response:
    store = request.app[STORE]
    return listed([shipment_json(store, s) for s in _order(request).shipments])


def new_shipment(store: Store, order: Order, body: Any) -> Shipment:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be an object.")
    address_id = body.get("order_address_id")
    if address_id not in {a.id for a in order.addresses}:
        raise refuse("order_address_id", "is not a shipping address of the order")
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise refuse("items", "at least one item is required")
    lines = {line.id: line for line in order.products}
    checked = []
    for n, item in enumerate(items):
        wanted = item.get("order_product_id") if isinstance(item, dict) else None
        line = lines.get(wanted) if isinstance(wanted, int) else None
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if line is None:
            raise refuse(f"items[{n}].order_product_id", "is not a product of the order")
        if (
            not isinstance(quantity, int)
            or not 1 <= quantity <= line.quantity - line.quantity_shipped
        ):
            raise refuse(f"items[{n}].quantity", "is more than is left to ship")
        checked.append((line.id, quantity))
    tracking = str(body.get("tracking_number") or "")
    if len(tracking) > MAX_TRACKING:
        raise refuse("tracking_number", f"must be at most {MAX_TRACKING} characters")
    return Shipment(
        id=store.next_id(),
        order_id=order.id,
        order_address_id=int(address_id),
        date_created=store.clock.now(),
        tracking_number=tracking,
        tracking_carrier=str(body.get("tracking_carrier") or ""),
        tracking_link=str(body.get("tracking_link") or ""),
        shipping_provider=str(body.get("shipping_provider") or ""),
        shipping_method=str(body.get("shipping_method") or ""),
        comments=str(body.get("comments") or ""),
        items=checked,
    )


async def create_shipment(request: web.Request) -> web.Response:
    store = request.app[STORE]
    order = _order(request)
    if order.status_id in {4, 5, 6}:
        raise ApiError(400, "A cancelled, declined or refunded order cannot be shipped.")
    shipment = new_shipment(store, order, await _body(request))
    store.ship(order, shipment)
    return web.json_response(shipment_json(store, shipment), status=201)


def add_routes(router: web.UrlDispatcher) -> None:
    one = f"{PREFIX}/{{order_id}}"
    router.add_get(PREFIX, list_orders, name="orders.list")
    router.add_post(PREFIX, create_order, name="orders.create")
    router.add_get(one, get_order, name="orders.get")
    router.add_put(one, update_order, name="orders.update")
    router.add_get(f"{one}/products", order_products, name="orders.products")
    router.add_get(f"{one}/shipping_addresses", shipping_addresses, name="orders.addresses")
    router.add_get(f"{one}/shipments", list_shipments, name="orders.shipments.list")
    router.add_post(f"{one}/shipments", create_shipment, name="orders.shipments.create")
