"""V3 multi-location inventory: locations, items by location, absolute and relative
adjustments (``/v3/inventory/...``)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from simulators.bigcommerce.errors import ApiError, invalid
from simulators.bigcommerce.paging import bad_json, id_list, iso, page_and_limit, v3_page
from simulators.bigcommerce.store import STORE, Store

PREFIX = "/stores/{store_hash}/v3/inventory"
MAX_ADJUSTMENT_ITEMS = 2000


def location_json(store: Store, location_id: int) -> dict[str, Any]:
    location = store.locations[location_id]
    return {
        "id": location.id,
        "code": location.code,
        "label": location.label,
        "description": "",
        "managed_by_external_source": False,
        "type_id": "PHYSICAL",
        "enabled": location.enabled,
        "storefront_visibility": True,
        "time_zone": "Etc/UTC",
        "address": None,
        "created_at": iso(location.created_at),
        "updated_at": iso(location.updated_at),
    }


async def list_locations(request: web.Request) -> web.Response:
    store = request.app[STORE]
    page, limit = page_and_limit(request.query, store.config.default_limit, store.config.max_limit)
    ids = id_list(request.query, "location_id:in", store.config.max_in_ids)
    found = [n for n in sorted(store.locations) if ids is None or n in ids]
    chunk, meta = v3_page(found, page, limit)
    return web.json_response({"data": [location_json(store, n) for n in chunk], "meta": meta})


def item_json(store: Store, variant_id: int, locations: set[int] | None) -> dict[str, Any]:
    variant = store.variants[variant_id]
    stocked = sorted(
        (location_id, quantity)
        for location_id, quantity in store.levels.get(variant_id, {}).items()
        if locations is None or location_id in locations
    )
    return {
        "identity": {
            "sku": variant.sku,
            "variant_id": variant.id,
            "product_id": variant.product_id,
            "sku_id": variant.sku_id,
        },
        "locations": [
            {
                "location_id": location_id,
                "location_code": store.locations[location_id].code,
                "location_name": store.locations[location_id].label,
                "available_to_sell": quantity,
                "total_inventory_onhand": quantity,
                "location_enabled": store.locations[location_id].enabled,
                "settings": {
                    "safety_stock": 0,
                    "is_in_stock": quantity > 0,
                    "warning_level": 0,
                    "bin_picking_number": "",
                    "backorder_limit": store.backorder_limits.get((variant_id, location_id), 0),
                },
            }
            for location_id, quantity in stocked
        ],
    }


async def list_items(request: web.Request) -> web.Response:
    store = request.app[STORE]
    query = request.query
    page, limit = page_and_limit(query, store.config.default_limit, store.config.max_limit)
    cap = store.config.max_in_ids
    variants = id_list(query, "variant_id:in", cap)
    products = id_list(query, "product_id:in", cap)
    locations = id_list(query, "location_id:in", cap)
    skus = query.get("sku:in")
    sku_set = None if skus is None else {s.strip() for s in skus.split(",") if s.strip()}
    if variants is not None:  # look the few up rather than scan every variant
        candidates = [store.variants[v] for v in sorted(variants) if v in store.variants]
    elif products is not None:
        candidates = [
            v for p in sorted(products) if p in store.products for v in store.products[p].variants
        ]
    else:
        candidates = sorted(store.variants.values(), key=lambda v: v.id)
    found = [
        v.id
        for v in candidates
        if (variants is None or v.id in variants)
        and (products is None or v.product_id in products)
        and (sku_set is None or v.sku in sku_set)
    ]
    chunk, meta = v3_page(found, page, limit)
    return web.json_response(
        {"data": [item_json(store, v, locations) for v in chunk], "meta": meta}
    )


def _adjustment_items(store: Store, body: Any) -> list[tuple[int, int, int]]:
    """(variant id, location id, quantity) per item, all checked before any applies."""
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise invalid("items", "must be a list")
    items = body["items"]
    if not items or len(items) > MAX_ADJUSTMENT_ITEMS:
        raise invalid("items", f"must hold from 1 to {MAX_ADJUSTMENT_ITEMS} items")
    checked = []
    for n, item in enumerate(items):
        where = f"items[{n}]"
        if not isinstance(item, dict):
            raise invalid(where, "must be an object")
        location_id, quantity = item.get("location_id"), item.get("quantity")
        variant_id = item.get("variant_id")
        if variant_id is None and isinstance(item.get("sku"), str):
            variant_id = next((v.id for v in store.variants.values() if v.sku == item["sku"]), None)
        if not isinstance(location_id, int) or location_id not in store.locations:
            raise invalid(f"{where}.location_id", "is not a known location")
        if not isinstance(variant_id, int) or variant_id not in store.variants:
            raise invalid(f"{where}.variant_id", "is not a known variant")
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise invalid(f"{where}.quantity", "must be a whole number")
        checked.append((variant_id, location_id, quantity))
    return checked


async def _body(request: web.Request) -> Any:
    try:
        return json.loads(await request.read())
    except ValueError:
        raise bad_json() from None


async def absolute(request: web.Request) -> web.Response:
    store = request.app[STORE]
    items = _adjustment_items(store, await _body(request))
    if any(quantity < 0 for _, _, quantity in items):
        raise ApiError(422, "Absolute quantities cannot be negative.")
    for variant_id, location_id, quantity in items:
        store.set_level(variant_id, location_id, quantity)
    return web.json_response({"transaction_id": f"tx-{store.next_id()}"})


async def relative(request: web.Request) -> web.Response:
    store = request.app[STORE]
    for variant_id, location_id, delta in _adjustment_items(store, await _body(request)):
        store.adjust_level(variant_id, location_id, delta)
    return web.json_response({"transaction_id": f"tx-{store.next_id()}"})


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{PREFIX}/locations", list_locations, name="inventory.locations.list")
    router.add_get(f"{PREFIX}/items", list_items, name="inventory.items.list")
    router.add_put(f"{PREFIX}/adjustments/absolute", absolute, name="inventory.adjust.absolute")
    router.add_post(f"{PREFIX}/adjustments/relative", relative, name="inventory.adjust.relative")
