"""The SFCC simulator's own ``/_sim/sfcc/`` controls: what the merchant's jobs and admins do
beyond the neutral store API (a delta renaming a product, a delta that names a variant no feed
has, a new or deleted inventory list, a raw file dropped as is, a revoked access key)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import Field

from simulators.kit import ControlBody, add_control_routes, not_found, read_model
from simulators.sfcc import feeds
from simulators.sfcc.merchant import SimList, SimProduct, list_id_of
from simulators.sfcc.state import SIM, SfccState

PREFIX = "/_sim/sfcc"


class RenameIn(ControlBody):
    name: str = Field(min_length=1)


class BreakIn(ControlBody):
    pass


class ListIn(ControlBody):
    name: str = Field(min_length=1)
    active: bool = True


class RevokeIn(ControlBody):
    access_keys: list[str]


class FileIn(ControlBody):
    folder: str = Field(pattern=r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")
    name: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    content: str
    marker: bool = True


def _product(state: SfccState, product_id: str) -> SimProduct:
    product = state.merchant.products.get(product_id)
    if product is None or product.deleted:
        raise not_found(f"no product {product_id!r}")
    return product


async def _rename(request: web.Request) -> Any:
    state = request.app[SIM]
    product = _product(state, request.match_info["product_id"])
    product.title = (await read_model(request, RenameIn)).name
    state.merchant.export_catalog([feeds.CatalogProduct(product.id, name=product.title)])
    return {"id": product.id, "name": product.title}


async def _break(request: web.Request) -> Any:
    """A delta that makes the product a master of a variant that no catalog feed holds."""
    state = request.app[SIM]
    await read_model(request, BreakIn)
    product = _product(state, request.match_info["product_id"])
    missing = f"{product.id}-no-such-variant"
    state.merchant.export_catalog(
        [feeds.CatalogProduct(product.id, variation={}, variants=[missing])]
    )
    return {"id": product.id, "variant": missing}


def _list_id(name: str, state: SfccState) -> str:
    base = list_id_of(name)
    found = base
    while found in state.merchant.lists:
        found = f"{base}_{state.merchant.take_id()}"
    return found


async def _add_list(request: web.Request) -> Any:
    state = request.app[SIM]
    given = await read_model(request, ListIn)
    list_id = _list_id(given.name, state)
    state.merchant.lists[list_id] = SimList(given.name, deleted=not given.active)
    state.merchant.export_stock([], [list_id])
    return {"id": list_id, "name": given.name, "active": given.active}


async def _revoke(request: web.Request) -> Any:
    state = request.app[SIM]
    keys = (await read_model(request, RevokeIn)).access_keys
    state.merchant.revoked.update(keys)
    return {"revoked": len(keys)}


async def _file(request: web.Request) -> Any:
    """Drop a file as is (a broken export, a half-written upload...)."""
    state = request.app[SIM]
    given = await read_model(request, FileIn)
    target = state.root / given.folder / given.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(given.content, encoding="utf-8")
    if given.marker:
        (state.root / given.folder / (given.name + state.config.marker_suffix)).write_bytes(b"")
    return {"path": f"{given.folder}/{given.name}", "size": target.stat().st_size}


def add_routes(router: web.UrlDispatcher) -> None:
    add_control_routes(
        router,
        [
            ("POST", PREFIX + "/products/{product_id}/rename", _rename),
            ("POST", PREFIX + "/products/{product_id}/break", _break),
            ("POST", PREFIX + "/lists", _add_list),
            ("POST", PREFIX + "/revoke", _revoke),
            ("POST", PREFIX + "/files", _file),
        ],
    )
