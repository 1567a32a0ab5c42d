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
import re
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import store_latency
from support import Harness, Setup, percentile, progress

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


async def main() -> dict[str, float]:
    progress(f"{FILLER + PUBLISHED} SKUs, {PUBLISHED} published; inventory every {POLL_S}s ...")
    setup = MagentoSetup(webhooks=False, schedules={"inventory": f"{POLL_S}s"})
    async with MagentoHarness(setup) as harness:
        await harness.start_daemon()
        published = await harness.publish_and_activate()
        progress(f"published: {published}")
        found = await store_latency.targets(harness, STREAMS)
        scheduler = Scheduler(harness.daemon.runner, harness.daemon.specs)
        scheduler.start(datetime.now(UTC))
        try:
            await asyncio.sleep(SETTLE_S)
            assert harness.running is not None
            (store,) = harness.running.stores.values()
            plan = store_latency.Plan(
                store.control_url, SOURCE, POLL_S, SAMPLES, STREAMS, SAMPLE_TIMEOUT_S
            )
            latencies = await store_latency.samples(harness, found, plan)
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
