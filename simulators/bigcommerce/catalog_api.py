"""V3 catalog: ``/v3/catalog/products`` (with ``include=variants,images``) and
``/v3/catalog/variants``, and ``/v2/store`` (the store's name, domain and currency)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from simulators.bigcommerce.errors import not_found
from simulators.bigcommerce.paging import flag, id_list, iso, moment, page_and_limit, v3_page
from simulators.bigcommerce.records import Product, Variant
from simulators.bigcommerce.store import STORE, Store
from simulators.kit import cdn

PREFIX = "/stores/{store_hash}"
INCLUDES = frozenset(
    {
        "variants",
        "images",
        "custom_fields",
        "bulk_pricing_rules",
        "primary_image",
        "modifiers",
        "options",
        "videos",
        "reviews",
        "channels",
        "parent_relations",
    }
)


def variant_json(variant: Variant, product: Product, store: Store) -> dict[str, Any]:
    level = store.on_hand(variant.id)
    price = variant.price if variant.price is not None else product.price
    return {
        "id": variant.id,
        "product_id": variant.product_id,
        "sku": variant.sku,
        "sku_id": variant.sku_id,
        "upc": variant.upc,
        "gtin": "",
        "mpn": "",
        "price": None if variant.price is None else float(variant.price),
        "calculated_price": float(price),
        "sale_price": None,
        "retail_price": None,
        "weight": None if variant.weight is None else float(variant.weight),
        "inventory_level": level,
        "inventory_warning_level": 0,
        "purchasing_disabled": variant.purchasing_disabled,
        "image_url": "",
        "option_values": [
            {"id": n + 1, "label": value, "option_id": n + 1, "option_display_name": name}
            for n, (name, value) in enumerate(variant.options)
        ],
    }


def product_json(product: Product, store: Store, include: frozenset[str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": product.id,
        "name": product.name,
        "type": "physical",
        "sku": product.variants[0].sku if len(product.variants) == 1 else "",
        "description": product.description,
        "weight": float(product.weight),
        "price": float(product.price),
        "sale_price": 0,
        "retail_price": 0,
        "categories": product.categories,
        "inventory_level": sum(store.on_hand(v.id) for v in product.variants),
        "inventory_warning_level": 0,
        "inventory_tracking": product.inventory_tracking,
        "availability": product.availability,
        "is_visible": product.is_visible,
        "base_variant_id": product.variants[0].id if len(product.variants) == 1 else None,
        "date_created": iso(product.date_created),
        "date_modified": iso(product.date_modified),
    }
    if "variants" in include:
        body["variants"] = [variant_json(v, product, store) for v in product.variants]
    if "images" in include:
        body["images"] = [
            {
                "id": image.id,
                "product_id": product.id,
                "is_thumbnail": image.sort_order == 0,
                "sort_order": image.sort_order,
                "description": "",
                "image_file": image.url.rsplit("/", 1)[-1],
                "url_zoom": cdn.absolute(image.url, store.base_url),
                "url_standard": cdn.absolute(image.url, store.base_url),
                "url_thumbnail": cdn.absolute(image.url, store.base_url),
                "url_tiny": cdn.absolute(image.url, store.base_url),
                "date_modified": iso(image.date_modified),
            }
            for image in sorted(product.images, key=lambda i: i.sort_order)
        ]
    variants = body.get("variants")
    for name, value in product.corrupt.items():  # a broken record, as a fault shows it
        target = variants[0] if name.startswith("variant.") and variants else body
        target[name.removeprefix("variant.")] = value
    return body


def _includes(request: web.Request) -> frozenset[str]:
    asked = {part.strip() for part in request.query.get("include", "").split(",") if part.strip()}
    return frozenset(asked & INCLUDES)


async def list_products(request: web.Request) -> web.Response:
    store = request.app[STORE]
    query = request.query
    page, limit = page_and_limit(query, store.config.default_limit, store.config.max_limit)
    ids = id_list(query, "id:in", store.config.max_in_ids)
    since = moment(query, "date_modified:min")
    until = moment(query, "date_modified:max")
    visible = flag(query, "is_visible")
    found = [
        product
        for product in sorted(store.products.values(), key=lambda p: p.id)
        if (ids is None or product.id in ids)
        and (since is None or product.date_modified >= since)
        and (until is None or product.date_modified <= until)
        and (visible is None or product.is_visible == visible)
    ]
    chunk, meta = v3_page(found, page, limit)
    include = _includes(request)
    data = [product_json(product, store, include) for product in chunk]
    return web.json_response({"data": data, "meta": meta})


async def get_product(request: web.Request) -> web.Response:
    store = request.app[STORE]
    raw = request.match_info["product_id"]
    product = store.products.get(int(raw)) if raw.isdigit() else None
    if product is None:
        raise not_found("product")
    return web.json_response({"data": product_json(product, store, _includes(request)), "meta": {}})


async def list_variants(request: web.Request) -> web.Response:
    store = request.app[STORE]
    query = request.query
    page, limit = page_and_limit(query, store.config.default_limit, store.config.max_limit)
    ids = id_list(query, "id:in", store.config.max_in_ids)
    raw_skus = query.get("sku:in")
    skus = None if raw_skus is None else {s.strip() for s in raw_skus.split(",") if s.strip()}
    found = [
        variant
        for variant in sorted(store.variants.values(), key=lambda v: v.id)
        if (ids is None or variant.id in ids) and (skus is None or variant.sku in skus)
    ]
    chunk, meta = v3_page(found, page, limit)
    data = [variant_json(v, store.products[v.product_id], store) for v in chunk]
    return web.json_response({"data": data, "meta": meta})


async def list_categories(request: web.Request) -> web.Response:
    store = request.app[STORE]
    page, limit = page_and_limit(request.query, store.config.default_limit, store.config.max_limit)
    ids = id_list(request.query, "id:in", store.config.max_in_ids)
    found = sorted(n for n in store.categories if ids is None or n in ids)
    chunk, meta = v3_page(found, page, limit)
    data = [
        {"id": n, "parent_id": 0, "name": store.categories[n], "is_visible": True} for n in chunk
    ]
    return web.json_response({"data": data, "meta": meta})


async def store_info(request: web.Request) -> web.Response:
    config = request.app[STORE].config
    return web.json_response(
        {
            "id": config.store_hash,
            "domain": config.domain,
            "secure_url": f"https://{config.domain}",
            "name": config.store_name,
            "currency": config.currency,
            "default_currency_code": config.currency,
            "currency_symbol": "£" if config.currency == "GBP" else config.currency,
            "weight_units": "KGS",
            "dimension_units": "Centimeters",
            "plan_name": "Standard",
        }
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get(f"{PREFIX}/v3/catalog/products", list_products, name="catalog.products.list")
    router.add_get(
        f"{PREFIX}/v3/catalog/products/{{product_id}}", get_product, name="catalog.products.get"
    )
    router.add_get(f"{PREFIX}/v3/catalog/variants", list_variants, name="catalog.variants.list")
    router.add_get(
        f"{PREFIX}/v3/catalog/categories", list_categories, name="catalog.categories.list"
    )
    router.add_get(f"{PREFIX}/v2/store", store_info, name="store.get")
