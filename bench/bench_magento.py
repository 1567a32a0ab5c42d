"""Magento 2: what polling costs on a 10,000-SKU catalog, and how soon it sees a stock change.

Magento Open Source sends no webhooks, and MSI source items carry no change time, so every
inventory cycle reads all source items and compares them with the previous read. Measured at
the connector (`MagentoClient`, the daemon's own code) against the Magento simulator in this
process, with the store's input limits on (300 items a page, the connector's page size) and
its default four pages read at once:

- a full catalog pass: 10,000 simple products, one SKU each, stocked at two MSI sources
  (wall time, REST calls, bytes received, products read);
- one inventory poll with nothing changed (20,000 source items): wall time, calls, bytes; the
  poll with one change answers exactly that level;
- detection latency by polling alone: an inventory poll every `POLL_S` seconds while stock
  changes land at random moments (three streams side by side); latency = from the change to
  the end of the poll that answers it. The inventory job's TikTok call for the change comes on
  top (one Update Inventory per changed product; see bench_latency for that leg on Shopify).

Magento has no request-rate limit, so there is no share of a limit to report; the figures are
calls and bytes per cycle. Simulator and client share one process and one event loop, so the
wall times include the simulator's own work.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import resource
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from aiohttp import web
from support import percentile, progress

from daemon.connectors.magento import MagentoClient, MagentoSettings
from daemon.domain.models import Product
from daemon.metrics import Metrics
from simulators.magento import MagentoSimulator, MagentoSimulatorConfig
from simulators.magento.store_control import MagentoStoreControl

SKUS = 10_000
POLL_S = 5.0
SAMPLES_PER_STREAM = 6
STREAMS = 3
TOKEN = "bench-magento-token"


class Meter:
    """REST calls and response bytes the simulator served."""

    def __init__(self) -> None:
        self.calls = 0
        self.bytes = 0

    async def on_prepare(self, request: web.Request, response: web.StreamResponse) -> None:
        if request.path.startswith("/rest/"):
            self.calls += 1
            body = getattr(response, "body", None)
            self.bytes += len(body) if isinstance(body, bytes) else 0

    def reset(self) -> tuple[int, int]:
        taken, self.calls, self.bytes = (self.calls, self.bytes), 0, 0
        return taken


async def main() -> dict[str, float]:
    meter = Meter()
    config = MagentoSimulatorConfig(access_token=TOKEN, locations=("Leeds", "York"))
    simulator = MagentoSimulator(config)
    simulator.app.on_response_prepare.append(meter.on_prepare)
    base_url = await simulator.start("127.0.0.1", 0)
    try:
        progress(f"generating {SKUS} products at two sources ...")
        await MagentoStoreControl(simulator.store).generate(SKUS, 1, 11)
        settings = MagentoSettings(base_url=base_url, access_token=TOKEN)
        async with MagentoClient(settings, Metrics()) as client:
            return await _measure(client, simulator, meter)
    finally:
        await simulator.stop()


async def _measure(
    client: MagentoClient, simulator: MagentoSimulator, meter: Meter
) -> dict[str, float]:
    figures: dict[str, float] = {}
    progress("full catalog pass ...")
    await client.store_info()
    meter.reset()
    started = time.perf_counter()
    products = [p async for p in client.products() if isinstance(p, Product)]
    figures["full_pass_s"] = round(time.perf_counter() - started, 2)
    calls, size = meter.reset()
    figures |= {"full_pass_products": len(products), "full_pass_calls": calls}
    figures["full_pass_mb"] = round(size / 1e6, 2)

    progress("inventory polls ...")
    await client.stock_changes(None)
    await asyncio.sleep(1.5)  # the first read stamps every level: poll after it
    meter.reset()
    started = time.perf_counter()
    unchanged = await client.stock_changes(datetime.now(UTC) - timedelta(seconds=1))
    figures["poll_unchanged_s"] = round(time.perf_counter() - started, 2)
    calls, size = meter.reset()
    figures |= {"poll_unchanged_levels_answered": len(unchanged), "poll_calls": calls}
    figures["poll_kb"] = round(size / 1e3, 1)

    latencies = await _latencies(client, simulator)
    figures["poll_interval_s"] = POLL_S
    figures["detect_samples"] = len(latencies)
    figures["detect_p50_s"] = round(percentile(latencies, 0.5), 2)
    figures["detect_p95_s"] = round(percentile(latencies, 0.95), 2)
    figures["peak_rss_mb_sim_and_client"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    return figures


async def _latencies(client: MagentoClient, simulator: MagentoSimulator) -> list[float]:
    """Changes at random moments, found by a poll every POLL_S seconds."""
    progress(f"polling every {POLL_S:.0f} s, {STREAMS * SAMPLES_PER_STREAM} changes ...")
    pending: dict[tuple[str, int], float] = {}
    found: list[float] = []
    rng = random.Random(14)
    skus = [p.sku for p in simulator.store.products.values()]
    stop = asyncio.Event()
    answered = asyncio.Event()

    async def poll() -> None:
        since = datetime.now(UTC)
        while not stop.is_set():
            cycle = time.perf_counter()
            started = datetime.now(UTC)
            for level in await client.stock_changes(since - timedelta(seconds=1)):
                changed_at = pending.pop((level.stock_key, level.available), None)
                if changed_at is not None:
                    found.append(time.perf_counter() - changed_at)
            if not pending and done.is_set():
                answered.set()
            since = started
            await asyncio.sleep(max(0.0, POLL_S - (time.perf_counter() - cycle)))

    async def stream(number: int) -> None:
        for sample in range(SAMPLES_PER_STREAM):
            await asyncio.sleep(rng.uniform(0.5, POLL_S * 1.5))
            sku = skus[rng.randrange(len(skus))]
            available = 1000 + number * 100 + sample
            pending[sku, available] = time.perf_counter()
            simulator.store.set_quantity(sku, "leeds", Decimal(available))

    done = asyncio.Event()
    poller = asyncio.create_task(poll())
    await asyncio.gather(*(stream(n) for n in range(STREAMS)))
    done.set()
    with contextlib.suppress(TimeoutError):  # what is still pending is reported below
        await asyncio.wait_for(answered.wait(), timeout=3 * POLL_S)
    stop.set()
    await poller
    if pending:
        raise RuntimeError(f"{len(pending)} stock changes were never answered")
    return found
