"""Shopify's own ``/_sim/`` control routes (JSON, no auth): load and edit the catalog, move
stock, act as the merchant on orders, tune the bucket and tokens, read the webhooks and the
whole state. The clock, faults and the call log are the kit's common routes."""

from __future__ import annotations

import time
from typing import Any, Literal, TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulators.kit import ControlHandler, add_control_routes
from simulators.shopify.catalog import (
    corrupt_product,
    delete_product,
    edit_product,
    load_catalog,
)
from simulators.shopify.catalog_spec import CatalogSpec, ProductEdit
from simulators.shopify.context import Shop, shop_of
from simulators.shopify.errors import ApiError, json_body, not_found
from simulators.shopify.fulfillment import merchant_fulfil
from simulators.shopify.generate import generate_catalog
from simulators.shopify.inventory import connect
from simulators.shopify.listing import path_id
from simulators.shopify.order_input import CancelIn, TrackingIn
from simulators.shopify.orders import cancel_order
from simulators.shopify.render_catalog import render_level, render_location, render_product
from simulators.shopify.render_orders import render_fulfillment, render_order
from simulators.shopify.snapshot import dump_state

M = TypeVar("M", bound=BaseModel)


class _Control(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GenerateIn(_Control):
    products: int = Field(ge=0)
    variants: int = Field(default=1, ge=1)
    seed: int = 1
    location_ids: list[int] = Field(default_factory=list)
    untracked_every: int = Field(default=20, ge=1)
    continue_every: int = Field(default=25, ge=1)
    replace: bool = False


class CorruptIn(_Control):
    product: dict[str, Any] = Field(default_factory=dict)
    variant: dict[str, Any] = Field(default_factory=dict)


class LevelIn(_Control):
    inventory_item_id: int
    location_id: int | None = None
    available: int


class InventoryIn(_Control):
    levels: list[LevelIn]


class LocationIn(_Control):
    name: str
    active: bool = True
    country_code: str = "GB"
    city: str | None = None
    id: int | None = None


class LocationEdit(_Control):
    name: str | None = None
    active: bool | None = None


class FulfilIn(_Control):
    tracking_company: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None


class BucketIn(_Control):
    size: int | None = Field(default=None, ge=1)
    leak_rate: float | None = Field(default=None, gt=0)
    # GraphQL: points restored per second, and the bucket's size (twenty seconds of restore
    # unless given).
    restore_rate: float | None = Field(default=None, gt=0)
    maximum_available: float | None = Field(default=None, gt=0)
    reset: bool = False


class TokensIn(_Control):
    add: list[str] = Field(default_factory=list)
    revoke: list[str] = Field(default_factory=list)
    # Tokens granted only these access scopes (a token not named here holds them all).
    scopes: dict[str, list[str]] = Field(default_factory=dict)


class BulkOutcomeIn(_Control):
    status: Literal["FAILED", "EXPIRED", "CANCELED"]
    error_code: Literal["ACCESS_DENIED", "INTERNAL_SERVER_ERROR", "TIMEOUT"] | None = None


class WebhooksIn(_Control):
    url: str | None = None
    secret: str | None = None


async def _read(request: web.Request, model: type[M]) -> M:
    try:
        return model.model_validate(await json_body(request))
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in error['loc']) or '(body)'}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False)
        ]
        raise ApiError(400, {"body": problems}) from None


async def post_catalog(request: web.Request) -> web.Response:
    shop = shop_of(request)
    spec = await _read(request, CatalogSpec)
    return web.json_response({"products": load_catalog(shop, spec)})


async def post_generate(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, GenerateIn)
    started = time.perf_counter()
    spec = generate_catalog(
        given.products,
        given.variants,
        seed=given.seed,
        location_ids=tuple(given.location_ids),
        untracked_every=given.untracked_every,
        continue_every=given.continue_every,
    )
    spec.replace = given.replace
    loaded = load_catalog(shop, spec)
    return web.json_response(
        {
            "products": len(loaded),
            "variants": sum(len(p["variants"]) for p in loaded),
            "first_product_id": loaded[0]["id"] if loaded else None,
            "seconds": round(time.perf_counter() - started, 3),
        }
    )


async def patch_product(request: web.Request) -> web.Response:
    shop = shop_of(request)
    product = edit_product(shop, path_id(request, "product_id"), await _read(request, ProductEdit))
    return web.json_response({"product": render_product(shop.state, product, shop.zone)})


async def remove_product(request: web.Request) -> web.Response:
    product_id = path_id(request, "product_id")
    delete_product(shop_of(request), product_id)
    return web.json_response({"deleted": product_id})


async def post_corrupt(request: web.Request) -> web.Response:
    given = await _read(request, CorruptIn)
    corrupt_product(shop_of(request), path_id(request, "product_id"), given.product, given.variant)
    return web.json_response({"corrupted": path_id(request, "product_id")})


async def post_inventory(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, InventoryIn)
    changed = []
    for entry in given.levels:
        location = entry.location_id or min(shop.state.locations, default=0)
        level = connect(shop, entry.inventory_item_id, location)
        level.available = entry.available
        level.updated_at = shop.now()
        body = render_level(level, shop.zone)
        shop.webhooks.emit("inventory_levels/update", body)
        changed.append(body)
    return web.json_response({"inventory_levels": changed})


async def post_location(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, LocationIn)
    location = shop.add_location(
        given.name,
        active=given.active,
        country_code=given.country_code,
        city=given.city,
        location_id=given.id,
    )
    return web.json_response({"location": render_location(location, shop.zone)})


async def patch_location(request: web.Request) -> web.Response:
    shop = shop_of(request)
    location = shop.state.locations.get(path_id(request, "location_id"))
    if location is None:
        raise not_found()
    given = await _read(request, LocationEdit)
    location.name = given.name or location.name
    location.active = location.active if given.active is None else given.active
    location.updated_at = shop.now()
    return web.json_response({"location": render_location(location, shop.zone)})


def _order(shop: Shop, request: web.Request) -> Any:
    order = shop.state.orders.get(path_id(request, "order_id"))
    if order is None:
        raise not_found()
    return order


async def post_fulfil(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, FulfilIn)
    tracking = TrackingIn(
        company=given.tracking_company, number=given.tracking_number, url=given.tracking_url
    )
    records = merchant_fulfil(shop, _order(shop, request), tracking)
    return web.json_response({"fulfillments": [render_fulfillment(shop, r) for r in records]})


async def post_cancel(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, CancelIn)
    order = cancel_order(shop, _order(shop, request), given)
    return web.json_response({"order": render_order(shop, order)})


class OrderCorruptIn(_Control):
    graphql: dict[str, Any]


async def post_corrupt_order(request: web.Request) -> web.Response:
    """Make GraphQL answer these order fields as given (a malformed payload for tests)."""
    shop = shop_of(request)
    order = _order(shop, request)
    order.graphql_patch = dict((await _read(request, OrderCorruptIn)).graphql)
    return web.json_response({"corrupted": order.id})


def _buckets(shop: Shop) -> dict[str, object]:
    return {**shop.buckets.status(), "graphql": shop.points.status()}


async def get_bucket(request: web.Request) -> web.Response:
    return web.json_response(_buckets(shop_of(request)))


async def post_bucket(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, BucketIn)
    shop.buckets.configure(size=given.size, rate=given.leak_rate, reset=given.reset)
    shop.points.configure(
        rate=given.restore_rate, maximum=given.maximum_available, reset=given.reset
    )
    return web.json_response(_buckets(shop))


async def post_bulk_outcome(request: web.Request) -> web.Response:
    """The next bulk operation ends as asked after its first window (failure tests)."""
    given = await _read(request, BulkOutcomeIn)
    shop_of(request).bulk.queue_outcome(given.status, given.error_code)
    return web.json_response({"queued": given.status})


async def post_tokens(request: web.Request) -> web.Response:
    shop = shop_of(request)
    given = await _read(request, TokensIn)
    shop.tokens.update(given.add)
    shop.tokens.difference_update(given.revoke)
    shop.scopes.update({token: frozenset(scopes) for token, scopes in given.scopes.items()})
    return web.json_response({"tokens": len(shop.tokens)})


async def get_webhooks(request: web.Request) -> web.Response:
    webhooks = shop_of(request).webhooks
    await webhooks.drain()
    records = webhooks.attempts(request.query.get("topic"))
    return web.json_response({"url": webhooks.url, "deliveries": records})


async def post_webhooks(request: web.Request) -> web.Response:
    sender = shop_of(request).webhooks
    given = await _read(request, WebhooksIn)
    if "url" in given.model_fields_set:
        sender.url = given.url
    if given.secret is not None:
        sender.secret = given.secret
    return web.json_response({"url": sender.url})


async def delete_webhooks(request: web.Request) -> web.Response:
    webhooks = shop_of(request).webhooks
    await webhooks.drain()
    webhooks.sender.attempts.clear()
    return web.json_response({"deliveries": []})


async def get_state(request: web.Request) -> web.Response:
    return web.json_response(dump_state(shop_of(request)))


def add_routes(router: web.UrlDispatcher) -> None:
    routes: list[tuple[str, str, ControlHandler]] = [
        ("POST", "/_sim/catalog", post_catalog),
        ("POST", "/_sim/catalog/generate", post_generate),
        ("PATCH", "/_sim/products/{product_id}", patch_product),
        ("DELETE", "/_sim/products/{product_id}", remove_product),
        ("POST", "/_sim/products/{product_id}/corrupt", post_corrupt),
        ("POST", "/_sim/inventory", post_inventory),
        ("POST", "/_sim/locations", post_location),
        ("PATCH", "/_sim/locations/{location_id}", patch_location),
        ("POST", "/_sim/orders/{order_id}/fulfil", post_fulfil),
        ("POST", "/_sim/orders/{order_id}/cancel", post_cancel),
        ("POST", "/_sim/orders/{order_id}/corrupt", post_corrupt_order),
        ("GET", "/_sim/bucket", get_bucket),
        ("POST", "/_sim/bucket", post_bucket),
        ("POST", "/_sim/tokens", post_tokens),
        ("POST", "/_sim/bulk/outcome", post_bulk_outcome),
        ("GET", "/_sim/webhooks", get_webhooks),
        ("POST", "/_sim/webhooks", post_webhooks),
        ("DELETE", "/_sim/webhooks", delete_webhooks),
        ("GET", "/_sim/state", get_state),
    ]
    add_control_routes(router, routes)
