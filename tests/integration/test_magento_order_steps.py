"""The order import job on a Magento store whose steps after the save fail: the order stays in
the retry queue with the reason, is not adopted half-done, and the next attempt finishes it
(one order, one invoice, the stock taken once)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from daemon.domain import OrderPhase, RunOutcome
from daemon.ledger import orders, retry
from tests.support.orders import neutral_store_orders, order_config, place, publish_neutral
from tests.support.world import World, open_world


@pytest.fixture
def config(write_config, tmp_path) -> Path:
    return order_config(
        write_config,
        tmp_path,
        kind="magento",
        store='request_timeout = "1s"\n',  # a create left unconfirmed settles for 3 s
        top='[retry]\nbase_delay = "1s"\nmax_delay = "2s"\nmax_attempts = 3\n',
        shop='[shops.schedules]\norders = "1h"\n',
    )


@pytest.fixture
async def world(config) -> AsyncIterator[World]:
    async with open_world(config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


async def _store_sim(world: World, method: str, path: str, body: object = None) -> Any:
    (store,) = world.simulators.stores.values()
    return await world._call(method, f"{store.base_url}/_sim/{path}", body, {})


async def test_a_failed_invoice_is_retried_and_finished_never_duplicated(world: World) -> None:
    skus = await publish_neutral(world, "STEP-1", stock=5)
    placed = await place(world, {skus["STEP-1"]: 2})
    fault = {"endpoint": "orders.invoice", "kind": "error", "status": 503, "times": 2}
    await _store_sim(world, "POST", "faults", {"queue": [fault]})

    assert await world.run("orders") is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        record = await orders.get_order(tx, placed["id"])
        (entry,) = await retry.list_entries(tx)
    assert record is not None
    assert record.phase is OrderPhase.CREATING
    assert entry.entity_id == placed["id"]
    assert "invoice failed" in entry.last_error
    assert "503" in entry.last_error

    assert await world.run("orders", frozenset({placed["id"]})) is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        record = await orders.get_order(tx, placed["id"])
    assert record is not None
    assert record.phase is OrderPhase.CREATING  # settling: neither found nor created again
    await asyncio.sleep(3.2)
    async with world.daemon.ledger.transaction() as tx:
        await retry.requeue(tx, None, datetime.now(UTC))  # due now, as `ttsync retry --all`
    assert await world.run("orders") is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        record = await orders.get_order(tx, placed["id"])
        left = await retry.list_entries(tx)
    assert record is not None
    assert record.phase is OrderPhase.IMPORTED
    assert left == []

    found = await neutral_store_orders(*world.simulators.stores.values(), world.session)
    assert len(found[placed["id"]]) == 1
    calls = await _store_sim(world, "GET", "calls")
    invoices = [c["status"] for c in calls["calls"] if c["endpoint"] == "orders.invoice"]
    assert invoices == [503, 503, 200]
    moves = [c for c in calls["calls"] if c["endpoint"] == "source_items.save"]
    assert len(moves) == 1  # the stock taken once, on the attempt that finished it
