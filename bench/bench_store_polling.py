"""What polling costs at the connector on a 10,000-SKU store, and how soon a poll sees a stock
change, for the kinds in `store_kinds.KINDS` that send no webhooks (the registry's
capabilities say so: Magento, commercetools), where polling is the only path.

Measured at the connector (the kind's catalog side as the daemon opens it, from its demo
config) against its simulator in this process, behind a loopback relay that counts the bytes
the store answers (HTTP headers included). The store generates 10,000 products of one SKU
each through its neutral control API, stocked at both of the config's locations.

- a full catalog pass: wall time, calls, megabytes received, products read;
- one inventory poll with nothing changed since the previous one: wall time, levels answered
  (expected 0), calls, kilobytes. Magento's source items carry no change time, so its poll
  reads them all and compares them with its previous read; commercetools' inventory entries
  carry ``lastModifiedAt``, so its poll asks only for the entries changed since;
- detection latency by polling alone: an inventory poll every `POLL_S` seconds while stock
  changes (neutral store control, as a merchant's save) land at random moments, three streams
  side by side; latency = from the change to the end of the poll that answers it. The
  inventory job's TikTok call comes on top (see `bench_store_latency.py` for the whole path).

Neither store publishes a request-rate limit, so there is no share of a limit to report.
Simulator and client share one process and one event loop, so the wall times include the
simulator's own work; the peak RSS is this process's so far (`bench/run.py` runs every
benchmark in one process).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import resource
import tempfile
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from store_harness import StoreSetup
from store_kinds import KINDS, scaled
from support import free_port, percentile, progress

from daemon.connectors.base import SourceStore
from daemon.connectors.registry import store_kind
from daemon.connectors.store_kind import StoreContext
from daemon.domain.models import Product
from daemon.ledger import Ledger
from daemon.metrics import Metrics
from daemon.runtime.feed_state import LedgerFeedState
from daemon.settings import load_settings
from daemon.simulate import start_simulators

SKUS = scaled(10_000)
POLL_S = 5.0
SAMPLES_PER_STREAM = 6
STREAMS = 3
POLLED = [
    entry.kind for entry in KINDS.values() if not store_kind(entry.kind).capabilities.webhooks
]


class Relay:
    """A loopback TCP relay to the store simulator that counts the bytes it answers."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.answered = 0

    async def serve(self, port: int, stack: AsyncExitStack) -> None:
        server = await asyncio.start_server(self._connection, "127.0.0.1", port)
        stack.push_async_callback(server.wait_closed)
        stack.callback(server.close)

    def reset(self) -> int:
        taken, self.answered = self.answered, 0
        return taken

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self.target_port
        )
        await asyncio.gather(
            self._pipe(reader, upstream_writer, counted=False),
            self._pipe(upstream_reader, writer, counted=True),
        )

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, counted: bool
    ) -> None:
        try:
            while data := await reader.read(1 << 16):
                if counted:
                    self.answered += len(data)
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass  # the other side went away: close ours too
        finally:
            writer.close()


async def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    for kind in POLLED:
        figures |= await _kind(kind)
    return figures


async def _kind(kind: str) -> dict[str, float]:
    async with AsyncExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ttsync-")))
        ports = {"http": free_port(), "shopify": free_port(), "tiktok": free_port()}
        simulated = directory / "simulated.toml"
        simulated.write_text(StoreSetup(kind).config(directory, ports))
        running = await start_simulators(load_settings(simulated), str(simulated))
        stack.push_async_callback(running.stop)
        (store,) = running.stores.values()
        session = await stack.enter_async_context(
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600))
        )
        progress(f"{kind}: generating {SKUS} products of one SKU ...")
        made = await _control(
            session, "POST", f"{store.control_url}/generate", {"products": SKUS, "seed": 11}
        )
        relay = Relay(ports["shopify"])
        relayed = {**ports, "shopify": free_port()}
        await relay.serve(relayed["shopify"], stack)
        through = directory / "relayed.toml"
        through.write_text(StoreSetup(kind).config(directory, relayed))
        shop = load_settings(through).shops[0]
        ledger = await Ledger.open(directory / "ledger.sqlite3")
        stack.push_async_callback(ledger.close)
        context = StoreContext(shop.name, Metrics(), LedgerFeedState(ledger, shop.name))
        connection = await store_kind(kind).open(shop.store, context, stack)
        meter = _Meter(session, store.base_url, relay)
        figures = await _measure(connection.catalog, meter)
        location = (await _control(session, "GET", f"{store.control_url}/locations"))["locations"][
            0
        ]
        variants = [v for product in made["products"] for v in product["variants"]]
        changes = _Changes(session, store.control_url, location["id"], variants)
        latencies = await changes.detect(connection.catalog)
    return {
        **{f"{kind}_{name}": value for name, value in figures.items()},
        f"{kind}_poll_interval_s": POLL_S,
        f"{kind}_detect_samples": len(latencies),
        f"{kind}_detect_p50_s": round(percentile(latencies, 0.5), 2),
        f"{kind}_detect_p95_s": round(percentile(latencies, 0.95), 2),
        f"{kind}_peak_rss_mb_sim_and_client": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }


async def _control(session: aiohttp.ClientSession, method: str, url: str, body: Any = None) -> Any:
    async with session.request(method, url, json=body) as answer:
        payload = await answer.json()
        if answer.status != 200:  # noqa: PLR2004 HTTP OK
            raise RuntimeError(f"{method} {url}: {answer.status} {payload}")
        return payload


class _Meter:
    """The store calls (the simulator's call log) and bytes (the relay) since the last reset."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, relay: Relay) -> None:
        self.session = session
        self.calls_url = f"{base_url}/_sim/calls"
        self.relay = relay

    async def reset(self) -> tuple[int, int]:
        calls = len((await _control(self.session, "GET", self.calls_url))["calls"])
        await _control(self.session, "DELETE", self.calls_url)
        return calls, self.relay.reset()


async def _measure(catalog: SourceStore, meter: _Meter) -> dict[str, float]:
    figures: dict[str, float] = {}
    progress("full catalog pass ...")
    await catalog.store_info()
    await meter.reset()
    started = time.perf_counter()
    products = [p async for p in catalog.products() if isinstance(p, Product)]
    figures["full_pass_s"] = round(time.perf_counter() - started, 2)
    calls, size = await meter.reset()
    figures |= {"full_pass_products": len(products), "full_pass_calls": calls}
    figures["full_pass_mb"] = round(size / 1e6, 2)

    progress("inventory polls ...")
    await catalog.stock_changes(None)  # a store without change times keeps this read
    await asyncio.sleep(1.5)  # the poll below asks from a second ago: after that read
    await meter.reset()
    started = time.perf_counter()
    unchanged = await catalog.stock_changes(datetime.now(UTC) - timedelta(seconds=1))
    figures["poll_unchanged_s"] = round(time.perf_counter() - started, 3)
    calls, size = await meter.reset()
    figures |= {"poll_unchanged_levels": len(unchanged), "poll_calls": calls}
    figures["poll_kb"] = round(size / 1e3, 1)
    return figures


class _Changes:
    """Stock changes at random moments through the neutral store control, found by a poll
    every POLL_S seconds."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        control_url: str,
        location: str,
        variants: list[dict[str, Any]],
    ) -> None:
        self.session = session
        self.control_url = control_url
        self.location = location
        self.variants = variants
        self.pending: dict[tuple[str, int], float] = {}
        self.found: list[float] = []

    async def detect(self, catalog: SourceStore) -> list[float]:
        progress(f"polling every {POLL_S:.0f} s, {STREAMS * SAMPLES_PER_STREAM} changes ...")
        done, answered, stop = asyncio.Event(), asyncio.Event(), asyncio.Event()
        poller = asyncio.create_task(self._poll(catalog, done, answered, stop))
        rng = random.Random(14)
        await asyncio.gather(*(self._stream(number, rng) for number in range(STREAMS)))
        done.set()
        with contextlib.suppress(TimeoutError):  # what is still pending is reported below
            await asyncio.wait_for(answered.wait(), timeout=3 * POLL_S)
        stop.set()
        await poller
        if self.pending:
            raise RuntimeError(f"{len(self.pending)} stock changes were never answered")
        return self.found

    async def _poll(
        self,
        catalog: SourceStore,
        done: asyncio.Event,
        answered: asyncio.Event,
        stop: asyncio.Event,
    ) -> None:
        since = datetime.now(UTC)
        while not stop.is_set():
            cycle = time.perf_counter()
            started = datetime.now(UTC)
            for level in await catalog.stock_changes(since - timedelta(seconds=1)):
                changed_at = self.pending.pop((level.stock_key, level.available), None)
                if changed_at is not None:
                    self.found.append(time.perf_counter() - changed_at)
            if not self.pending and done.is_set():
                answered.set()
            since = started
            await asyncio.sleep(max(0.0, POLL_S - (time.perf_counter() - cycle)))

    async def _stream(self, number: int, rng: random.Random) -> None:
        for sample in range(SAMPLES_PER_STREAM):
            await asyncio.sleep(rng.uniform(0.5, POLL_S * 1.5))
            variant = self.variants[rng.randrange(len(self.variants))]
            available = 1000 + number * 100 + sample
            self.pending[variant["stock_key"], available] = time.perf_counter()
            level = {"sku": variant["sku"], "location": self.location, "available": available}
            await _control(self.session, "POST", f"{self.control_url}/stock", {"levels": [level]})
