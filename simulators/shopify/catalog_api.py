"""Admin REST catalog endpoints: shop, products, variants, and product deletion events."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from aiohttp import web

from simulators.shopify.catalog import delete_product
from simulators.shopify.context import Shop, shop_of
from simulators.shopify.errors import not_found
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
from simulators.shopify.records import EventRec, ProductRec
from simulators.shopify.render_catalog import render_event, render_product, render_variant

ProductTest = Callable[[ProductRec], bool]


def product_filter(shop: Shop, filters: Mapping[str, str]) -> ProductTest:
    """The product filters Shopify documents; parameters it does not know are ignored."""
    ids = id_list("ids", filters.get("ids"), shop.config.max_ids)
    wanted = None if ids is None else set(ids)
    since = id_list("since_id", filters.get("since_id"), 1)
    since_id = since[0] if since else None
    statuses = {part.strip() for part in filters.get("status", "").split(",") if part.strip()}
    handles = {part.strip() for part in filters.get("handle", "").split(",") if part.strip()}
    exact = {name: filters[name] for name in ("title", "vendor", "product_type") if name in filters}
    published = filters.get("published_status", "any")
    windows = {name: time_window(shop.zone, filters, name) for name in ("created_at", "updated_at")}
    published_window = time_window(shop.zone, filters, "published_at")

    def test(product: ProductRec) -> bool:
        return (
            (wanted is None or product.id in wanted)
            and (since_id is None or product.id > since_id)
            and (not statuses or product.status in statuses)
            and (not handles or product.handle in handles)
            and all(getattr(product, name) == value for name, value in exact.items())
            and (
                published == "any"
                or (published == "published") == (product.published_at is not None)
            )
            and within(product.created_at, windows["created_at"])
            and within(product.updated_at, windows["updated_at"])
            and within(product.published_at, published_window)
        )

    return test


async def get_shop(request: web.Request) -> web.Response:
    shop = shop_of(request)
    config = shop.config
    return web.json_response(
        {
            "shop": {
                "id": 548380009,
                "name": config.shop_name,
                "email": f"owner@{config.shop_domain}",
                "domain": config.shop_domain,
                "myshopify_domain": config.shop_domain,
                "currency": config.currency,
                "money_format": "£{{amount}}" if config.currency == "GBP" else "{{amount}}",
                "iana_timezone": "Etc/UTC",
                "country_code": "GB",
                "plan_name": "basic",
                "created_at": shop.fmt(shop.now()),
            }
        }
    )


async def list_products(request: web.Request) -> web.Response:
    shop = shop_of(request)
    listing = list_query(request, shop.config, "products")
    test = product_filter(shop, listing.filters)
    products = shop.state.products
    page = take_page(
        listing,
        shop.state.product_order.after,
        shop.state.product_order.before,
        lambda key: test(products[key]),
    )
    bodies = [render_product(shop.state, products[key], shop.zone) for key in page.keys]
    return page_response(request, listing, page, "products", bodies)


async def count_products(request: web.Request) -> web.Response:
    shop = shop_of(request)
    test = product_filter(shop, request.query)
    return web.json_response({"count": sum(1 for p in shop.state.products.values() if test(p))})


def _product(request: web.Request, name: str = "product_id") -> tuple[Shop, ProductRec]:
    shop = shop_of(request)
    product = shop.state.products.get(path_id(request, name))
    if product is None:
        raise not_found()
    return shop, product


async def get_product(request: web.Request) -> web.Response:
    shop, product = _product(request)
    body = only_fields(
        render_product(shop.state, product, shop.zone), parse_fields(request.query.get("fields"))
    )
    return web.json_response({"product": body})


async def remove_product(request: web.Request) -> web.Response:
    shop, product = _product(request)
    delete_product(shop, product.id)
    return web.json_response({})


async def list_variants(request: web.Request) -> web.Response:
    shop, product = _product(request)
    fields = parse_fields(request.query.get("fields"))
    patch = product.variant_wire_patch
    bodies = [render_variant(shop.state, v, shop.zone, patch) for v in product.variants]
    return web.json_response({"variants": [only_fields(body, fields) for body in bodies]})


async def get_variant(request: web.Request) -> web.Response:
    shop = shop_of(request)
    variant = shop.state.variants.get(path_id(request, "variant_id"))
    if variant is None:
        raise not_found()
    patch = shop.state.products[variant.product_id].variant_wire_patch
    return web.json_response({"variant": render_variant(shop.state, variant, shop.zone, patch)})


def _event_filter(shop: Shop, filters: Mapping[str, str]) -> Callable[[EventRec], bool]:
    kinds = {part.strip() for part in filters.get("filter", "").split(",") if part.strip()}
    verb = filters.get("verb")
    window = time_window(shop.zone, filters, "created_at")
    since = id_list("since_id", filters.get("since_id"), 1)
    since_id = since[0] if since else None

    def test(event: EventRec) -> bool:
        return (
            (not kinds or event.subject_type in kinds)
            and (verb is None or event.verb == verb)
            and (since_id is None or event.id > since_id)
            and within(event.created_at, window)
        )

    return test


async def list_events(request: web.Request) -> web.Response:
    shop = shop_of(request)
    listing = list_query(request, shop.config, "events")
    test = _event_filter(shop, listing.filters)
    events = shop.state.events
    order = shop.state.event_order
    page = take_page(listing, order.after, order.before, lambda key: test(events[key]))
    bodies = [render_event(events[key], shop.zone) for key in page.keys]
    return page_response(request, listing, page, "events", bodies)


def add_routes(router: web.UrlDispatcher, prefix: str) -> None:
    router.add_get(f"{prefix}/shop.json", get_shop, name="shop")
    router.add_get(f"{prefix}/products.json", list_products, name="products.list")
    router.add_get(f"{prefix}/products/count.json", count_products, name="products.count")
    router.add_get(f"{prefix}/products/{{product_id}}.json", get_product, name="products.get")
    router.add_delete(
        f"{prefix}/products/{{product_id}}.json", remove_product, name="products.delete"
    )
    router.add_get(
        f"{prefix}/products/{{product_id}}/variants.json", list_variants, name="variants.list"
    )
    router.add_get(f"{prefix}/variants/{{variant_id}}.json", get_variant, name="variants.get")
    router.add_get(f"{prefix}/events.json", list_events, name="events.list")
