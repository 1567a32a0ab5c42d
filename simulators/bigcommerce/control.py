"""The BigCommerce simulator's own ``/_sim/`` routes: what the merchant, BigCommerce's staff
or a broken record would do, beyond the kit's neutral store API.

| route | body |
|---|---|
| PATCH ``/_sim/products/{id}`` | ``name, price, is_visible, availability, inventory_tracking`` |
| POST ``/_sim/products/{id}/corrupt`` | ``{fields: {name: value}}``, rendered as given |
| POST ``/_sim/locations`` | ``{label, enabled}`` |
| POST ``/_sim/inventory`` | ``{items: [{variant_id, location_id, quantity}]}`` (absolute) |
| POST ``/_sim/tokens`` | ``{revoke: [token], grant: {token: [scope]}}`` |
| PUT ``/_sim/rate_limit`` | ``{quota, window_ms}`` (a new window starts) |
| PUT ``/_sim/webhook_url`` | ``{url}`` |
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web
from pydantic import Field

from simulators.bigcommerce.catalog_api import product_json
from simulators.bigcommerce.inventory_api import location_json
from simulators.bigcommerce.store import STORE, RateWindow, Store
from simulators.kit import ControlBody, add_control_routes, not_found, read_model


class ProductEdit(ControlBody):
    name: str | None = None
    price: Decimal | None = None
    is_visible: bool | None = None
    availability: str | None = Field(default=None, pattern="^(available|disabled|preorder)$")
    inventory_tracking: str | None = Field(default=None, pattern="^(none|product|variant)$")


class CorruptIn(ControlBody):
    fields: dict[str, Any]


class LocationIn(ControlBody):
    label: str = Field(min_length=1)
    enabled: bool = True


class LevelIn(ControlBody):
    variant_id: int
    location_id: int
    quantity: int = Field(ge=0)


class InventoryIn(ControlBody):
    items: list[LevelIn]


class TokensIn(ControlBody):
    revoke: list[str] = Field(default_factory=list)
    grant: dict[str, list[str]] = Field(default_factory=dict)


class RateIn(ControlBody):
    quota: int = Field(ge=1)
    window_ms: int = Field(ge=1)


class UrlIn(ControlBody):
    url: str | None


def _store(request: web.Request) -> Store:
    return request.app[STORE]


def _product_id(request: web.Request, store: Store) -> int:
    raw = request.match_info["product_id"]
    if not raw.isdigit() or int(raw) not in store.products:
        raise not_found(f"no product {raw!r}")
    return int(raw)


async def edit_product(request: web.Request) -> Any:
    store = _store(request)
    product = store.products[_product_id(request, store)]
    edit = await read_model(request, ProductEdit)
    for name, value in edit.model_dump(exclude_none=True).items():
        setattr(product, name, value)
    store.touch(product)
    return {"product": product_json(product, store, frozenset({"variants"}))}


async def corrupt(request: web.Request) -> Any:
    store = _store(request)
    product = store.products[_product_id(request, store)]
    product.corrupt.update((await read_model(request, CorruptIn)).fields)
    return {"corrupted": product.id}


async def add_location(request: web.Request) -> Any:
    store = _store(request)
    given = await read_model(request, LocationIn)
    location = store.add_location(given.label, enabled=given.enabled)
    return {"location": location_json(store, location.id)}


async def set_inventory(request: web.Request) -> Any:
    store = _store(request)
    items = (await read_model(request, InventoryIn)).items
    for n, item in enumerate(items):
        if item.variant_id not in store.variants:
            raise not_found(f"no variant {item.variant_id}", f"items[{n}].variant_id")
        if item.location_id not in store.locations:
            raise not_found(f"no location {item.location_id}", f"items[{n}].location_id")
    for item in items:
        store.set_level(item.variant_id, item.location_id, item.quantity)
    return {"items": [item.model_dump() for item in items]}


async def tokens(request: web.Request) -> Any:
    store = _store(request)
    given = await read_model(request, TokensIn)
    for token in given.revoke:
        store.tokens.pop(token, None)
    for token, scopes in given.grant.items():
        store.tokens[token] = frozenset(scopes)
    return {"tokens": len(store.tokens)}


async def rate_limit(request: web.Request) -> Any:
    store = _store(request)
    given = await read_model(request, RateIn)
    store.window = RateWindow(given.quota, given.window_ms)
    return {"quota": given.quota, "window_ms": given.window_ms}


async def webhook_url(request: web.Request) -> Any:
    store = _store(request)
    store.hooks.url = (await read_model(request, UrlIn)).url
    return {"url": store.hooks.url}


def add_routes(router: web.UrlDispatcher) -> None:
    add_control_routes(
        router,
        [
            ("PATCH", "/_sim/products/{product_id}", edit_product),
            ("POST", "/_sim/products/{product_id}/corrupt", corrupt),
            ("POST", "/_sim/locations", add_location),
            ("POST", "/_sim/inventory", set_inventory),
            ("POST", "/_sim/tokens", tokens),
            ("PUT", "/_sim/rate_limit", rate_limit),
            ("PUT", "/_sim/webhook_url", webhook_url),
        ],
    )
