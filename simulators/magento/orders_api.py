"""Order routes: save (``POST /V1/orders``), search, get, comments, cancel, invoice and
ship, and the invoice and shipment searches."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from simulators.magento import orders, render, search
from simulators.magento.errors import bad_request, not_found, required
from simulators.magento.records import OrderRec
from simulators.magento.routing import add, answer, body_of, int_id
from simulators.magento.state import fmt_time, store_of

ORDER_FIELDS: dict[str, search.Getter] = {
    "entity_id": lambda o: o.id,
    "increment_id": lambda o: o.increment_id,
    "ext_order_id": lambda o: o.ext_order_id,
    "store_id": lambda o: o.store_id,
    "state": lambda o: o.state,
    "status": lambda o: o.status,
    "created_at": lambda o: fmt_time(o.created_at),
    "updated_at": lambda o: fmt_time(o.updated_at),
}
INVOICE_FIELDS: dict[str, search.Getter] = {
    "entity_id": lambda i: i.id,
    "order_id": lambda i: i.order_id,
    "created_at": lambda i: fmt_time(i.created_at),
}
SHIPMENT_FIELDS: dict[str, search.Getter] = {
    "entity_id": lambda s: s.id,
    "order_id": lambda s: s.order_id,
    "created_at": lambda s: fmt_time(s.created_at),
    "updated_at": lambda s: fmt_time(s.updated_at),
}


def _order(request: web.Request, key: str = "order_id") -> OrderRec:
    order_id = int_id(request.match_info[key])
    order = None if order_id is None else store_of(request).orders.get(order_id)
    if order is None:
        raise not_found()
    return order


async def save_order(request: web.Request) -> web.Response:
    body = await body_of(request)
    entity = body.get("entity") if isinstance(body, dict) else None
    order = orders.save_order(store_of(request), entity)
    return answer(render.order(order))


async def list_orders(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    found, total = search.apply(list(store.orders.values()), criteria, ORDER_FIELDS, store.config)
    return answer(search.page([render.order(o) for o in found], total, criteria))


async def get_order(request: web.Request) -> web.Response:
    return answer(render.order(_order(request)))


async def add_comment(request: web.Request) -> web.Response:
    order = _order(request)
    body = await body_of(request)
    history = body.get("statusHistory") if isinstance(body, dict) else None
    orders.add_comment(store_of(request), order, history)
    return answer(True)  # noqa: FBT003 Magento answers a bare boolean


async def cancel(request: web.Request) -> web.Response:
    return answer(orders.cancel(store_of(request), _order(request)))


async def invoice(request: web.Request) -> web.Response:
    order = _order(request)
    body = await request.read()
    del body  # capture, notify and items are accepted; everything open is invoiced
    return answer(str(orders.invoice(store_of(request), order).id))


def _ship_items(raw: Any) -> list[tuple[int, Decimal]] | None:
    if raw is None or raw == []:
        return None
    if not isinstance(raw, list):
        raise required("items")
    lines = []
    for entry in raw:
        if not isinstance(entry, dict) or entry.get("order_item_id") is None:
            raise required("order_item_id")
        try:
            lines.append((int(entry["order_item_id"]), Decimal(str(entry.get("qty", 0)))))
        except (ValueError, InvalidOperation):
            raise bad_request("Validation Failed") from None
    return lines


async def ship(request: web.Request) -> web.Response:
    order = _order(request)
    raw = await request.read()
    body = await body_of(request) if raw.strip() else {}
    if not isinstance(body, dict):
        raise bad_request("Validation Failed")
    tracks = body.get("tracks") or []
    if not isinstance(tracks, list) or not all(isinstance(t, dict) for t in tracks):
        raise required("tracks")
    for track in tracks:
        if not track.get("track_number") or not track.get("carrier_code"):
            raise bad_request("Please enter a tracking number and carrier.")
    arguments = body.get("arguments") or {}
    source_code = ((arguments.get("extension_attributes") or {}).get("source_code")) or None
    shipment = orders.ship(
        store_of(request), order, _ship_items(body.get("items")), tracks, source_code
    )
    return answer(str(shipment.id))


async def list_invoices(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    records = list(store.invoices.values())
    found, total = search.apply(records, criteria, INVOICE_FIELDS, store.config)
    return answer(search.page([render.invoice(i) for i in found], total, criteria))


async def list_shipments(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    records = list(store.shipments.values())
    found, total = search.apply(records, criteria, SHIPMENT_FIELDS, store.config)
    items = [render.shipment(s, store.orders[s.order_id]) for s in found]
    return answer(search.page(items, total, criteria))


def add_routes(router: web.UrlDispatcher) -> None:
    view = "Magento_Sales::actions_view"
    add(router, "POST", "orders", save_order, name="orders.save", resource="Magento_Sales::create")
    add(router, "GET", "orders", list_orders, name="orders.list", resource=view)
    add(router, "GET", "orders/{order_id}", get_order, name="orders.get", resource=view)
    add(
        router,
        "POST",
        "orders/{order_id}/comments",
        add_comment,
        name="orders.comment",
        resource="Magento_Sales::comment",
    )
    add(
        router,
        "POST",
        "orders/{order_id}/cancel",
        cancel,
        name="orders.cancel",
        resource="Magento_Sales::cancel",
    )
    add(
        router,
        "POST",
        "order/{order_id}/invoice",
        invoice,
        name="orders.invoice",
        resource="Magento_Sales::invoice",
    )
    add(
        router,
        "POST",
        "order/{order_id}/ship",
        ship,
        name="orders.ship",
        resource="Magento_Sales::ship",
    )
    add(router, "GET", "invoices", list_invoices, name="invoices.list", resource=view)
    add(router, "GET", "shipments", list_shipments, name="shipments.list", resource=view)
