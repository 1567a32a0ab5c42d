"""commercetools: what polling costs on a 10,000-SKU project, and how soon it sees a stock
change.

commercetools sends no HTTP webhooks (Subscriptions deliver to cloud queues), so polling is the
path; inventory entries carry ``lastModifiedAt``, so an inventory poll asks only for the
entries changed since the last one. Measured at the connector (`CommercetoolsClient`, the
daemon's own code) against the simulator in this process:

- a full catalog pass: 10,000 products, one SKU each, stocked at two supply channels (wall
  time, calls, bytes received, products read);
- one inventory poll with nothing changed: wall time, calls;
- detection latency by polling alone: an inventory poll every `POLL_S` seconds while stock
  changes land at random moments (three streams side by side); latency = from the change to
  the end of the poll that answers it. The inventory job's TikTok call comes on top (one Update
  Inventory per changed product; see bench_latency for that leg on Shopify).

No general request-rate limit is published, so there is no share of a limit to report.
Simulator and client share one process and one event loop, so the wall times include the
simulator's own work.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import resource
import time
from datetime import UTC, datetime, timedelta

from aiohttp import web
from support import percentile, progress

from daemon.connectors.commercetools import CommercetoolsClient, CommercetoolsSettings
from daemon.domain.models import Product
from daemon.metrics import Metrics
from simulators.commercetools import CommercetoolsSimulator, CommercetoolsSimulatorConfig
from simulators.commercetools.store_control import CommercetoolsStoreControl

SKUS = 10_000
POLL_S = 5.0
SAMPLES_PER_STREAM = 6
STREAMS = 3
SECRET = "bench-ct-secret"


class Meter:
    """API calls and response bytes the simulator served."""

    def __init__(self) -> None:
        self.calls = 0
        self.bytes = 0

    async def on_prepare(self, request: web.Request, response: web.StreamResponse) -> None:
        if not request.path.startswith("/_sim/"):
            self.calls += 1
            body = getattr(response, "body", None)
            self.bytes += len(body) if isinstance(body, bytes) else 0

    def reset(self) -> tuple[int, int]:
        taken, self.calls, self.bytes = (self.calls, self.bytes), 0, 0
        return taken


async def main() -> dict[str, float]:
    meter = Meter()
    config = CommercetoolsSimulatorConfig(client_secret=SECRET, locations=("Leeds", "York"))
    simulator = CommercetoolsSimulator(config)
    simulator.app.on_response_prepare.append(meter.on_prepare)
    base_url = await simulator.start("127.0.0.1", 0)
    try:
        progress(f"generating {SKUS} products at two supply channels ...")
        await CommercetoolsStoreControl(simulator.project).generate(SKUS, 1, 11)
        settings = CommercetoolsSettings(
            project_key=config.project_key,
            api_url=base_url,
            auth_url=base_url,
            client_id=config.client_id,
            client_secret=SECRET,
            price_currency="GBP",
            price_country="GB",
        )
        async with CommercetoolsClient(settings, Metrics()) as client:
            return await _measure(client, simulator, meter)
    finally:
        await simulator.stop()


async def _measure(
    client: CommercetoolsClient, simulator: CommercetoolsSimulator, meter: Meter
) -> dict[str, float]:
    figures: dict[str, float] = {}
    progress("full catalog pass ...")
    await client.store_info()
    meter.reset()
    started = time.perf_counter()
    products = [p async for p in client.products() if isinstance(p, Product)]
    figures["ct_full_pass_s"] = round(time.perf_counter() - started, 2)
    calls, size = meter.reset()
    figures |= {"ct_full_pass_products": len(products), "ct_full_pass_calls": calls}
    figures["ct_full_pass_mb"] = round(size / 1e6, 2)

    progress("inventory polls ...")
    meter.reset()
    started = time.perf_counter()
    unchanged = await client.stock_changes(datetime.now(UTC) + timedelta(seconds=1))
    figures["ct_poll_unchanged_s"] = round(time.perf_counter() - started, 3)
    calls, _ = meter.reset()
    figures |= {"ct_poll_unchanged_levels": len(unchanged), "ct_poll_calls": calls}

    latencies = await _latencies(client, simulator)
    figures["ct_poll_interval_s"] = POLL_S
    figures["ct_detect_samples"] = len(latencies)
    figures["ct_detect_p50_s"] = round(percentile(latencies, 0.5), 2)
    figures["ct_detect_p95_s"] = round(percentile(latencies, 0.95), 2)
    figures["ct_peak_rss_mb_sim_and_client"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    return figures


async def _latencies(client: CommercetoolsClient, simulator: CommercetoolsSimulator) -> list[float]:
    """Changes at random moments, found by a poll every POLL_S seconds."""
    progress(f"polling every {POLL_S:.0f} s, {STREAMS * SAMPLES_PER_STREAM} changes ...")
    project = simulator.project
    pending: dict[tuple[str, int], float] = {}
    found: list[float] = []
    rng = random.Random(14)
    skus = [v.sku for p in project.products.values() for v in p.variants if v.sku]
    leeds = next(c.id for c in project.channels.values() if c.key == "leeds")
    stop = asyncio.Event()
    answered = asyncio.Event()
    done = asyncio.Event()

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
            project.set_quantity(sku, leeds, available)

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
