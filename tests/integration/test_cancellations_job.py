"""The cancellation job against both simulators: TikTok cancellations before import (never
created) and after (the store order cancelled with restock), pending and withdrawn requests,
refunds recorded, and store cancellations pushed only when the rule says so."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from daemon.domain import OrderPhase, RunOutcome
from daemon.ledger import aftersales, orders
from daemon.runtime.order_report import orders_report
from tests.support.orders import order_config, place, publish, store_orders, tiktok_order
from tests.support.shopify import shopify_sim
from tests.support.world import World, open_world


def config_with(write_config, tmp_path: Path, *, push: bool) -> Path:
    return order_config(
        write_config,
        tmp_path,
        shop=f"[shops.rules]\npush_store_cancellations = {str(push).lower()}\n",
    )


@pytest.fixture
async def world(write_config, tmp_path) -> AsyncIterator[World]:
    async with open_world(config_with(write_config, tmp_path, push=False)) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        await opened.shopify("POST", "bucket", {"leak_rate": 1000})
        yield opened


@pytest.fixture
async def pushing(write_config, tmp_path) -> AsyncIterator[World]:
    async with open_world(config_with(write_config, tmp_path, push=True)) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        await opened.shopify("POST", "bucket", {"leak_rate": 1000})
        yield opened


async def record(world: World, order_id: str) -> orders.OrderRecord:
    async with world.daemon.ledger.read() as tx:
        found = await orders.get_order(tx, order_id)
    assert found is not None
    return found


async def cancellation(world: World, order_id: str, origin: str) -> aftersales.CancellationRow:
    async with world.daemon.ledger.read() as tx:
        found = await aftersales.get_cancellation(tx, order_id, origin)
    assert found is not None
    return found


def available(world: World) -> list[int]:
    state = shopify_sim(world.simulators).shop.state
    return sorted(level.available for levels in state.levels.values() for level in levels.values())


async def test_cancelled_before_import_is_never_created(world: World) -> None:
    skus = await publish(world, "EARLY-1")
    placed = await place(world, {skus["EARLY-1"]: 2}, status="ON_HOLD")
    await world.tiktok("POST", f"orders/{placed['id']}/buyer_cancel", {})
    assert await world.run("cancellations") is RunOutcome.OK
    assert await world.run("orders") is RunOutcome.OK
    skipped = await record(world, placed["id"])
    assert (skipped.phase, skipped.reason) == (
        OrderPhase.SKIPPED,
        "cancelled on TikTok before it was imported; never created",
    )
    assert store_orders(world.simulators) == {}
    refund = await cancellation(world, placed["id"], "tiktok")
    assert (refund.role, refund.status, refund.units) == ("BUYER", "accepted", 2)
    assert (refund.refund_amount, refund.refund_currency) == (25, "GBP")
    shown = await orders_report(world.daemon.ledger)
    assert f"order {placed['id']}  from tiktok (BUYER)  accepted  refund 25.00 GBP" in shown


async def test_cancelled_after_import_cancels_the_store_order_and_restocks(world: World) -> None:
    skus = await publish(world, "LATER-1")
    placed = await place(world, {skus["LATER-1"]: 3})
    assert await world.run("orders") is RunOutcome.OK
    assert available(world) == [497]
    await world.tiktok("POST", f"orders/{placed['id']}/system_cancel", {})
    assert await world.run("cancellations") is RunOutcome.OK
    (store_order,) = store_orders(world.simulators)[placed["id"]]
    assert store_order.cancelled_at is not None
    assert store_order.cancel_reason == "other"
    assert available(world) == [500]
    assert (await record(world, placed["id"])).store_cancelled_at is not None
    assert await world.run("cancellations") is RunOutcome.OK  # once is enough
    cancels = await world.shopify("GET", "calls", endpoint="graphql.orderCancel")
    assert len(cancels["calls"]) == 1


async def test_a_pending_request_waits_and_a_withdrawn_one_changes_nothing(world: World) -> None:
    skus = await publish(world, "ASK-1")
    placed = await place(world, {skus["ASK-1"]: 1})
    assert await world.run("orders") is RunOutcome.OK
    request = await world.tiktok("POST", f"orders/{placed['id']}/buyer_cancel", {})
    assert await world.run("cancellations") is RunOutcome.OK
    assert (await cancellation(world, placed["id"], "tiktok")).status == "requested"
    (store_order,) = store_orders(world.simulators)[placed["id"]]
    assert store_order.cancelled_at is None

    await world.tiktok("POST", f"cancellations/{request['cancel_id']}/withdraw", {})
    # Search answers CANCELLATION_REQUEST_CANCEL, the webhook ..._CANCELLED: both understood.
    assert await world.run("cancellations", frozenset({placed["id"]})) is RunOutcome.OK
    assert await world.run("cancellations") is RunOutcome.OK
    assert (await cancellation(world, placed["id"], "tiktok")).status == "withdrawn"
    assert store_order.cancelled_at is None


async def test_a_buyer_request_accepted_later_cancels_the_store_order(world: World) -> None:
    skus = await publish(world, "LATE-1")
    placed = await place(world, {skus["LATE-1"]: 1})
    assert await world.run("orders") is RunOutcome.OK
    await world.tiktok("POST", f"orders/{placed['id']}/buyer_cancel", {})
    await world.tiktok("POST", "clock/advance", {"seconds": 3 * 86_400})  # deadline passes
    assert await world.run("cancellations", frozenset({placed["id"]})) is RunOutcome.OK
    (store_order,) = store_orders(world.simulators)[placed["id"]]
    assert store_order.cancel_reason == "customer"


async def test_store_cancellation_is_recorded_not_pushed_by_default(world: World) -> None:
    skus = await publish(world, "KEEP-1")
    placed = await place(world, {skus["KEEP-1"]: 1})
    assert await world.run("orders") is RunOutcome.OK
    (store_order,) = store_orders(world.simulators)[placed["id"]]
    await world.shopify("POST", f"orders/{store_order.id}/cancel", {"reason": "inventory"})
    assert await world.run("cancellations") is RunOutcome.OK
    row = await cancellation(world, placed["id"], "store")
    assert row.status == "not_pushed"
    assert "push_store_cancellations is off" in (row.reason or "")
    assert tiktok_order(world.simulators, placed["id"]).status.value == "AWAITING_SHIPMENT"
    assert await world.tiktok_calls("cancel_order") == []


async def test_store_cancellation_is_pushed_with_a_mapped_reason(pushing: World) -> None:
    world = pushing
    skus = await publish(world, "PUSH-1")
    placed = await place(world, {skus["PUSH-1"]: 1})
    assert await world.run("orders") is RunOutcome.OK
    (store_order,) = store_orders(world.simulators)[placed["id"]]
    await world.shopify("POST", f"orders/{store_order.id}/cancel", {"reason": "inventory"})
    assert await world.run("cancellations", frozenset({str(store_order.id)})) is RunOutcome.OK
    assert tiktok_order(world.simulators, placed["id"]).status.value == "CANCELLED"
    (simulator,) = world.simulators.tiktok.values()
    (seller,) = simulator.state.cancellations_of(placed["id"])
    assert (seller.role, seller.reason) == ("SELLER", "seller_cancel_reason_out_of_stock_uk")
    row = await cancellation(world, placed["id"], "store")
    assert (row.status, row.tiktok_cancel_id is not None) == ("pushed", True)
    # TikTok's cancellation comes back; it is ours, so nothing bounces back and forth.
    assert await world.run("orders") is RunOutcome.OK
    assert await world.run("cancellations") is RunOutcome.OK
    assert len(await world.tiktok_calls("cancel_order")) == 1
    cancels = await world.shopify("GET", "calls", endpoint="graphql.orderCancel")
    assert cancels["calls"] == []
