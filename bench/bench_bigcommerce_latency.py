"""Propagation latency for a BigCommerce store: a stock change until TikTok receives the
Update Inventory call, by webhook and by polling.

As `bench_latency.py`, against the BigCommerce simulator (in a child process) with its
documented window of 150 calls per 30 s: each sample sets one variant's stock at the store's
location through `/_sim/inventory` (an absolute adjustment: a value never used before, on a
tracked product not on preorder, so TikTok's quantity is exactly that value) and waits for the
TikTok simulator's log to show Update Inventory for that product with the new quantity.

- By webhook: the simulator posts `store/sku/inventory/updated` (signed, ids only) to the
  daemon's `/webhooks/bigcommerce/bench`; the daemon's `webhook_debounce` is 50 ms; the
  targeted run reads that variant's levels (one call).
- By polling: no callbacks; the inventory job runs every 2 s and reads the products modified
  since its bookmark, then their variants' levels (two calls). Three streams of changes, on
  separate products, run side by side, each change after a seeded random pause.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from bench_latency import (
    DEBOUNCE_MS,
    GAP_S,
    POLL_INTERVAL_S,
    POLL_STREAMS,
    PRODUCTS,
    SAMPLE_TIMEOUT_S,
    SAMPLES,
    SETTLE_S,
    VARIANTS,
    _tiktok_quantity,
)
from bigcommerce_support import BigCommerceHarness, BigCommerceSetup
from support import SHOP, percentile, progress, wait_until

from daemon.ledger import stock
from daemon.runtime.scheduler import Scheduler
from simulators.bigcommerce.store import FIRST_LOCATION_ID


@dataclass(frozen=True)
class Target:
    stock_key: str  # the variant id
    tiktok_product_id: str
    tiktok_sku_id: str


async def main() -> dict[str, float]:
    progress(f"BigCommerce webhook path ({SAMPLES} samples, debounce {DEBOUNCE_MS} ms) ...")
    webhook = await _measure(
        BigCommerceSetup(webhook_debounce=f"{DEBOUNCE_MS}ms", map_all=True), webhooks=True
    )
    progress(f"BigCommerce polling path ({SAMPLES} samples, inventory every {POLL_INTERVAL_S}s)")
    polling = await _measure(
        BigCommerceSetup(
            webhooks=False, schedules={"inventory": f"{POLL_INTERVAL_S}s"}, map_all=True
        ),
        webhooks=False,
    )
    return {
        "bc_webhook_latency_p50_ms": round(statistics.median(webhook), 1),
        "bc_webhook_latency_p95_ms": round(percentile(webhook, 0.95), 1),
        "bc_webhook_latency_max_ms": round(max(webhook), 1),
        "bc_webhook_samples": len(webhook),
        "bc_poll_latency_p50_ms": round(statistics.median(polling), 1),
        "bc_poll_latency_p95_ms": round(percentile(polling, 0.95), 1),
        "bc_poll_latency_max_ms": round(max(polling), 1),
        "bc_poll_samples": len(polling),
        "bc_poll_interval_s": POLL_INTERVAL_S,
    }


async def _measure(setup: BigCommerceSetup, *, webhooks: bool) -> list[float]:
    async with BigCommerceHarness(setup, products=PRODUCTS, variants=VARIANTS) as harness:
        await harness.store_webhooks(on=False)  # while publishing
        await harness.start_daemon()
        await harness.publish_and_activate()
        targets = await _targets(harness)
        await harness.store_webhooks(on=webhooks)
        scheduler = Scheduler(harness.daemon.runner, harness.daemon.specs)
        scheduler.start(datetime.now(UTC))
        try:
            await asyncio.sleep(SETTLE_S)
            return await _samples(harness, targets, webhooks=webhooks)
        finally:
            await scheduler.drain(timedelta(seconds=5))


async def _targets(harness: BigCommerceHarness) -> list[Target]:
    async with harness.daemon.ledger.read() as tx:
        linked = await stock.linked_skus(tx, SHOP)
    targets = [
        Target(sku.stock_key, sku.tiktok_product_id, sku.tiktok_sku_id)
        for sku in linked
        if sku.tracked and not sku.continue_selling and sku.stock_key
    ]
    if len(targets) < SAMPLES:
        raise RuntimeError(f"only {len(targets)} usable SKUs for {SAMPLES} samples")
    return targets


async def _samples(
    harness: BigCommerceHarness, targets: list[Target], *, webhooks: bool
) -> list[float]:
    streams = 1 if webhooks else POLL_STREAMS
    products = sorted({target.tiktok_product_id for target in targets})
    offset = await harness.tiktok_clock_offset()

    async def stream(number: int) -> list[float]:
        rng = random.Random(number)  # a repeatable spread of change times
        mine = [t for t in targets if products.index(t.tiktok_product_id) % streams == number]
        latencies = []
        for index in range(SAMPLES // streams):
            target = mine[index % len(mine)]
            quantity = 5_000 + 1_000 * number + index
            await asyncio.sleep(GAP_S if webhooks else rng.uniform(0, POLL_INTERVAL_S))
            sent = time.time() + offset  # the simulators' clock: wall time plus the offset
            item = {
                "variant_id": int(target.stock_key),
                "location_id": FIRST_LOCATION_ID,
                "quantity": quantity,
            }
            await harness.shopify_control("POST", "inventory", {"items": [item]})
            arrival = partial(_arrival, harness, target, quantity, sent)
            received = await wait_until(arrival, SAMPLE_TIMEOUT_S, poll_s=0.01)
            latencies.append((received - sent) * 1000)
        return latencies

    results = await asyncio.gather(*(stream(number) for number in range(streams)))
    return [latency for result in results for latency in result]


async def _arrival(
    harness: BigCommerceHarness, target: Target, quantity: int, sent: float
) -> float | None:
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
