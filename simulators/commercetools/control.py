"""The simulator's own ``/_sim/commercetools/`` controls: API clients (revoke, scopes),
expiring tokens, channels, product edits as a Merchant Center save makes them, and corrupting
a product's answer."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import Field

from simulators.commercetools import render
from simulators.commercetools.records import SUPPLY, ProductRec
from simulators.commercetools.state import Project, project_of
from simulators.kit import ControlBody, add_control_routes, not_found, read_model

PREFIX = "/_sim/commercetools"


class ClientsIn(ControlBody):
    revoke: list[str] = Field(default_factory=list)


class ScopesIn(ControlBody):
    client_id: str
    scopes: list[str]


class ChannelIn(ControlBody):
    name: str = Field(min_length=1)
    roles: list[str] = Field(default_factory=lambda: [SUPPLY])


class EditIn(ControlBody):
    name: str | None = None
    published: bool | None = None


class CorruptIn(ControlBody):
    fields: dict[str, Any]


def _product(project: Project, request: web.Request) -> ProductRec:
    product = project.products.get(request.match_info["product_id"])
    if product is None:
        raise not_found(f"no product {request.match_info['product_id']!r}")
    return product


async def _clients(request: web.Request) -> Any:
    project, given = project_of(request), await read_model(request, ClientsIn)
    for client_id in given.revoke:
        project.revoke_client(client_id)
    return {"clients": sorted(project.clients)}


async def _scopes(request: web.Request) -> Any:
    project, given = project_of(request), await read_model(request, ScopesIn)
    client = project.clients.get(given.client_id)
    if client is None:
        raise not_found(f"no client {given.client_id!r}")
    client.scopes = tuple(given.scopes)
    for token in project.tokens.values():
        if token.client_id == client.client_id:
            token.scopes = tuple(s for s in token.scopes if s in client.scopes)
    return {"client_id": client.client_id, "scopes": list(client.scopes)}


async def _expire_tokens(request: web.Request) -> Any:
    project = project_of(request)
    for token in project.tokens.values():
        token.expires_at = min(token.expires_at, project.clock.now())
    return {"expired": len(project.tokens)}


async def _channel(request: web.Request) -> Any:
    given = await read_model(request, ChannelIn)
    return render.channel(project_of(request).add_channel(given.name, roles=given.roles))


async def _edit(request: web.Request) -> Any:
    """A save and publish in the Merchant Center: the product's version and time move."""
    project = project_of(request)
    product, given = _product(project, request), await read_model(request, EditIn)
    if given.name is not None:
        product.name = dict.fromkeys(product.name, given.name) or {"en-GB": given.name}
    if given.published is not None:
        product.published = given.published
    project.touch(product)
    return {"id": product.id, "version": product.version}


async def _corrupt(request: web.Request) -> Any:
    project = project_of(request)
    product, given = _product(project, request), await read_model(request, CorruptIn)
    product.corrupt.update(given.fields)
    return {"id": product.id, "corrupt": sorted(product.corrupt)}


def add_routes(router: web.UrlDispatcher) -> None:
    add_control_routes(
        router,
        [
            ("POST", f"{PREFIX}/clients", _clients),
            ("PUT", f"{PREFIX}/scopes", _scopes),
            ("POST", f"{PREFIX}/tokens/expire", _expire_tokens),
            ("POST", f"{PREFIX}/channels", _channel),
            ("PATCH", f"{PREFIX}/products/{{product_id}}", _edit),
            ("POST", f"{PREFIX}/products/{{product_id}}/corrupt", _corrupt),
        ],
    )
