"""The Magento simulator's own ``/_sim/magento/`` controls: tokens, ACL resources, sources,
product edits as an admin save makes them, and corrupting a product's answer."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import Field

from simulators.kit import ControlBody, add_control_routes, not_found, read_model
from simulators.magento import render
from simulators.magento.records import ProductRec
from simulators.magento.state import STORE, MagentoStore

PREFIX = "/_sim/magento"


class TokensIn(ControlBody):
    revoke: list[str] = Field(default_factory=list)
    add: list[str] = Field(default_factory=list)


class ResourcesIn(ControlBody):
    resources: list[str]


class SourceIn(ControlBody):
    name: str = Field(min_length=1)
    enabled: bool = True


class EditIn(ControlBody):
    name: str | None = None
    price: str | None = None


class CorruptIn(ControlBody):
    fields: dict[str, Any]


def _store(request: web.Request) -> MagentoStore:
    return request.app[STORE]


def _product(request: web.Request) -> ProductRec:
    raw = request.match_info["product_id"]
    product = _store(request).products.get(int(raw)) if raw.isdigit() else None
    if product is None:
        raise not_found(f"no product {raw!r}")
    return product


async def _tokens(request: web.Request) -> Any:
    store, given = _store(request), await read_model(request, TokensIn)
    store.tokens.difference_update(given.revoke)
    store.tokens.update(given.add)
    return {"tokens": len(store.tokens)}


async def _resources(request: web.Request) -> Any:
    store, given = _store(request), await read_model(request, ResourcesIn)
    store.resources = set(given.resources)
    return {"resources": sorted(store.resources)}


async def _source(request: web.Request) -> Any:
    given = await read_model(request, SourceIn)
    return render.source(_store(request).add_source(given.name, enabled=given.enabled))


async def _edit(request: web.Request) -> Any:
    """An admin save: the product's ``updated_at`` moves."""
    product, given = _product(request), await read_model(request, EditIn)
    if given.name is not None:
        product.name = given.name
    _store(request).touch(product)
    return render.product(_store(request), product)


async def _corrupt(request: web.Request) -> Any:
    product, given = _product(request), await read_model(request, CorruptIn)
    product.corrupt.update(given.fields)
    return {"id": product.id, "corrupt": sorted(product.corrupt)}


def add_routes(router: web.UrlDispatcher) -> None:
    add_control_routes(
        router,
        [
            ("POST", f"{PREFIX}/tokens", _tokens),
            ("PUT", f"{PREFIX}/resources", _resources),
            ("POST", f"{PREFIX}/sources", _source),
            ("PATCH", f"{PREFIX}/products/{{product_id}}", _edit),
            ("POST", f"{PREFIX}/products/{{product_id}}/corrupt", _corrupt),
        ],
    )
