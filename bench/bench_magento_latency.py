"""Magento 2, end to end: a stock change until TikTok receives it, by polling alone, with a
10,000-SKU store.

Magento Open Source sends no webhooks, so polling is the only path. The daemon runs in this
process with its scheduler over all its jobs; the Magento and TikTok simulators are started by
`ttsync simulate`'s own `start_simulators`, in this process too. The store holds `FILLER`
products nobody maps to a TikTok category (they stay Unmapped, yet every inventory poll reads
their source items, 10,000 SKUs in all) and `PUBLISHED` products published and Active on
TikTok. The inventory job runs every `POLL_S` seconds; three streams of changes, on separate
products, each after a random pause so that it lands anywhere in the poll cycle, set one SKU's
quantity at the one MSI source (through the neutral store control, as a merchant's admin save);
latency = the Update Inventory call's arrival at the TikTok simulator minus the moment just
before the change, both on the same clock, checked against the quantity TikTok then holds.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from support import SHOP, WAREHOUSE_ID, Harness, Setup, percentile, progress, wait_until

from daemon.ledger import stock
from daemon.runtime.scheduler import Scheduler
from daemon.settings import load_settings
from daemon.simulate import RunningSimulators, start_simulators
from simulators.kit import ProductSpec
from simulators.magento import RunningMagento
from simulators.magento.store_control import MagentoStoreControl

FILLER = 9_976
PUBLISHED = 24
POLL_S = 10
SAMPLES = 30
STREAMS = 3
SETTLE_S = 3.0
SAMPLE_TIMEOUT_S = 60.0
SOURCE = "main_warehouse"  # the MSI source the config's location rule names ("Main warehouse")
_STORE = re.compile(r"\[shops\.store\].*?(?=\[shops\.tiktok\])", re.DOTALL)


@dataclass(frozen=True)
class MagentoSetup(Setup):
    def config(self, directory: Path, ports: dict[str, int]) -> str:
        store = f"""[shops.store]
kind = "magento"
base_url = "http://127.0.0.1:{ports["shopify"]}"
access_token = "magento-bench-token"

"""
        return _STORE.sub(store, super().config(directory, ports), count=1)


class MagentoHarness(Harness):
    """The bench harness with a Magento store, its simulators in this process."""

    running: RunningSimulators | None = None

    async def _start_simulators(self) -> None:
        self.running = await start_simulators(
            load_settings(self.config_path), str(self.config_path)
        )
        (store,) = self.running.stores.values()
        assert isinstance(store, RunningMagento)
        control = MagentoStoreControl(store.simulator.store)
        await control.generate(PUBLISHED, 1, 3)
        filler = ProductSpec.model_validate(
            {"title": "Notebook", "category": "Notebook", "variants": [{"sku": "X", "price": "1"}]}
        )
        await control.create_products(
            [
                filler.model_copy(
                    update={"variants": [filler.variants[0].model_copy(update={"sku": f"NB-{n}"})]}
                )
                for n in range(FILLER)
            ]
        )
        for n in range(FILLER):
            store.simulator.store.set_quantity(f"NB-{n}", SOURCE, Decimal(n % 50))

    async def _stop_simulators(self) -> None:
        if self.running is not None:
            running, self.running = self.running, None
            await running.stop()


@dataclass(frozen=True)
class Target:
    sku: str
    tiktok_product_id: str
    tiktok_sku_id: str


async def main() -> dict[str, float]:
    progress(f"{FILLER + PUBLISHED} SKUs, {PUBLISHED} published; inventory every {POLL_S}s ...")
    setup = MagentoSetup(webhooks=False, schedules={"inventory": f"{POLL_S}s"})
    async with MagentoHarness(setup) as harness:
        await harness.start_daemon()
        published = await harness.publish_and_activate()
        progress(f"published: {published}")
        targets = await _targets(harness)
        scheduler = Scheduler(harness.daemon.runner, harness.daemon.specs)
        scheduler.start(datetime.now(UTC))
        try:
            await asyncio.sleep(SETTLE_S)
            latencies = await _samples(harness, targets)
        finally:
            await scheduler.drain(timedelta(seconds=5))
    return {
        "store_skus": FILLER + PUBLISHED,
        "poll_interval_s": POLL_S,
        "poll_latency_p50_s": round(statistics.median(latencies), 2),
        "poll_latency_p95_s": round(percentile(latencies, 0.95), 2),
        "poll_latency_max_s": round(max(latencies), 2),
        "poll_samples": len(latencies),
    }


async def _targets(harness: Harness) -> list[Target]:
    async with harness.daemon.ledger.read() as tx:
        linked = await stock.linked_skus(tx, SHOP)
    targets = [
        Target(sku.stock_key, sku.tiktok_product_id, sku.tiktok_sku_id)
        for sku in linked
        if sku.tracked and not sku.continue_selling and sku.stock_key
    ]
    if len(targets) < STREAMS:
        raise RuntimeError(f"only {len(targets)} published SKUs")
    return targets


async def _samples(harness: Harness, targets: list[Target]) -> list[float]:
    offset = await harness.tiktok_clock_offset()
    assert isinstance(harness, MagentoHarness)
    assert harness.running is not None
    (store,) = harness.running.stores.values()

    async def stream(number: int) -> list[float]:
        rng = random.Random(number)
        mine = [t for n, t in enumerate(targets) if n % STREAMS == number]
        latencies = []
        for index in range(SAMPLES // STREAMS):
            target = mine[index % len(mine)]
            quantity = 5_000 + 1_000 * number + index
            await asyncio.sleep(rng.uniform(0, POLL_S))
            sent = time.time() + offset
            level = {"sku": target.sku, "location": SOURCE, "available": quantity}
            await harness._control("POST", f"{store.control_url}/stock", {"levels": [level]}, {})  # noqa: SLF001 the harness's one JSON caller
            arrival = partial(_arrival, harness, target, quantity, sent)
            received = await wait_until(arrival, SAMPLE_TIMEOUT_S, poll_s=0.05)
            latencies.append(received - sent)
        return latencies

    results = await asyncio.gather(*(stream(n) for n in range(STREAMS)))
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
