"""Shared by the end-to-end polling benchmarks of stores without webhooks (Magento,
commercetools): the published SKUs to change, the changes made through a store's neutral
control at random moments in the poll cycle, and the moment each reached TikTok (the Update
Inventory call's arrival, checked against the quantity TikTok then holds)."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from support import SHOP, WAREHOUSE_ID, Harness, wait_until

from daemon.ledger import stock


@dataclass(frozen=True)
class Target:
    sku: str
    tiktok_product_id: str
    tiktok_sku_id: str


@dataclass(frozen=True)
class Plan:
    """Where the changes go and how many: `samples` in all, over `streams` side by side."""

    control_url: str  # the store's neutral control API
    location: str  # the location the changes are made at
    poll_s: float
    samples: int
    streams: int
    timeout_s: float


async def targets(harness: Harness, streams: int) -> list[Target]:
    async with harness.daemon.ledger.read() as tx:
        linked = await stock.linked_skus(tx, SHOP)
    found = [
        Target(sku.stock_key, sku.tiktok_product_id, sku.tiktok_sku_id)
        for sku in linked
        if sku.tracked and not sku.continue_selling and sku.stock_key
    ]
    if len(found) < streams:
        raise RuntimeError(f"only {len(found)} published SKUs")
    return found


async def samples(harness: Harness, found: list[Target], plan: Plan) -> list[float]:
    """Seconds from each change to its arrival at TikTok."""
    offset = await harness.tiktok_clock_offset()

    async def stream(number: int) -> list[float]:
        rng = random.Random(number)
        mine = [t for n, t in enumerate(found) if n % plan.streams == number]
        latencies = []
        for index in range(plan.samples // plan.streams):
            target = mine[index % len(mine)]
            quantity = 5_000 + 1_000 * number + index
            await asyncio.sleep(rng.uniform(0, plan.poll_s))
            sent = time.time() + offset
            level = {"sku": target.sku, "location": plan.location, "available": quantity}
            await harness._control("POST", f"{plan.control_url}/stock", {"levels": [level]}, {})  # noqa: SLF001 the harness's one JSON caller
            arrival = partial(_arrival, harness, target, quantity, sent)
            received = await wait_until(arrival, plan.timeout_s, poll_s=0.05)
            latencies.append(received - sent)
        return latencies

    results = await asyncio.gather(*(stream(n) for n in range(plan.streams)))
    return [latency for result in results for latency in result]


async def _arrival(harness: Harness, target: Target, quantity: int, sent: float) -> float | None:
    calls = await harness.tiktok_calls(operation="update_inventory", since=str(int(sent)))
    for call in calls:
        received = float(call["at"]) - float(call["duration_ms"]) / 1000
        if (
            target.tiktok_product_id in call["path"]
            and received >= sent
            and await _tiktok_quantity(harness, target) == quantity
        ):
            return received
    return None


async def _tiktok_quantity(harness: Harness, target: Target) -> int | None:
    state: dict[str, Any] = await harness.tiktok_control("GET", "state")
    products = state["products"]
    for product in products.values() if isinstance(products, dict) else products:
        if str(product.get("id", product.get("product_id"))) != target.tiktok_product_id:
            continue
        for sku in product["skus"]:
            if str(sku["id"]) == target.tiktok_sku_id:
                for cell in sku["inventory"]:
                    if str(cell["warehouse_id"]) == WAREHOUSE_ID:
                        return int(cell["quantity"])
    return None
