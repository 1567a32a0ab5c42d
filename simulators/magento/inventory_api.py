"""MSI routes: sources, source items (read and save) and the salable quantity of a SKU."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from aiohttp import web

from simulators.magento import render, search
from simulators.magento.errors import NO_SUCH_PRODUCT, bad_request, not_found, required
from simulators.magento.records import SourceItemRec
from simulators.magento.routing import add, answer, body_of, int_id
from simulators.magento.state import store_of

SOURCE_FIELDS: dict[str, search.Getter] = {
    "source_code": lambda s: s.code,
    "name": lambda s: s.name,
    "enabled": lambda s: int(s.enabled),
}
SOURCE_ITEM_FIELDS: dict[str, search.Getter] = {
    "sku": lambda i: i.sku,
    "source_code": lambda i: i.source_code,
    "quantity": lambda i: i.quantity,
    "status": lambda i: i.status,
}


async def list_sources(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query, optional=True)
    found, total = search.apply(list(store.sources.values()), criteria, SOURCE_FIELDS, store.config)
    return answer(search.page([render.source(s) for s in found], total, criteria))


async def list_source_items(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    records = list(store.source_items.values())
    found, total = search.apply(records, criteria, SOURCE_ITEM_FIELDS, store.config)
    return answer(search.page([render.source_item(i) for i in found], total, criteria))


def _source_item(store_sources: set[str], raw: object) -> SourceItemRec:
    if not isinstance(raw, dict):
        raise required("sourceItems")
    for name in ("sku", "source_code", "quantity", "status"):
        if raw.get(name) is None:
            raise required(name)
    if raw["source_code"] not in store_sources:
        raise bad_request('Source with code "%1" does not exist.', [raw["source_code"]])
    try:
        quantity = Decimal(str(raw["quantity"]))
        status = int(raw["status"])
    except (InvalidOperation, ValueError):
        raise bad_request("Validation Failed") from None
    if status not in {0, 1}:
        raise bad_request("Validation Failed")
    return SourceItemRec(str(raw["sku"]), str(raw["source_code"]), quantity, status)


async def save_source_items(request: web.Request) -> web.Response:
    """All or nothing: a bad entry saves none. Answers ``[]`` as Magento does."""
    store = store_of(request)
    body = await body_of(request)
    raw_items = body.get("sourceItems") if isinstance(body, dict) else None
    if not isinstance(raw_items, list) or not raw_items:
        raise required("sourceItems")
    items = [_source_item(set(store.sources), raw) for raw in raw_items]
    for item in items:
        if store.by_sku(item.sku) is None:
            raise bad_request(NO_SUCH_PRODUCT)
    for item in items:
        store.save_item(item)
    return answer([])


async def salable_quantity(request: web.Request) -> web.Response:
    store = store_of(request)
    sku = request.match_info["sku"]
    stock_id = int_id(request.match_info["stock_id"])
    if store.by_sku(sku) is None:
        raise not_found(NO_SUCH_PRODUCT)
    if stock_id != 1:
        raise not_found(
            'Stock with id "%value" does not exist.', {"value": request.match_info["stock_id"]}
        )
    quantity = store.salable(sku, stock_id)
    return answer(int(quantity) if quantity == quantity.to_integral_value() else float(quantity))


def add_routes(router: web.UrlDispatcher) -> None:
    source = "Magento_InventoryApi::source"
    add(router, "GET", "inventory/sources", list_sources, name="sources.list", resource=source)
    add(
        router,
        "GET",
        "inventory/source-items",
        list_source_items,
        name="source_items.list",
        resource=source,
    )
    add(
        router,
        "POST",
        "inventory/source-items",
        save_source_items,
        name="source_items.save",
        resource=source,
    )
    add(
        router,
        "GET",
        "inventory/get-product-salable-quantity/{sku}/{stock_id}",
        salable_quantity,
        name="salable.get",
        resource="Magento_InventoryApi::stock",
    )
