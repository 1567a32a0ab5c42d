"""Propagation latency: a Shopify stock change until TikTok receives the Update Inventory call.

The daemon runs in-process with its scheduler (`daemon.runtime.scheduler.Scheduler` over all
its jobs), against the simulators in a child process, with a small catalog already published
and Active on TikTok. Each sample sets one SKU's stock through the Shopify simulator's
`/_sim/inventory` (a value never used before, on a tracked, deny-policy variant, so the
desired TikTok quantity is exactly that value) and waits for the TikTok simulator's call log
to show Update Inventory for that product; the sample is checked against the quantity TikTok
then holds. Latency = the call's arrival at the TikTok simulator (its log time minus its
duration) minus the moment just before `/_sim/inventory` was sent, both on the same clock.

Shopify keeps the simulator's default Standard-plan bucket (40 calls, 2/s), and the daemon its
default pacing for it; TikTok its 50/s per endpoint.

- By webhook: the Shopify simulator posts `inventory_levels/update` to the daemon's
  `/webhooks/shopify/bench`; the daemon's `webhook_debounce` is 50 ms (default 1 s). The
  scheduled inventory run keeps its default 2-minute interval.
  Samples are one at a time, 1 s apart: each costs the targeted run 2 Shopify calls, within
  the Standard plan's 2 calls/s (closer together, the bucket fills after ~15 samples and the
  client's pacing adds ~0.7 s to each).
- By polling: no webhook receiver and no webhooks sent; the inventory job runs every 2 s. Each
  change is made after a random pause (seeded) so it falls anywhere in the poll cycle; three
  streams of changes, on separate products, run side by side.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from support import SHOP, Harness, Setup, percentile, progress, wait_until
from support import arrival as _arrival

from daemon.ledger import stock
from daemon.runtime.scheduler import Scheduler

PRODUCTS = 24
VARIANTS = 3
SAMPLES = 30
DEBOUNCE_MS = 50
POLL_INTERVAL_S = 2
SETTLE_S = 3.0  # for the scheduler's first runs of every job to finish
SAMPLE_TIMEOUT_S = 15.0
POLL_STREAMS = 3  # concurrent streams of changes while polling (30 samples in 1/3 the time)
GAP_S = 1.0  # between webhook samples: 2 Shopify calls each stay within the 2/s leak


@dataclass(frozen=True)
class Target:
    stock_key: str  # the Shopify inventory item id
    tiktok_product_id: str
    tiktok_sku_id: str


async def main() -> dict[str, float]:
    progress(f"webhook path ({SAMPLES} samples, debounce {DEBOUNCE_MS} ms) ...")
    webhook, webhook_own = await _measure(
        Setup(webhook_debounce=f"{DEBOUNCE_MS}ms", map_all=True), webhooks=True
    )
    progress(f"polling path ({SAMPLES} samples, inventory every {POLL_INTERVAL_S}s) ...")
    polling, polling_own = await _measure(
        Setup(webhooks=False, schedules={"inventory": f"{POLL_INTERVAL_S}s"}, map_all=True),
        webhooks=False,
    )
    return {
        # The daemon's own `ttsync_propagation_seconds` over the samples (its mean), beside
        # the outside measurement: from the webhook's arrival, or the polling run's start.
        "webhook_daemon_histogram_mean_ms": webhook_own,
        "poll_daemon_histogram_mean_ms": polling_own,
        "webhook_latency_p50_ms": round(statistics.median(webhook), 1),
        "webhook_latency_p95_ms": round(percentile(webhook, 0.95), 1),
        "webhook_latency_max_ms": round(max(webhook), 1),
        "webhook_samples": len(webhook),
        "webhook_debounce_ms": DEBOUNCE_MS,
        "poll_latency_p50_ms": round(statistics.median(polling), 1),
        "poll_latency_p95_ms": round(percentile(polling, 0.95), 1),
        "poll_latency_max_ms": round(max(polling), 1),
        "poll_samples": len(polling),
        "poll_interval_s": POLL_INTERVAL_S,
    }


async def _measure(setup: Setup, *, webhooks: bool) -> tuple[list[float], float]:
    """Latencies in milliseconds, one per sample; and the mean of what the daemon's own
    propagation histogram observed for the inventory job meanwhile, in milliseconds."""
    async with Harness(setup, products=PRODUCTS, variants=VARIANTS) as harness:
        await harness.shopify_webhooks(on=False)  # while publishing
        await harness.start_daemon()
        await harness.publish_and_activate()
        targets = await _targets(harness)
        await harness.shopify_webhooks(on=webhooks)
        scheduler = Scheduler(harness.daemon.runner, harness.daemon.specs)
        scheduler.start(datetime.now(UTC))
        try:
            await asyncio.sleep(SETTLE_S)
            before = _histogram(harness)
            samples = await _samples(harness, targets, webhooks=webhooks)
            after = _histogram(harness)
        finally:
            await scheduler.drain(timedelta(seconds=5))
        count, total = after[0] - before[0], after[1] - before[1]
        return samples, round(total / count * 1000, 1) if count else float("nan")


def _histogram(harness: Harness) -> tuple[float, float]:
    """(count, sum) of the daemon's propagation histogram for the inventory job."""
    sample = harness.daemon.metrics.registry.get_sample_value
    labels = {"shop": SHOP, "job": "inventory"}
    return (
        sample("ttsync_propagation_seconds_count", labels) or 0.0,
        sample("ttsync_propagation_seconds_sum", labels) or 0.0,
    )


async def _targets(harness: Harness) -> list[Target]:
    """Tracked, deny-policy SKUs of Active products: their TikTok quantity is the store's."""
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


async def _samples(harness: Harness, targets: list[Target], *, webhooks: bool) -> list[float]:
    """SAMPLES latencies: one stream of changes by webhook; POLL_STREAMS streams side by side
    (each on products of its own) when polling, where each sample waits a random pause."""
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
            level = {"inventory_item_id": int(target.stock_key), "available": quantity}
            await harness.shopify_control("POST", "inventory", {"levels": [level]})
            arrival = partial(_arrival, harness, target, quantity, sent)
            received = await wait_until(arrival, SAMPLE_TIMEOUT_S, poll_s=0.01)
            latencies.append((received - sent) * 1000)
        return latencies

    results = await asyncio.gather(*(stream(number) for number in range(streams)))
    return [latency for result in results for latency in result]
