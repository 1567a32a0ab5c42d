"""The whole daemon in-process against both simulators, with the controls tests need."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from daemon.domain import ProductStatus, RunOutcome
from daemon.jobs import JobSpec
from daemon.ledger import products
from daemon.runtime import Daemon, build
from daemon.settings import load_settings
from daemon.simulate import RunningSimulators, start_simulators
from simulators.shopify.generate import ean13
from tests.support.shopify import shopify_sim


@dataclass
class World:
    daemon: Daemon
    simulators: RunningSimulators
    session: aiohttp.ClientSession

    @property
    def tiktok_url(self) -> str:
        (url,) = self.simulators.tiktok
        return url

    @property
    def shopify_url(self) -> str:
        base = shopify_sim(self.simulators).base_url
        assert base is not None
        return base

    def spec(self, job: str) -> JobSpec:
        return next(spec for spec in self.daemon.specs if spec.name == job)

    async def run(self, job: str, hints: frozenset[str] = frozenset()) -> RunOutcome:
        return await self.daemon.runner.run(self.spec(job), hints)

    async def tiktok(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        return await self._call(method, f"{self.tiktok_url}/_sim/{path}", body, query)

    async def store(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        """The store simulator's neutral controls (``/_sim/store/``), whatever its kind."""
        (store,) = self.simulators.stores.values()
        return await self._call(method, f"{store.control_url}/{path}", body, query)

    async def shopify(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        return await self._call(method, f"{self.shopify_url}/_sim/{path}", body, query)

    async def _call(self, method: str, url: str, body: Any, query: dict[str, str]) -> Any:
        async with self.session.request(method, url, json=body, params=query) as response:
            payload = await response.json()
            assert response.status < 400, f"{method} {url}: {response.status} {payload}"
            return payload

    async def load(self, *specs: dict[str, Any]) -> list[dict[str, Any]]:
        """Products into the Shopify simulator; returns them as it rendered them."""
        answer = await self.shopify("POST", "catalog", {"products": list(specs)})
        return list(answer["products"])

    async def published(self, *specs: dict[str, Any]) -> list[dict[str, Any]]:
        """Products loaded, on TikTok and through review, with the first inventory and price
        passes done."""
        loaded = await self.load(*specs)
        await self.run("catalog")
        await self.finish_reviews()
        await self.run("catalog")
        assert await self.run("inventory") is RunOutcome.OK
        assert await self.run("price") is RunOutcome.OK
        return loaded

    async def tiktok_calls(self, operation: str) -> list[dict[str, Any]]:
        return list((await self.tiktok("GET", "calls", operation=operation))["calls"])

    async def finish_reviews(self) -> None:
        """Let the TikTok simulator decide every pending review."""
        await self.tiktok("POST", "clock/advance", {"seconds": 3600})

    async def statuses(self) -> dict[str, tuple[ProductStatus, str | None]]:
        async with self.daemon.ledger.read() as tx:
            rows = await tx.fetchall(
                "SELECT store_product_id FROM products WHERE shop_id = 'uk' ORDER BY 1"
            )
            found = {}
            for row in rows:
                record = await products.get_product(tx, "uk", str(row[0]))
                assert record is not None
                found[record.store_product_id] = (record.status, record.reason)
        return found


@asynccontextmanager
async def open_world(config: Path, clock: Any = None) -> AsyncIterator[World]:
    settings = load_settings(config)
    simulators = await start_simulators(settings, str(config))
    try:
        async with AsyncExitStack() as stack, aiohttp.ClientSession() as session:
            if clock is None:
                daemon = await build(settings, stack)
            else:
                daemon = await build(settings, stack, clock)
            yield World(daemon, simulators, session)
    finally:
        await simulators.stop()


def variant(sku: str, price: str = "12.50", **fields: Any) -> dict[str, Any]:
    """A Shopify simulator variant with a valid EAN, a weight and some stock by default."""
    barcode = ean13(int.from_bytes(sku.encode(), "big") % 10**9)
    return {"sku": sku, "price": price, "barcode": barcode, "weight": "0.4", "stock": 10, **fields}


def item(title: str, *variants: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A Shopify simulator product of a mapped type with one JPEG image by default."""
    return {
        "title": title,
        "product_type": "Mug",
        "body_html": "<p>A good mug.</p>",
        "images": [{"src": "/cdn/test/mug_800x800.jpg"}],
        "variants": list(variants),
        **fields,
    }
