"""The order import job against both simulators: what the store order carries, exactly once
(also across a create whose answer was lost), blocked and unblocked, never imported while on
hold or once cancelled, status mirroring, targeted runs and unreadable orders."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from daemon.domain import OrderPhase, RunOutcome
from daemon.ledger import orders, retry
from tests.support.orders import (
    list_on_tiktok,
    order_config,
    place,
    publish,
    store_orders,
    tiktok_order,
)
from tests.support.shopify import shopify_sim
from tests.support.world import World, item, open_world, variant

ROOT = Path(__file__).parents[2]


@pytest.fixture
def config(write_config, tmp_path) -> Path:
    # The store answers slowly enough, under a fault, for a create to time out after it
    # happened; failed records are due again after a second.
    return order_config(
        write_config,
        tmp_path,
        store='request_timeout = "1s"\n',
        top='[retry]\nbase_delay = "1s"\nmax_delay = "2s"\nmax_attempts = 3\n',
        shop='[shops.schedules]\norders = "1h"\n',
    )


@pytest.fixture
async def world(config) -> AsyncIterator[World]:
    async with open_world(config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        await opened.shopify("POST", "bucket", {"leak_rate": 1000})
        yield opened


async def record(world: World, order_id: str) -> orders.OrderRecord:
    async with world.daemon.ledger.read() as tx:
        found = await orders.get_order(tx, order_id)
    assert found is not None
    return found


async def test_imports_once_with_tiktoks_label_prices_and_reference(world: World) -> None:
    skus = await publish(world, "MUG-1", "MUG-2")
    stock = shopify_sim(world.simulators).shop.state
    before = {level.available for levels in stock.levels.values() for level in levels.values()}
    assert before == {500}
    placed = await place(world, {skus["MUG-1"]: 2, skus["MUG-2"]: 1}, shipping_fee="3.99")
    order_id = placed["id"]

    assert await world.run("orders") is RunOutcome.OK
    assert await world.run("orders") is RunOutcome.OK  # again: nothing new is created

    (created,) = store_orders(world.simulators)[order_id]
    attributes = {a["name"]: a["value"] for a in created.note_attributes}
    assert attributes == {
        "tiktok_order_id": order_id,
        "tiktok_status": "AWAITING_SHIPMENT",
        "tiktok_shipped_by": "SELLER",
    }
    assert created.tags == ["TikTok Shop", "TikTok: Awaiting shipment"]
    assert created.note == f"TikTok Shop order {order_id}"
    assert (created.source_name, created.source_identifier) == ("tiktok", order_id)
    assert sorted((line.sku, line.quantity, line.price) for line in created.line_items) == [
        ("MUG-1", 2, Decimal("12.50")),
        ("MUG-2", 1, Decimal("12.50")),
    ]
    assert created.financial_status == "paid"
    assert [t["amount"] for t in created.transactions] == ["41.49"]
    assert [s["price"] for s in created.shipping_lines] == ["3.99"]
    assert created.shipping_address is not None
    assert created.shipping_address["zip"] == "SW1A 1AA"
    assert created.customer is not None
    assert created.customer["last_name"] == "Smith"
    after = sorted(level.available for levels in stock.levels.values() for level in levels.values())
    assert after == [498, 499]  # decremented by policy (decrement_ignoring_policy)
    assert (await record(world, order_id)).phase is OrderPhase.IMPORTED
    reference = tiktok_order(world.simulators, order_id).external_orders["SHOPIFY"]
    assert reference["id"] == str(created.id)
    assert len(reference["line_items"]) == 3  # one per unit


async def test_on_hold_waits_and_a_cancelled_order_is_never_created(world: World) -> None:
    skus = await publish(world, "HOLD-1")
    held = await place(world, {skus["HOLD-1"]: 1}, status="ON_HOLD")
    cancelled = await place(world, {skus["HOLD-1"]: 1}, status="ON_HOLD")
    assert await world.run("orders") is RunOutcome.OK
    assert (await record(world, held["id"])).phase is OrderPhase.SEEN
    assert store_orders(world.simulators) == {}

    await world.tiktok("POST", f"orders/{cancelled['id']}/buyer_cancel", {})
    await world.tiktok("POST", f"orders/{held['id']}/advance", {})  # the hold ends
    assert await world.run("orders") is RunOutcome.OK
    found = store_orders(world.simulators)
    assert list(found) == [held["id"]]
    skipped = await record(world, cancelled["id"])
    assert skipped.phase is OrderPhase.SKIPPED
    assert skipped.reason == "cancelled on TikTok before it was imported; never created"


async def test_blocked_order_waits_for_its_sku_and_holds_up_nobody(world: World, config) -> None:
    skus = await publish(world, "GOOD-1")
    late = await list_on_tiktok(world, "LATE-1")  # on TikTok, not yet in the store
    blocked = await place(world, {late: 1, skus["GOOD-1"]: 1}, force=True)
    fine = await place(world, {skus["GOOD-1"]: 1})
    assert await world.run("orders") is RunOutcome.OK

    assert list(store_orders(world.simulators)) == [fine["id"]]
    stuck = await record(world, blocked["id"])
    assert stuck.phase is OrderPhase.BLOCKED
    assert stuck.reason == (
        f"SKU {late} (seller SKU LATE-1) is not linked to a store variant (the product is not "
        "synced)"
    )
    listing = await ttsync("failures", "--config", str(config))
    assert f"order:{blocked['id']}" in listing
    assert "line_items: SKU" in listing
    shown = await ttsync("orders", "--config", str(config))
    assert "Shop uk: blocked 1, imported 1" in shown
    assert f"{blocked['id']}  blocked" in shown
    assert "(seller SKU LATE-1) is not linked" in shown

    # The merchant adds the product to the store; the catalog links it by seller SKU, and the
    # order imports on the next run without anyone re-queuing it.
    await world.load(item("Late mug", variant("LATE-1")))
    assert await world.run("catalog") is RunOutcome.OK
    assert await world.run("orders") is RunOutcome.OK
    assert (await record(world, blocked["id"])).phase is OrderPhase.IMPORTED
    (created,) = store_orders(world.simulators)[blocked["id"]]
    assert sorted(line.sku for line in created.line_items) == ["GOOD-1", "LATE-1"]
    async with world.daemon.ledger.read() as tx:
        assert await retry.list_entries(tx, "uk") == []


async def test_order_of_a_product_deleted_in_the_store_is_blocked(world: World) -> None:
    skus = await publish(world, "GONE-1")
    product_id = next(iter(shopify_sim(world.simulators).shop.state.products))
    await world.shopify("DELETE", f"products/{product_id}")
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    assert await world.run("catalog") is RunOutcome.OK
    placed = await place(world, {skus["GONE-1"]: 1}, force=True)
    assert await world.run("orders") is RunOutcome.OK
    stuck = await record(world, placed["id"])
    assert stuck.phase is OrderPhase.BLOCKED
    assert (
        stuck.reason == f"SKU {skus['GONE-1']} (seller SKU GONE-1): its store product was deleted"
    )


async def test_a_create_whose_answer_was_lost_is_found_not_repeated(world: World, config) -> None:
    skus = await publish(world, "SLOW-1")
    placed = await place(world, {skus["SLOW-1"]: 1})
    # The store creates the order but answers after the client has given up (1 s).
    await world.shopify(
        "POST",
        "faults",
        {"queue": [{"endpoint": "graphql.orderCreate", "kind": "slow", "seconds": 2}]},
    )
    assert await world.run("orders") is RunOutcome.OK
    waiting = await record(world, placed["id"])
    assert (waiting.phase, waiting.create_attempts) == (OrderPhase.CREATING, 1)
    # A run within three request timeouts (here a webhook's targeted run) neither looks for
    # it nor creates it again: the store may still be working on it.
    assert await world.run("orders", frozenset({placed["id"]})) is RunOutcome.OK
    assert (await record(world, placed["id"])).phase is OrderPhase.CREATING
    await asyncio.sleep(3)  # by now the store has finished creating it

    await ttsync("retry", "--config", str(config), "--all")
    assert await world.run("orders") is RunOutcome.OK
    assert len(store_orders(world.simulators)[placed["id"]]) == 1
    imported = await record(world, placed["id"])
    assert (imported.phase, imported.create_attempts) == (OrderPhase.IMPORTED, 2)
    creates = await world.shopify("GET", "calls", endpoint="graphql.orderCreate")
    assert len(creates["calls"]) == 1


async def test_later_statuses_show_on_the_store_order(world: World) -> None:
    skus = await publish(world, "SHOW-1")
    placed = await place(world, {skus["SHOW-1"]: 1}, shipping_type="TIKTOK")
    assert await world.run("orders") is RunOutcome.OK
    await world.tiktok("POST", f"orders/{placed['id']}/advance", {"to": "IN_TRANSIT"})
    assert await world.run("orders") is RunOutcome.OK
    (created,) = store_orders(world.simulators)[placed["id"]]
    assert created.tags == ["TikTok Shop", "TikTok: In transit"]
    attributes = {a["name"]: a["value"] for a in created.note_attributes}
    assert attributes["tiktok_status"] == "IN_TRANSIT"
    assert attributes["tiktok_shipped_by"] == "TIKTOK"
    assert (await record(world, placed["id"])).mirrored_status == "IN_TRANSIT"


async def test_targeted_run_looks_only_at_the_hinted_order(world: World) -> None:
    skus = await publish(world, "HINT-1")
    first = await place(world, {skus["HINT-1"]: 1})
    second = await place(world, {skus["HINT-1"]: 1})
    assert await world.run("orders", frozenset({second["id"]})) is RunOutcome.OK
    assert first["id"] not in store_orders(world.simulators)
    assert second["id"] in store_orders(world.simulators)


async def test_an_unreadable_order_fails_alone(world: World) -> None:
    skus = await publish(world, "BAD-1")
    bad = await place(world, {skus["BAD-1"]: 1})
    good = await place(world, {skus["BAD-1"]: 1})
    broken = tiktok_order(world.simulators, bad["id"])
    broken.currency = ""
    for line in broken.line_items:
        line.currency = ""
    assert await world.run("orders") is RunOutcome.OK
    assert list(store_orders(world.simulators)) == [good["id"]]
    async with world.daemon.ledger.read() as tx:
        (entry,) = await retry.list_entries(tx, "uk")
    assert (entry.entity_kind, entry.entity_id) == ("order", bad["id"])
    assert "names no currency" in entry.last_error


async def ttsync(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "daemon",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()
