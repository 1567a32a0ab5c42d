"""Start the BigCommerce simulator on loopback (HTTP, or HTTPS with a trustme CA), talk to its
control API and its platform API."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import aiohttp

from simulators.bigcommerce import BigCommerceSimulator, BigCommerceSimulatorConfig
from simulators.bigcommerce.store import FIRST_LOCATION_ID

TOKEN = BigCommerceSimulatorConfig().access_token
HASH = BigCommerceSimulatorConfig().store_hash


class SimControl:
    """The simulator's ``/_sim/`` API and raw platform calls."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession, config: Any) -> None:
        self.base_url = base_url
        self.session = session
        self.config = config

    async def sim(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        async with self.session.request(
            method, f"{self.base_url}/_sim/{path}", json=body, params=query
        ) as response:
            payload = await response.json()
            if response.status >= 400:
                raise AssertionError(f"control {method} {path}: {response.status} {payload}")
            return payload

    async def api(
        self, method: str, path: str, body: Any = None, *, token: str | None = None, **query: str
    ) -> tuple[int, Any, Any]:
        """One platform call (``path`` after ``/stores/{hash}/``): status, JSON body, headers."""
        headers = {
            "X-Auth-Token": self.config.access_token if token is None else token,
            "Accept": "application/json",
        }
        url = f"{self.base_url}/stores/{self.config.store_hash}/{path}"
        async with self.session.request(
            method, url, json=body, params=query, headers=headers
        ) as response:
            text = await response.text()
            payload = None if not text else await response.json(content_type=None)
            return response.status, payload, response.headers

    async def products(self, *products: dict[str, Any]) -> list[dict[str, Any]]:
        answer = await self.sim("POST", "store/products", {"products": list(products)})
        return list(answer["products"])

    async def calls(self, **query: str) -> list[dict[str, Any]]:
        return list((await self.sim("GET", "calls", **query))["calls"])

    async def advance(self, seconds: float) -> datetime:
        answer = await self.sim("POST", "clock/advance", {"seconds": seconds})
        return datetime.fromisoformat(answer["now"])


def product(title: str, *variants: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A neutral product spec; variants default to one SKU named after the title."""
    given = list(variants) or [{"sku": title.upper(), "price": "9.99"}]
    return {"title": title, "variants": given, **fields}


def stocked(title: str, available: int = 10) -> dict[str, Any]:
    """One SKU named after the title, with `available` units at the default location."""
    stock = [{"location": str(FIRST_LOCATION_ID), "available": available}]
    return product(title, {"sku": title.upper(), "price": "9.99", "stock": stock})


@asynccontextmanager
async def running(
    config: BigCommerceSimulatorConfig | None = None, *, tls: ssl.SSLContext | None = None
) -> AsyncIterator[tuple[BigCommerceSimulator, SimControl]]:
    simulator = BigCommerceSimulator(config or BigCommerceSimulatorConfig())
    base_url = await simulator.start("127.0.0.1", 0, tls=tls)
    try:
        connector = aiohttp.TCPConnector(ssl=False) if tls else None
        async with aiohttp.ClientSession(connector=connector) as session:
            yield simulator, SimControl(base_url, session, simulator.config)
    finally:
        await simulator.stop()
