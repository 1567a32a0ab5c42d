"""How handlers reach the simulated store."""

from __future__ import annotations

from aiohttp import web

from simulators.woocommerce.state import Store

STORE = web.AppKey("woocommerce_simulation", Store)


def store_of(request: web.Request) -> Store:
    return request.app[STORE]
