"""Returns after delivery against both simulators: the cancellation job records TikTok's
returns (scheduled by its own cursor, or targeted by webhook 12's order id), `ttsync orders`
shows them per order, an unreadable return fails alone, and the Shopify order is untouched."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from daemon.domain import EntityOutcome, RunOutcome
from daemon.ledger import cursors, returns, runs
from daemon.runtime.order_report import orders_report
from tests.support.orders import order_config, place, publish, store_orders
from tests.support.world import World, open_world

STORE_WRITES = {
    "graphql.orderUpdate",
    "graphql.orderCancel",
    "graphql.fulfillmentCreate",
    "graphql.orderCreate",
}


@pytest.fixture
async def world(write_config, tmp_path: Path) -> AsyncIterator[World]:
    async with open_world(order_config(write_config, tmp_path)) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        await opened.shopify("POST", "bucket", {"leak_rate": 1000})
        yield opened


async def delivered(world: World, sku: str, units: int) -> str:
    """A TikTok order imported into the store, then delivered (its status mirrored)."""
    skus = await publish(world, sku)
    placed = await place(world, {skus[sku]: units})
    assert await world.run("orders") is RunOutcome.OK
    await world.tiktok("POST", f"orders/{placed['id']}/advance", {"to": "DELIVERED"})
    assert await world.run("orders") is RunOutcome.OK
    return str(placed["id"])


async def recorded(world: World, return_id: str) -> returns.ReturnRow:
    async with world.daemon.ledger.read() as tx:
        row = await returns.get_return(tx, return_id)
    assert row is not None
    return row


async def test_a_return_is_recorded_and_shown_and_the_store_order_untouched(world: World) -> None:
    order_id = await delivered(world, "BACK-1", 2)
    (store_order,) = store_orders(world.simulators)[order_id]
    assert "TikTok: Delivered" in store_order.tags
    before = copy.deepcopy(store_order)
    await world.shopify("DELETE", "calls")

    asked = await world.tiktok("POST", f"orders/{order_id}/return", {})
    assert await world.run("cancellations") is RunOutcome.OK
    row = await recorded(world, asked["return_id"])
    assert (row.tiktok_order_id, row.return_type, row.status, row.role, row.units) == (
        order_id,
        "RETURN_AND_REFUND",
        "RETURN_OR_REFUND_REQUEST_PENDING",
        "BUYER",
        2,
    )
    assert (row.refund_amount, row.refund_currency) == (25, "GBP")
    assert row.tiktok_update_time == asked["update_time"]
    async with world.daemon.ledger.read() as tx:
        cursor = await cursors.get_cursor(tx, "uk", "returns")
    assert cursor == str(asked["update_time"])

    # The buyer ships the parcel back; webhook 12 names the order: a targeted run follows.
    await world.tiktok("POST", f"returns/{asked['return_id']}/advance", {})
    await world.tiktok("POST", f"returns/{asked['return_id']}/advance", {})
    assert await world.run("cancellations", frozenset({order_id})) is RunOutcome.OK
    assert (await recorded(world, asked["return_id"])).status == "BUYER_SHIPPED_ITEM"
    assert await world.run("cancellations") is RunOutcome.OK  # re-read in the overlap: no news
    async with world.daemon.ledger.read() as tx:
        rerun = await runs.last_with_outcome(tx, "uk", "cancellations", RunOutcome.OK)
    assert rerun is not None
    assert "returns_recorded" not in rerun.counts

    shown = await orders_report(world.daemon.ledger)
    assert "Returns and refunds after delivery (recorded, not mirrored into the store):" in shown
    assert (
        f"  order {order_id}\n    return {asked['return_id']}  RETURN_AND_REFUND  "
        "BUYER_SHIPPED_ITEM  refund 25.00 GBP  2 unit(s)"
    ) in shown

    (after,) = store_orders(world.simulators)[order_id]
    assert after == before
    calls = (await world.shopify("GET", "calls"))["calls"]
    assert [c for c in calls if c["endpoint"] in STORE_WRITES] == []


async def test_an_unreadable_return_fails_alone(world: World) -> None:
    first = await delivered(world, "ODD-1", 1)
    second = await delivered(world, "FINE-1", 1)
    odd = await world.tiktok("POST", f"orders/{first}/return", {"return_type": "REFUND"})
    fine = await world.tiktok("POST", f"orders/{second}/return", {"return_type": "REPLACEMENT"})
    (simulator,) = world.simulators.tiktok.values()
    simulator.state.returns[odd["return_id"]].return_type = "EXCHANGE"  # no such type

    assert await world.run("cancellations") is RunOutcome.OK
    assert (await recorded(world, fine["return_id"])).return_type == "REPLACEMENT"
    async with world.daemon.ledger.read() as tx:
        assert await returns.get_return(tx, odd["return_id"]) is None
        run = await runs.last_with_outcome(tx, "uk", "cancellations", RunOutcome.OK)
        assert run is not None
        results = await runs.run_results(tx, run.run_id)
    failed = [r for r in results if r.outcome is EntityOutcome.FAILED]
    assert [(r.entity_kind, r.entity_id) for r in failed] == [("return", odd["return_id"])]
    assert "return_type" in (failed[0].reason or "")
    assert run.counts["returns_recorded"] == 1
