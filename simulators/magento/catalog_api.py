"""Catalog routes: products (search, one by SKU), configurable children, product attributes
with their options, categories and the store configuration."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulators.magento import render, search
from simulators.magento.errors import NO_SUCH_PRODUCT, not_found
from simulators.magento.records import ProductRec
from simulators.magento.routing import add, answer
from simulators.magento.state import fmt_time, store_of

PRODUCT_FIELDS: dict[str, search.Getter] = {
    "entity_id": lambda p: p.id,
    "sku": lambda p: p.sku,
    "name": lambda p: p.name,
    "type_id": lambda p: p.type_id,
    "status": lambda p: p.status,
    "visibility": lambda p: p.visibility,
    "price": lambda p: p.price,
    "created_at": lambda p: fmt_time(p.created_at),
    "updated_at": lambda p: fmt_time(p.updated_at),
}
ATTRIBUTE_FIELDS: dict[str, search.Getter] = {
    "attribute_id": lambda a: a.id,
    "attribute_code": lambda a: a.code,
}
CATEGORY_FIELDS: dict[str, search.Getter] = {
    "entity_id": lambda c: c[0],
    "name": lambda c: c[1],
}


async def list_products(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    found, total = search.apply(
        sorted(store.products.values(), key=lambda p: p.id), criteria, PRODUCT_FIELDS, store.config
    )
    items = [render.product(store, p) for p in found]
    return answer(search.page(items, total, criteria))


def _product(request: web.Request) -> ProductRec:
    store = store_of(request)
    product = store.by_sku(request.match_info["sku"])
    if product is None:
        raise not_found(NO_SUCH_PRODUCT)
    return product


async def get_product(request: web.Request) -> web.Response:
    return answer(render.product(store_of(request), _product(request)))


async def children(request: web.Request) -> web.Response:
    store = store_of(request)
    parent = _product(request)
    kids = [store.products[i] for i in parent.child_ids if i in store.products]
    return answer([render.product(store, kid) for kid in kids])


async def list_attributes(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    records = sorted(store.attributes.values(), key=lambda a: a.id)
    found, total = search.apply(records, criteria, ATTRIBUTE_FIELDS, store.config)
    return answer(search.page([render.attribute(a) for a in found], total, criteria))


async def list_categories(request: web.Request) -> web.Response:
    store = store_of(request)
    criteria = search.parse(request.query)
    records = sorted(store.categories.items())
    found, total = search.apply(records, criteria, CATEGORY_FIELDS, store.config)
    items: list[dict[str, Any]] = [
        {"id": cid, "parent_id": 2, "name": name, "is_active": True, "level": 2}
        for cid, name in found
    ]
    return answer(search.page(items, total, criteria))


async def store_configs(request: web.Request) -> web.Response:
    store = store_of(request)
    config = store.config
    return answer(
        [
            {
                "id": 1,
                "code": config.store_code,
                "website_id": 1,
                "locale": "en_GB",
                "base_currency_code": config.currency,
                "default_display_currency_code": config.currency,
                "timezone": "UTC",
                "weight_unit": "kgs",
                "base_url": f"{store.base_url}/",
                "base_link_url": f"{store.base_url}/",
                "base_media_url": f"{store.base_url}/media/",
                "secure_base_url": f"{store.base_url}/",
                "secure_base_media_url": f"{store.base_url}/media/",
            }
        ]
    )


def add_routes(router: web.UrlDispatcher) -> None:
    products = "Magento_Catalog::products"
    add(
        router,
        "GET",
        "products/attributes",
        list_attributes,
        name="attributes.list",
        resource=products,
    )
    add(router, "GET", "products", list_products, name="products.list", resource=products)
    add(router, "GET", "products/{sku}", get_product, name="products.get", resource=products)
    add(
        router,
        "GET",
        "configurable-products/{sku}/children",
        children,
        name="configurable.children",
        resource=products,
    )
    add(
        router,
        "GET",
        "categories/list",
        list_categories,
        name="categories.list",
        resource="Magento_Catalog::categories",
    )
    add(
        router,
        "GET",
        "store/storeConfigs",
        store_configs,
        name="store.configs",
        resource="Magento_Backend::store",
    )
