"""Admin REST endpoints for locations, inventory items and inventory levels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aiohttp import web

from simulators.shopify.context import Shop, shop_of
from simulators.shopify.errors import ApiError, json_body, not_found
from simulators.shopify.inventory import (
    adjust_available,
    connect,
    disconnect,
    set_available,
)
from simulators.shopify.listing import (
    Key,
    id_list,
    list_query,
    page_response,
    path_id,
    take_page,
    time_window,
    within,
)
from simulators.shopify.render_catalog import (
    render_inventory_item,
    render_level,
    render_location,
)


async def list_locations(request: web.Request) -> web.Response:
    shop = shop_of(request)
    locations = [shop.state.locations[key] for key in sorted(shop.state.locations)]
    return web.json_response({"locations": [render_location(x, shop.zone) for x in locations]})


async def count_locations(request: web.Request) -> web.Response:
    return web.json_response({"count": len(shop_of(request).state.locations)})


async def get_location(request: web.Request) -> web.Response:
    shop = shop_of(request)
    location = shop.state.locations.get(path_id(request, "location_id"))
    if location is None:
        raise not_found()
    return web.json_response({"location": render_location(location, shop.zone)})


async def list_items(request: web.Request) -> web.Response:
    shop = shop_of(request)
    listing = list_query(request, shop.config, "inventory_items")
    ids = id_list("ids", listing.filters.get("ids"), shop.config.max_inventory_item_ids)
    if not ids:
        raise ApiError(422, {"ids": ["is required"]})
    wanted = sorted(set(ids))
    items = shop.state.items

    def after(anchor: Key | None) -> Iterator[Key]:
        return (key for key in wanted if anchor is None or key > anchor)

    def before(anchor: Key) -> Iterator[Key]:
        return (key for key in reversed(wanted) if key < anchor)

    page = take_page(listing, after, before, lambda key: key in items)
    bodies = [render_inventory_item(items[key], shop.zone) for key in page.keys]
    return page_response(request, listing, page, "inventory_items", bodies)


async def get_item(request: web.Request) -> web.Response:
    shop = shop_of(request)
    item = shop.state.items.get(path_id(request, "item_id"))
    if item is None:
        raise not_found()
    return web.json_response({"inventory_item": render_inventory_item(item, shop.zone)})


def _level_keys(
    shop: Shop, item_ids: list[int] | None, location_ids: list[int] | None, anchor: Key | None
) -> Iterator[tuple[int, int]]:
    """(item, location) keys in order, after `anchor`, restricted to the given ids."""
    levels = shop.state.levels
    start = None if anchor is None else anchor[0] - 1
    items = (
        (item for item in sorted(set(item_ids)) if start is None or item > start)
        if item_ids is not None
        else shop.state.item_order.after(start)
    )
    places = None if location_ids is None else set(location_ids)
    for item in items:
        for location in sorted(levels.get(item, {})):
            key = (item, location)
            if (places is None or location in places) and (anchor is None or key > anchor):
                yield key


async def list_levels(request: web.Request) -> web.Response:
    shop = shop_of(request)
    listing = list_query(request, shop.config, "inventory_levels")
    filters = listing.filters
    most = shop.config.max_level_ids
    item_ids = id_list("inventory_item_ids", filters.get("inventory_item_ids"), most)
    location_ids = id_list("location_ids", filters.get("location_ids"), most)
    if not item_ids and not location_ids:
        raise ApiError(422, {"base": ["inventory_item_ids or location_ids is required"]})
    window = time_window(shop.zone, filters, "updated_at")

    def level(key: Key) -> Any:
        return shop.state.levels[key[0]][key[1]]

    def before(anchor: Key) -> Iterator[Key]:
        return reversed(
            [key for key in _level_keys(shop, item_ids, location_ids, None) if key < anchor]
        )

    page = take_page(
        listing,
        lambda anchor: _level_keys(shop, item_ids, location_ids, anchor),
        before,
        lambda key: within(level(key).updated_at, window),
    )
    bodies = [render_level(level(key), shop.zone) for key in page.keys]
    return page_response(request, listing, page, "inventory_levels", bodies)


async def location_levels(request: web.Request) -> web.Response:
    shop = shop_of(request)
    location_id = path_id(request, "location_id")
    if location_id not in shop.state.locations:
        raise not_found()
    listing = list_query(request, shop.config, f"location_levels:{location_id}")
    page = take_page(
        listing,
        lambda anchor: _level_keys(shop, None, [location_id], anchor),
        lambda anchor: reversed(
            [k for k in _level_keys(shop, None, [location_id], None) if k < anchor]
        ),
        lambda _: True,
    )
    bodies = [render_level(shop.state.levels[k[0]][k[1]], shop.zone) for k in page.keys]
    return page_response(request, listing, page, "inventory_levels", bodies)


def _int_field(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(422, {name: ["is required and must be an integer"]})
    return value


async def set_level(request: web.Request) -> web.Response:
    shop = shop_of(request)
    body = await json_body(request)
    level = set_available(
        shop,
        _int_field(body, "inventory_item_id"),
        _int_field(body, "location_id"),
        _int_field(body, "available"),
    )
    return web.json_response({"inventory_level": render_level(level, shop.zone)})


async def adjust_level(request: web.Request) -> web.Response:
    shop = shop_of(request)
    body = await json_body(request)
    level = adjust_available(
        shop,
        _int_field(body, "inventory_item_id"),
        _int_field(body, "location_id"),
        _int_field(body, "available_adjustment"),
    )
    return web.json_response({"inventory_level": render_level(level, shop.zone)})


async def connect_level(request: web.Request) -> web.Response:
    shop = shop_of(request)
    body = await json_body(request)
    level = connect(shop, _int_field(body, "inventory_item_id"), _int_field(body, "location_id"))
    return web.json_response({"inventory_level": render_level(level, shop.zone)}, status=201)


async def delete_level(request: web.Request) -> web.Response:
    shop = shop_of(request)
    item = id_list("inventory_item_id", request.query.get("inventory_item_id"), 1)
    location = id_list("location_id", request.query.get("location_id"), 1)
    if not item or not location:
        raise ApiError(422, {"base": ["inventory_item_id and location_id are required"]})
    disconnect(shop, item[0], location[0])
    return web.Response(status=204)


def add_routes(router: web.UrlDispatcher, prefix: str) -> None:
    router.add_get(f"{prefix}/locations.json", list_locations, name="locations.list")
    router.add_get(f"{prefix}/locations/count.json", count_locations, name="locations.count")
    router.add_get(f"{prefix}/locations/{{location_id}}.json", get_location, name="locations.get")
    router.add_get(
        f"{prefix}/locations/{{location_id}}/inventory_levels.json",
        location_levels,
        name="locations.inventory_levels",
    )
    router.add_get(f"{prefix}/inventory_items.json", list_items, name="inventory_items.list")
    router.add_get(
        f"{prefix}/inventory_items/{{item_id}}.json", get_item, name="inventory_items.get"
    )
    router.add_get(f"{prefix}/inventory_levels.json", list_levels, name="inventory_levels.list")
    router.add_delete(
        f"{prefix}/inventory_levels.json", delete_level, name="inventory_levels.delete"
    )
    router.add_post(f"{prefix}/inventory_levels/set.json", set_level, name="inventory_levels.set")
    router.add_post(
        f"{prefix}/inventory_levels/adjust.json", adjust_level, name="inventory_levels.adjust"
    )
    router.add_post(
        f"{prefix}/inventory_levels/connect.json", connect_level, name="inventory_levels.connect"
    )
