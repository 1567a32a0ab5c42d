"""The fulfilment job against both simulators: the store's carrier mapped to a TikTok shipping
provider (aliases, the user's carrier file, an unknown carrier falling back to Royal Mail),
tracking corrections, TikTok-shipped orders left alone, and targeted runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from daemon.connectors.shopify import ShopifyClient, TrackingInfo
from daemon.domain import RunOutcome
from daemon.ledger import aftersales
from daemon.metrics import Metrics
from tests.support.orders import order_config, place, publish, store_orders, tiktok_order
from tests.support.world import World, open_world

CARRIERS = """
# The merchant's own names for carriers.
[[carriers]]
name = "DPD"
aliases = ["Speedy Parcels"]
"""


@pytest.fixture
def config(write_config, tmp_path: Path) -> Path:
    carriers = tmp_path / "carriers.toml"
    carriers.write_text(CARRIERS, encoding="utf-8")
    return order_config(
        write_config,
        tmp_path,
        tiktok='request_timeout = "1s"\n',
        top='[retry]\nbase_delay = "1s"\nmax_delay = "2s"\n',
        shop=f'[shops.orders]\ncarriers_file = "{carriers}"\n',
    )


@pytest.fixture
async def world(config) -> AsyncIterator[World]:
    async with open_world(config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        await opened.shopify("POST", "bucket", {"leak_rate": 1000})
        yield opened


async def imported(world: World, **extra: Any) -> tuple[str, str]:
    """A TikTok order imported into the store: (TikTok order id, store order id)."""
    skus = await publish(world, "SHIP-1", "SHIP-2")
    placed = await place(world, {skus["SHIP-1"]: 1, skus["SHIP-2"]: 2}, **extra)
    assert await world.run("orders") is RunOutcome.OK
    (store_order,) = store_orders(world.simulators)[placed["id"]]
    return placed["id"], str(store_order.id)


async def fulfil(world: World, store_order_id: str, company: str, number: str) -> None:
    body = {"tracking_company": company, "tracking_number": number}
    await world.shopify("POST", f"orders/{store_order_id}/fulfil", body)


async def shipment(world: World, order_id: str) -> aftersales.ShipmentRow:
    async with world.daemon.ledger.read() as tx:
        (row,) = await aftersales.shipments_of(tx, order_id)
    return row


def packages(world: World, order_id: str) -> list[tuple[str, str, int]]:
    (simulator,) = world.simulators.tiktok.values()
    order = tiktok_order(world.simulators, order_id)
    return [
        (
            simulator.state.packages[p].provider_name,
            simulator.state.packages[p].tracking_number,
            len(simulator.state.packages[p].line_item_ids),
        )
        for p in order.package_ids
    ]


async def test_an_alias_maps_to_its_carrier_and_the_order_ships(world: World) -> None:
    order_id, store_order_id = await imported(world)
    await fulfil(world, store_order_id, "Hermes", "H123456789GB")
    assert await world.run("fulfillment") is RunOutcome.OK
    assert packages(world, order_id) == [("Evri", "H123456789GB", 3)]
    assert tiktok_order(world.simulators, order_id).status.value == "AWAITING_COLLECTION"
    row = await shipment(world, order_id)
    assert (row.status, row.shipping_provider, row.carrier_fallback) == ("sent", "Evri", False)
    assert await world.run("fulfillment") is RunOutcome.OK  # nothing is sent twice
    assert len(await world.tiktok_calls("mark_package_shipped")) == 1


async def test_unknown_carrier_goes_as_royal_mail_and_says_so(world: World) -> None:
    order_id, store_order_id = await imported(world)
    await fulfil(world, store_order_id, "Bob's Van Co", "BOB-0001")
    assert await world.run("fulfillment") is RunOutcome.OK
    assert packages(world, order_id) == [("Royal Mail", "BOB-0001", 3)]
    row = await shipment(world, order_id)
    assert (row.status, row.carrier_fallback) == ("sent", True)
    assert row.reason == 'carrier "Bob\'s Van Co" is not known; sent as Royal Mail (the default)'


async def test_the_users_carrier_file_adds_names(world: World) -> None:
    order_id, store_order_id = await imported(world)
    await fulfil(world, store_order_id, "SPEEDY parcels", "SP-778899")
    assert await world.run("fulfillment") is RunOutcome.OK
    assert packages(world, order_id) == [("DPD", "SP-778899", 3)]


async def test_a_corrected_tracking_number_is_sent_again(world: World) -> None:
    order_id, store_order_id = await imported(world)
    await fulfil(world, store_order_id, "DPD", "DPD-0001")
    assert await world.run("fulfillment") is RunOutcome.OK
    settings = world.daemon.settings.shops[0]
    async with ShopifyClient(settings.store, Metrics()) as admin:
        (first,) = await admin.order_fulfillments(store_order_id)
        await admin.update_tracking(first.id, TrackingInfo("DPD", "DPD-0002"))
    assert await world.run("fulfillment") is RunOutcome.OK
    assert packages(world, order_id) == [("DPD", "DPD-0002", 3)]
    assert (await shipment(world, order_id)).tracking_number == "DPD-0002"


async def test_orders_tiktok_ships_are_left_to_tiktok(world: World) -> None:
    order_id, store_order_id = await imported(world, shipping_type="TIKTOK")
    await fulfil(world, store_order_id, "Evri", "EV-12345")
    assert await world.run("fulfillment") is RunOutcome.OK
    row = await shipment(world, order_id)
    assert (row.status, row.reason) == (
        "not_sent",
        "shipped by TikTok's own logistics; nothing to send",
    )
    assert await world.tiktok_calls("mark_package_shipped") == []


async def test_targeted_run_sends_the_hinted_orders_fulfilment(world: World) -> None:
    order_id, store_order_id = await imported(world)
    await fulfil(world, store_order_id, "Yodel", "JD0002211")
    assert await world.run("fulfillment", frozenset({store_order_id})) is RunOutcome.OK
    assert packages(world, order_id) == [("Yodel", "JD0002211", 3)]


async def test_a_shipment_whose_answer_was_lost_is_not_sent_twice(world: World) -> None:
    order_id, store_order_id = await imported(world)
    await fulfil(world, store_order_id, "DPD", "DPD-LOST-1")
    # TikTok records the package but answers after the client has given up (1 s).
    await world.tiktok(
        "PUT",
        "faults",
        {"operation": "mark_package_shipped", "p_slow": 1, "slow_seconds": 2, "count": 1},
    )
    assert await world.run("fulfillment") is RunOutcome.OK
    assert (await shipment(world, order_id)).status == "failed"
    # Within three request timeouts nothing is tried again, not even for the webhook's run.
    assert await world.run("fulfillment", frozenset({store_order_id})) is RunOutcome.OK
    assert (await shipment(world, order_id)).attempts == 1
    await asyncio.sleep(3.2)  # TikTok has the package now; the retry is due
    assert await world.run("fulfillment") is RunOutcome.OK
    row = await shipment(world, order_id)
    assert (row.status, row.attempts) == ("sent", 1)
    assert packages(world, order_id) == [("DPD", "DPD-LOST-1", 3)]
    assert len(await world.tiktok_calls("mark_package_shipped")) == 1
