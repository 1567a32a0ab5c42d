"""Exactly once under SIGKILL, for every store kind: the daemon is killed at random moments
while it imports a stream of TikTok orders, restarted each time, and in the end every TikTok
order exists exactly once in the store, with nothing lost.

The simulators run in this process; the store is read through the neutral store controls, so
the same test runs for every registered kind. The daemon runs as `ttsync run`, exactly as under
systemd. Each kill lands a random 0-250 ms after the daemon
was seen creating store orders, so kills fall before, during and after store creates, ledger
commits and the external-reference write-back.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest

from daemon.connectors.registry import STORE_KINDS
from daemon.settings import load_settings
from daemon.simulate import RunningSimulators, start_simulators
from simulators.tiktok.model import OrderStatus
from simulators.tiktok.order_flow import OrderRequest, place_order
from tests.support.daemon_process import ForkServer, alive, start_daemon
from tests.support.orders import link_products, neutral_store_orders, order_config
from tests.support.stores import fixtures_of

KILLS = 60
FIRST_ORDERS = 60
ORDERS_PER_ROUND = 6
SKUS = ("CRASH-1", "CRASH-2", "CRASH-3", "CRASH-4")

pytestmark = pytest.mark.timeout(300)


SCHEDULES = """
[shops.schedules]
catalog = "off"
inventory = "off"
price = "off"
orders = "1s"
fulfillment = "off"
cancellations = "off"
"""


@pytest.fixture(params=sorted(STORE_KINDS))
def config(write_config, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The daemon process's config: only the order import runs, every second."""
    kind = request.param
    return order_config(
        write_config,
        tmp_path,
        kind=kind,
        store='request_timeout = "1s"\n' + fixtures_of(kind).FAST_SETTINGS,
        top='[retry]\nbase_delay = "1s"\nmax_delay = "2s"\nmax_attempts = 50\n',
        shop=SCHEDULES,
    )


def setup_config(config: Path) -> Path:
    """The same shop with every job, for publishing the products first."""
    setup = config.with_name("setup.toml")
    setup.write_text(config.read_text().replace(SCHEDULES, ""), encoding="utf-8")
    return setup


@pytest.fixture
async def simulators(config: Path) -> AsyncIterator[RunningSimulators]:
    running = await start_simulators(load_settings(config), str(config))
    try:
        yield running
    finally:
        await running.stop()


def place_orders(simulators: RunningSimulators, skus: list[str], count: int) -> None:
    """Buyers' orders, past the hold: 1 to 3 SKUs, 1 to 2 units each."""
    (simulator,) = simulators.tiktok.values()
    (shop,) = simulator.state.shops.values()
    for _ in range(count):
        chosen = random.sample(skus, random.randint(1, 3))
        items = tuple((sku, random.randint(1, 2)) for sku in chosen)
        place_order(
            simulator.state,
            shop,
            OrderRequest(
                items=items, status=OrderStatus.AWAITING_SHIPMENT, shipping_fee=Decimal(1)
            ),
        )


class Store:
    """The store's orders as the neutral controls list them."""

    def __init__(self, simulators: RunningSimulators, session: aiohttp.ClientSession) -> None:
        (self.running,) = simulators.stores.values()
        self.session = session

    async def orders(self) -> dict[str, list[dict[str, object]]]:
        return await neutral_store_orders(self.running, self.session)

    async def created(self) -> int:
        return sum(len(copies) for copies in (await self.orders()).values())


async def kill_while_importing(
    server: ForkServer,
    config: Path,
    store: Store,
    log: Path,
    rng: random.Random,
) -> bool:
    """Start the daemon, wait until it creates store orders, SIGKILL it a moment later.
    False when it created nothing within the wait."""
    before = await store.created()
    pid = await server.run_daemon(config, log)
    deadline = time.monotonic() + 15
    busy = False
    while time.monotonic() < deadline and alive(pid):
        if await store.created() > before:
            busy = True
            break
        await asyncio.sleep(0.005)
    await asyncio.sleep(rng.uniform(0, 0.25))
    os.kill(pid, signal.SIGKILL)
    while alive(pid):
        await asyncio.sleep(0.01)
    return busy


def ledger_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        phases = dict(db.execute("SELECT phase, count(*) FROM orders GROUP BY phase").fetchall())
        counts = [json.loads(row[0]) for row in db.execute("SELECT counts FROM job_runs")]
    adopted = sum(int(c.get("orders_adopted", 0)) for c in counts)
    return {**phases, "adopted": adopted}


async def test_sigkill_during_imports_never_duplicates_or_loses(
    config: Path, simulators: RunningSimulators, tmp_path: Path
) -> None:
    rng = random.Random(5)
    random.seed(5)
    settings = load_settings(config)
    platform = STORE_KINDS[settings.shops[0].store.kind].order_platform
    linked = await link_products(setup_config(config), simulators, SKUS, stock=5000)
    skus = [linked[sku] for sku in SKUS]
    place_orders(simulators, skus, FIRST_ORDERS)
    log = tmp_path / "daemon.log"
    kills = busy = 0
    server = await ForkServer.start()
    session = aiohttp.ClientSession()
    store = Store(simulators, session)
    try:
        for _ in range(KILLS):
            busy += await kill_while_importing(server, config, store, log, rng)
            kills += 1
            place_orders(simulators, skus, ORDERS_PER_ROUND)
    finally:
        await server.stop()

    (simulator,) = simulators.tiktok.values()
    placed = set(simulator.state.orders)
    final = await start_daemon(config, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = ledger_counts(tmp_path / "ledger.sqlite3").get("imported", 0)
        if done == len(placed):
            break
        await asyncio.sleep(0.2)
    final.send_signal(signal.SIGTERM)
    await asyncio.wait_for(final.wait(), 20)

    found = await store.orders()
    created = await store.created()
    await session.close()
    duplicates = {order_id: len(copies) for order_id, copies in found.items() if len(copies) > 1}
    lost = placed - set(found)
    counts = ledger_counts(tmp_path / "ledger.sqlite3")
    sys.stdout.write(
        f"\nkills={kills} (during imports: {busy}) orders={len(placed)} "
        f"store_orders={created} duplicates={len(duplicates)} lost={len(lost)} "
        f"ledger={counts}\n"
    )
    assert kills >= 50
    assert busy >= 50
    assert duplicates == {}
    assert lost == set()
    assert created == len(placed)  # nothing in the store that TikTok never sold
    assert counts.get("imported") == len(placed)
    assert counts["adopted"] >= 1  # some kills fell between the store's create and our commit
    for order_id in placed:
        reference = simulator.state.orders[order_id].external_orders[platform]
        (copy,) = found[order_id]
        assert reference["id"] == copy["id"]
