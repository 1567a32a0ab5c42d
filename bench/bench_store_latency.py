"""Propagation latency for every store kind in `store_kinds.KINDS`: a stock change until TikTok
receives the Update Inventory call, by webhook (kinds that send them) and by polling.

As `bench_latency.py` for Shopify, through the neutral harness (`store_harness.py`): the daemon
runs in this process with its scheduler over all its jobs, the simulators in a child process.
The store holds 24 products (of the kind's latency variants, 3 or 1) published and Active on
TikTok and, for the kinds polled over a large store (Magento, commercetools), 9,976 filler
products no rule maps (they stay Unmapped, yet every inventory poll reads their stock: 10,000
SKUs in all). Each sample sets one SKU's stock at one store location through the neutral store
control (as a merchant's admin save; a value never used before, on a tracked SKU that does not
sell without stock) and waits for the TikTok simulator's log to show Update Inventory for that
product, checked against the quantity TikTok then holds (the shop's stock rules applied).
Latency = the call's arrival at the TikTok simulator minus the moment just before the change,
both on the same clock.

- By webhook: the store simulator posts its stock callback to the daemon's receiver; the
  daemon's `webhook_debounce` is 50 ms; samples one at a time, 1 s apart.
- By polling: the simulator sends no callbacks; the inventory job runs every `poll_s` seconds
  (the kind's, 2 s or 10 s); three streams of changes, on separate products, side by side, each
  change after a seeded random pause so that it lands anywhere in the poll cycle.

Figures per kind (``<kind>_webhook_*``, ``<kind>_poll_*``, in milliseconds): p50, p95, max,
samples; the debounce, the poll interval and the store's SKUs.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from store_harness import OFF, StoreHarness, StoreSetup
from store_kinds import KINDS, KindBench, scaled
from support import SHOP, arrival, percentile, progress, wait_until

from daemon.domain.inventory import InventoryRules, quantity_from_stock
from daemon.ledger import stock
from daemon.ledger.stock import LinkedSku
from daemon.runtime.rules import inventory_rules
from daemon.runtime.scheduler import Scheduler
from daemon.settings import LocationRule, load_settings

PUBLISHED = 24
STREAMS = 3  # concurrent streams of changes while polling
SAMPLES = scaled(30, least=2 * STREAMS) // STREAMS * STREAMS
DEBOUNCE_MS = 50
GAP_S = 1.0  # between webhook samples
SETTLE_S = 3.0  # for the scheduler's first runs of every job to finish


async def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    for entry in KINDS.values():
        figures |= await _kind(entry)
    return figures


async def _kind(entry: KindBench) -> dict[str, float]:
    kind = entry.kind
    figures: dict[str, float] = {}
    if entry.webhooks is not None:
        progress(f"{kind}: webhook path ({SAMPLES} samples, debounce {DEBOUNCE_MS} ms) ...")
        setup = StoreSetup(kind, daemon={"webhook_debounce": f"{DEBOUNCE_MS}ms"})
        webhook, _ = await _measure(entry, setup, webhooks=True)
        figures |= _summary(f"{kind}_webhook", webhook)
        figures[f"{kind}_webhook_debounce_ms"] = DEBOUNCE_MS
    progress(f"{kind}: polling path ({SAMPLES} samples, inventory every {entry.poll_s}s) ...")
    setup = StoreSetup(kind, schedules={**OFF, "inventory": f"{entry.poll_s}s"})
    polling, skus = await _measure(entry, setup, webhooks=False)
    figures |= _summary(f"{kind}_poll", polling)
    figures[f"{kind}_poll_interval_s"] = entry.poll_s
    figures[f"{kind}_poll_store_skus"] = skus
    return figures


def _summary(prefix: str, latencies: list[float]) -> dict[str, float]:
    return {
        f"{prefix}_latency_p50_ms": round(statistics.median(latencies), 1),
        f"{prefix}_latency_p95_ms": round(percentile(latencies, 0.95), 1),
        f"{prefix}_latency_max_ms": round(max(latencies), 1),
        f"{prefix}_samples": len(latencies),
    }


async def _measure(
    entry: KindBench, setup: StoreSetup, *, webhooks: bool
) -> tuple[list[float], int]:
    """Latencies in milliseconds, one per sample; and the SKUs in the store."""
    filler = scaled(entry.latency_filler, least=0)
    harness = StoreHarness(
        setup, products=PUBLISHED, variants=entry.latency_variants, filler=filler
    )
    async with harness:
        await harness.store_webhooks(on=False)  # while publishing
        await harness.start_daemon()
        await harness.publish_and_activate()
        settings = load_settings(harness.config_path).shops[0]
        location, warehouse = await _where(harness, settings.rules.locations)
        plan = _Plan(
            harness,
            targets=await _targets(harness),
            location=location,
            warehouse=warehouse,
            rules=inventory_rules(settings.rules),
            streams=1 if webhooks else STREAMS,
            pause=_gap if webhooks else partial(_anywhere, entry.poll_s),
            timeout_s=max(15.0, 6.0 * entry.poll_s),
        )
        await harness.store_webhooks(on=webhooks)
        scheduler = Scheduler(harness.daemon.runner, harness.daemon.specs)
        scheduler.start(datetime.now(UTC))
        try:
            await asyncio.sleep(SETTLE_S)
            results = await asyncio.gather(*(plan.stream(n) for n in range(plan.streams)))
        finally:
            await scheduler.drain(timedelta(seconds=5))
    skus = int(harness.ready["variants"]) + int(harness.ready["filler"])
    return [latency for result in results for latency in result], skus


def _usable(sku: LinkedSku) -> bool:
    """Tracked, with a seller SKU, and no selling without stock: TikTok's quantity is the
    store's, through the shop's rules."""
    return sku.tracked and not sku.continue_selling and bool(sku.seller_sku)


async def _targets(harness: StoreHarness) -> list[LinkedSku]:
    async with harness.daemon.ledger.read() as tx:
        found = list(filter(_usable, await stock.linked_skus(tx, SHOP)))
    if len({target.tiktok_product_id for target in found}) < STREAMS:
        raise RuntimeError(f"only {len(found)} usable SKUs")
    return found


def _gap(_: random.Random) -> float:
    return GAP_S


def _anywhere(poll_s: float, rng: random.Random) -> float:
    return rng.uniform(0, poll_s)


async def _where(harness: StoreHarness, rules: Sequence[LocationRule]) -> tuple[str, str]:
    """The store's first location that a warehouse rule maps (the changes are made there),
    and that TikTok warehouse."""
    for location in (await harness.store_control("GET", "locations"))["locations"]:
        for rule in rules:
            if {"*", location["id"], location["name"]} & set(rule.locations):
                return location["id"], rule.warehouse
    raise RuntimeError("no store location is mapped to a TikTok warehouse")


@dataclass(frozen=True)
class _Plan:
    harness: StoreHarness
    targets: list[LinkedSku]
    location: str  # the store location the changes are made at
    warehouse: str  # the TikTok warehouse it feeds
    rules: InventoryRules
    streams: int
    pause: Callable[[random.Random], float]  # the wait before each change
    timeout_s: float

    async def stream(self, number: int) -> list[float]:
        """This stream's share of SAMPLES, on products of its own."""
        harness = self.harness
        products = sorted({target.tiktok_product_id for target in self.targets})
        mine = [
            t for t in self.targets if products.index(t.tiktok_product_id) % self.streams == number
        ]
        rng = random.Random(number)  # a repeatable spread of change times
        offset = await harness.tiktok_clock_offset()
        latencies = []
        for index in range(SAMPLES // self.streams):
            target = mine[index % len(mine)]
            available = 5_000 + 1_000 * number + 10 * index
            await asyncio.sleep(self.pause(rng))
            sent = time.time() + offset  # the simulators' clock: wall time plus the offset
            level = {"sku": target.seller_sku, "location": self.location, "available": available}
            await harness.store_control("POST", "stock", {"levels": [level]})
            expected = quantity_from_stock(available, self.rules)
            check = partial(arrival, harness, target, expected, sent, self.warehouse)
            received = await wait_until(check, self.timeout_s, poll_s=0.01)
            latencies.append((received - sent) * 1000)
        return latencies
