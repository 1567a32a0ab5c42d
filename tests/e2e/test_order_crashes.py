"""Exactly once under SIGKILL: the daemon is killed at random moments while it imports a stream
of TikTok orders, restarted each time, and in the end every TikTok order exists exactly once in
the store, with nothing lost.

The simulators run in this process (so the test reads their state directly); the daemon runs
as `ttsync run`, exactly as under systemd. Each kill lands a random 0-250 ms after the daemon
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
from contextlib import AsyncExitStack
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest

from daemon.runtime import build
from daemon.settings import load_settings
from daemon.simulate import RunningSimulators, start_simulators
from daemon.simulators.tiktok.model import OrderStatus
from daemon.simulators.tiktok.order_flow import OrderRequest, place_order
from tests.support.orders import order_config, publish, store_orders
from tests.support.world import World

ROOT = Path(__file__).parents[2]
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


@pytest.fixture
def config(write_config, tmp_path: Path) -> Path:
    """The daemon process's config: only the order import runs, every second."""
    return order_config(
        write_config,
        tmp_path,
        store='request_timeout = "1s"\nleak_rate = 1000\n',
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


async def link_products(config: Path, simulators: RunningSimulators) -> list[str]:
    """Publish the products through an in-process daemon (catalog and inventory jobs), which
    leaves them linked in the ledger file the daemon process will use. TikTok SKU ids."""
    async with AsyncExitStack() as stack, aiohttp.ClientSession() as session:
        daemon = await build(load_settings(setup_config(config)), stack)
        world = World(daemon, simulators, session)
        assert (await world.run("connect")).value == "ok"
        linked = await publish(world, *SKUS, stock=5000)
        await world.shopify("POST", "bucket", {"leak_rate": 1000})
    return [linked[sku] for sku in SKUS]


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


def created(simulators: RunningSimulators) -> int:
    return len(simulators.shopify["uk"].shop.state.orders)


async def start_daemon(config: Path, log: Path) -> asyncio.subprocess.Process:
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "daemon",
            "run",
            "--config",
            str(config),
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=sink,
            stderr=sink,
        )


async def kill_while_importing(
    config: Path, simulators: RunningSimulators, log: Path, rng: random.Random
) -> bool:
    """Start the daemon, wait until it creates store orders, SIGKILL it a moment later.
    False when it found nothing to do within the wait (all imported)."""
    before = created(simulators)
    process = await start_daemon(config, log)
    deadline = time.monotonic() + 15
    busy = False
    while time.monotonic() < deadline and process.returncode is None:
        if created(simulators) > before:
            busy = True
            break
        await asyncio.sleep(0.005)
    await asyncio.sleep(rng.uniform(0, 0.25))
    process.send_signal(signal.SIGKILL)
    await process.wait()
    assert process.returncode == -signal.SIGKILL, log.read_text()[-3000:]
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
    skus = await link_products(config, simulators)
    place_orders(simulators, skus, FIRST_ORDERS)
    log = tmp_path / "daemon.log"
    kills = busy = 0
    for _ in range(KILLS):
        busy += await kill_while_importing(config, simulators, log, rng)
        kills += 1
        place_orders(simulators, skus, ORDERS_PER_ROUND)

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

    found = store_orders(simulators)
    duplicates = {order_id: len(copies) for order_id, copies in found.items() if len(copies) > 1}
    lost = placed - set(found)
    counts = ledger_counts(tmp_path / "ledger.sqlite3")
    print(
        f"\nkills={kills} (during imports: {busy}) orders={len(placed)} "
        f"store_orders={created(simulators)} duplicates={len(duplicates)} lost={len(lost)} "
        f"ledger={counts}"
    )
    assert kills >= 50
    assert busy >= 50
    assert duplicates == {}
    assert lost == set()
    assert created(simulators) == len(placed)  # nothing in the store that TikTok never sold
    assert counts.get("imported") == len(placed)
    for order_id in placed:
        reference = simulator.state.orders[order_id].external_orders["SHOPIFY"]
        (copy,) = found[order_id]
        assert reference["id"] == str(copy.id)
