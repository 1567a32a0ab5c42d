"""How the REST paths are routed: ``/rest/{store code}/V1/...`` and ``/rest/V1/...`` (the
default scope, as pymagento calls it), each route named as its endpoint and guarded by one
ACL resource."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from simulators.magento.errors import bad_request

API_PREFIX = "/rest"
_SCOPE = r"{scope:(?:/[A-Za-z0-9_]+)?}"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Endpoint name -> the ACL resource an integration needs for it.
RESOURCES: dict[str, str] = {}


def add(
    router: web.UrlDispatcher,
    method: str,
    path: str,
    handler: Handler,
    *,
    name: str,
    resource: str,
) -> None:
    """Route ``/rest[/{store code}]/V1/{path}`` (a trailing slash is accepted too)."""
    RESOURCES[name] = resource
    router.add_route(method, f"{API_PREFIX}{_SCOPE}/V1/{path}{{slash:/?}}", handler, name=name)


def answer(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda v: json.dumps(v, default=str))


async def body_of(request: web.Request) -> Any:
    raw = await request.read()
    if not raw.strip():
        raise bad_request("The request body is empty.")
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_request("Decoding error: the request body is not valid JSON.") from None


def int_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 12 else None  # noqa: PLR2004 an int(10) id
