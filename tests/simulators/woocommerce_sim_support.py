"""Starting the WooCommerce simulator for its tests, and the official client pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
from woocommerce import API

from simulators.kit import StoreSeed
from simulators.woocommerce import SAMPLE_OPTIONS, RunningWoo, start_store

T = TypeVar("T")
KEY = SAMPLE_OPTIONS["consumer_key"]
SECRET = SAMPLE_OPTIONS["consumer_secret"]
WEBHOOK_SECRET = SAMPLE_OPTIONS["webhook_secret"]


@dataclass
class Sim:
    running: RunningWoo
    session: aiohttp.ClientSession

    @property
    def base_url(self) -> str:
        return self.running.base_url

    def official(self, **changes: Any) -> API:
        """The unmodified `woocommerce` package, as a merchant's script would build it."""
        options: dict[str, Any] = {"version": "wc/v3", "timeout": 10}
        if self.running.ca_file is not None:
            options["verify_ssl"] = str(self.running.ca_file)
        options.update(changes)
        key = options.pop("consumer_key", KEY)
        secret = options.pop("consumer_secret", SECRET)
        return API(url=self.base_url, consumer_key=key, consumer_secret=secret, **options)

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        async with self.session.request(
            method, f"{self.base_url}{path}", json=body, ssl=False
        ) as response:
            answer = await response.json()
            assert response.status == 200, answer
            return answer

    async def products(self, *specs: dict[str, Any]) -> list[dict[str, Any]]:
        answer = await self.control("POST", "/_sim/store/products", {"products": list(specs)})
        return list(answer["products"])


async def in_thread(call: Callable[[], T]) -> T:
    """Run a blocking client call while the simulator keeps serving on this loop."""
    return await asyncio.to_thread(call)


@asynccontextmanager
async def running_sim(
    *, tls: bool = False, webhook_url: str | None = None, **options: Any
) -> AsyncIterator[Sim]:
    seed = StoreSeed(
        name="Woo test shop",
        currency="GBP",
        locations=("Warehouse",),
        webhook_url=webhook_url,
        options={**SAMPLE_OPTIONS, "tls": tls, **options},
    )
    running = await start_store(seed, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield Sim(running, session)
    finally:
        await running.stop()


def shirt(**changes: Any) -> dict[str, Any]:
    """A variable product with two variations, 5 units each."""
    spec: dict[str, Any] = {
        "title": "Shirt",
        "variants": [
            {
                "sku": "SH-M",
                "price": "12.00",
                "options": {"Size": "M"},
                "stock": [{"location": "default", "available": 5}],
            },
            {
                "sku": "SH-L",
                "price": "13.00",
                "options": {"Size": "L"},
                "stock": [{"location": "default", "available": 5}],
            },
        ],
    }
    spec.update(changes)
    return spec


def mug(sku: str = "MUG", **changes: Any) -> dict[str, Any]:
    """A simple product with 10 units."""
    variant = {"sku": sku, "price": "9.50", "stock": [{"location": "default", "available": 10}]}
    return {"title": "Mug", "variants": [variant], **changes}
