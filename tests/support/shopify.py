"""Start the Shopify simulator on loopback, talk to its control API, build a client for it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import aiohttp.web
from yarl import URL

from daemon.connectors.shopify import ShopifyClient, ShopifyClientOptions, ShopifySettings
from daemon.metrics import Metrics
from daemon.simulate import RunningSimulators
from simulators.shopify import RunningShopify, ShopifySimulator, ShopifySimulatorConfig

# The REST ``Link`` header as Shopify's own SDK reads it: <url>; rel="next", <url>; rel="previous"
# (the simulator still serves REST; the connector no longer calls it).
_LINK = re.compile(r'<([^<>]+)>\s*;\s*rel="([^"]+)"')


def parse_link_header(value: str | None) -> dict[str, str]:
    """Each ``rel`` of a ``Link`` header with its URL ({} when absent or unreadable)."""
    return {rel: url for url, rel in _LINK.findall(value or "")}


def next_page_info(link_header: str | None) -> str | None:
    """The ``page_info`` of the next page, or None on the last page."""
    url = parse_link_header(link_header).get("next")
    return None if url is None else URL(url).query.get("page_info") or None


# Fast enough that the bucket never matters unless a test says so.
FAST = ShopifySimulatorConfig(leak_rate=10_000.0, hang_seconds=5.0)
FAST_CLIENT = ShopifyClientOptions(request_timeout=timedelta(seconds=5))


class SimControl:
    """The simulator's ``/_sim/`` API, plus raw Admin API calls for simulator tests."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession, token: str) -> None:
        self.base_url = base_url
        self.session = session
        self.token = token

    async def sim(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        async with self.session.request(
            method, f"{self.base_url}/_sim/{path}", json=body, params=query
        ) as response:
            payload = await response.json()
            if response.status >= 400:
                raise AssertionError(f"control {method} {path}: {response.status} {payload}")
            return payload

    async def admin(
        self,
        method: str,
        resource: str,
        body: Any = None,
        *,
        version: str = "2026-10",
        token: str | None = None,
        **query: str,
    ) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
        headers = {"X-Shopify-Access-Token": self.token if token is None else token}
        async with self.session.request(
            method,
            f"{self.base_url}/admin/api/{version}/{resource}.json",
            json=body,
            params=query,
            headers=headers,
        ) as response:
            text = await response.text()
            payload = None if not text else await response.json(content_type=None)
            return response.status, payload, response.headers

    async def load(self, products: list[dict[str, Any]], **options: Any) -> list[dict[str, Any]]:
        answer = await self.sim("POST", "catalog", {"products": products, **options})
        return list(answer["products"])

    async def calls(self, **query: str) -> list[dict[str, Any]]:
        return list((await self.sim("GET", "calls", **query))["calls"])

    async def advance(self, seconds: float) -> datetime:
        answer = await self.sim("POST", "clock/advance", {"seconds": seconds})
        return datetime.fromisoformat(answer["now"])

    async def now(self) -> datetime:
        return datetime.fromisoformat((await self.sim("GET", "clock"))["now"])


def shopify_sim(simulators: RunningSimulators, shop: str = "uk") -> ShopifySimulator:
    """The Shopify simulator `ttsync simulate` started for `shop`, to reach its state."""
    store = simulators.stores[shop]
    assert isinstance(store, RunningShopify), f"shop {shop!r} runs {type(store).__name__}"
    return store.simulator


def product(title: str, *variants: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A catalog entry for ``/_sim/catalog``; one default variant when none is given."""
    return {"title": title, "variants": list(variants) or [{"price": "10.00"}], **fields}


def client_for(
    simulator: ShopifySimulator, options: ShopifyClientOptions = FAST_CLIENT
) -> ShopifyClient:
    assert simulator.base_url is not None
    section = ShopifySettings(
        shop_domain=simulator.config.shop_domain,
        base_url=simulator.base_url,
        api_version=simulator.config.api_version,
        access_token=simulator.config.access_token,
    )
    return ShopifyClient(section, Metrics(), options=options)


@asynccontextmanager
async def running(
    config: ShopifySimulatorConfig = FAST, **changes: Any
) -> AsyncIterator[tuple[ShopifySimulator, SimControl]]:
    simulator = ShopifySimulator(replace(config, **changes))
    base_url = await simulator.start("127.0.0.1", 0)
    session = aiohttp.ClientSession()
    try:
        yield simulator, SimControl(base_url, session, simulator.config.access_token)
    finally:
        await session.close()
        await simulator.stop()


@asynccontextmanager
async def webhook_receiver(
    status: int = 200,
) -> AsyncIterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A loopback endpoint that records every POST (headers, raw body) and answers `status`."""
    received: list[tuple[dict[str, str], bytes]] = []

    async def receive(request: aiohttp.web.Request) -> aiohttp.web.Response:
        received.append((dict(request.headers), await request.read()))
        return aiohttp.web.Response(status=status)

    app = aiohttp.web.Application()
    app.router.add_post("/hooks", receive)
    runner = aiohttp.web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/hooks", received
    finally:
        await runner.cleanup()
