"""``/wp-json/wc/v3``: the site index, the store currency, products and their variations.

Catalog writes are the merchant's (through ``/_sim/``); the REST API here reads the catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from simulators.woocommerce.context import store_of
from simulators.woocommerce.errors import invalid_id
from simulators.woocommerce.params import choice, date, ids, paged, query_of
from simulators.woocommerce.records import Item
from simulators.woocommerce.state import Store

API = "/wp-json/wc/v3"
TRACKING_NAMESPACE = "wc-shipment-tracking/v3"
ORDERBY = ("date", "id", "modified", "title", "include", "slug")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/wp-json/", index, name="index")
    router.add_get(
        f"{API}/settings/general/woocommerce_currency", currency, name="settings.currency"
    )
    router.add_get(f"{API}/products", list_products, name="products.list")
    router.add_get(f"{API}/products/{{id:\\d+}}", get_product, name="products.get")
    router.add_get(
        f"{API}/products/{{pid:\\d+}}/variations", list_variations, name="variations.list"
    )
    router.add_get(
        f"{API}/products/{{pid:\\d+}}/variations/{{id:\\d+}}", get_variation, name="variations.get"
    )


async def index(request: web.Request) -> web.Response:
    """``GET /wp-json/``: public; the namespaces say which extensions are active."""
    store = store_of(request)
    namespaces = ["oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wp/v2"]
    if store.config.shipment_tracking:
        namespaces.append(TRACKING_NAMESPACE)
    body = {
        "name": store.config.shop_name,
        "url": f"{request.scheme}://{request.host}",
        "home": f"{request.scheme}://{request.host}",
        "namespaces": namespaces,
    }
    return web.json_response(body)


async def currency(request: web.Request) -> web.Response:
    code = store_of(request).config.currency
    return web.json_response(
        {
            "id": "woocommerce_currency",
            "label": "Currency",
            "type": "select",
            "default": "USD",
            "value": code,
            "group_id": "general",
        }
    )


def _filtered(store: Store, items: list[Item], query: dict[str, str]) -> list[Item]:
    after, before = date(query, "modified_after"), date(query, "modified_before")
    created_after = date(query, "after")
    include = ids(query, "include")
    status = choice(query, "status", "any", ("any", "draft", "pending", "private", "publish"))
    kind = query.get("type")
    sku = query.get("sku")
    tests: list[Callable[[Item], bool]] = []
    if after is not None:
        tests.append(lambda i: i.modified > after)  # WP_Date_Query: strictly after
    if before is not None:
        tests.append(lambda i: i.modified < before)
    if created_after is not None:
        tests.append(lambda i: i.created > created_after)
    if include is not None:
        wanted = set(include)
        tests.append(lambda i: i.id in wanted)
    if status != "any":
        tests.append(lambda i: i.status == status)
    if kind is not None:
        tests.append(lambda i: i.type == kind)
    if sku is not None:
        skus = set(sku.split(","))
        tests.append(lambda i: i.sku in skus)
    del store
    return [item for item in items if all(test(item) for test in tests)]


def _ordered(items: list[Item], query: dict[str, str]) -> list[Item]:
    orderby = choice(query, "orderby", "date", ORDERBY)
    order = choice(query, "order", "desc", ("asc", "desc"))
    keys: dict[str, Callable[[Item], Any]] = {
        "date": lambda i: (i.created, i.id),
        "modified": lambda i: (i.modified, i.id),
        "title": lambda i: (i.name, i.id),
        "slug": lambda i: (i.name.lower(), i.id),
    }
    key = keys.get(orderby, lambda i: i.id)
    return sorted(items, key=key, reverse=order == "desc")


async def list_products(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    products = [i for i in store.items.values() if i.type != "variation"]
    rows = _ordered(_filtered(store, products, query), query)
    return paged(request, rows, store.resource)


async def get_product(request: web.Request) -> web.Response:
    """A variation's id answers too (WooCommerce reads any product object by id)."""
    store = store_of(request)
    item = store.items.get(int(request.match_info["id"]))
    if item is None:
        raise invalid_id("product")
    return web.json_response(store.resource(item))


def _parent(store: Store, request: web.Request) -> Item:
    product = store.product(int(request.match_info["pid"]))
    if product is None:
        raise invalid_id("product")
    return product


async def list_variations(request: web.Request) -> web.Response:
    store = store_of(request)
    query = query_of(request)
    rows = _ordered(_filtered(store, store.variations(_parent(store, request)), query), query)
    return paged(request, rows, store.resource)


async def get_variation(request: web.Request) -> web.Response:
    store = store_of(request)
    parent = _parent(store, request)
    item = store.items.get(int(request.match_info["id"]))
    if item is None or item.parent_id != parent.id:
        raise invalid_id("product_variation")
    return web.json_response(store.resource(item))
