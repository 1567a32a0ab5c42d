"""Inventory and price jobs against both simulators: rules applied, only changes sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from daemon.domain import ProductStatus, RunOutcome
from daemon.jobs.sold_out import RESTOCKED, SOLD_OUT
from daemon.ledger import retry, runs
from tests.conftest import WAREHOUSE_ID
from tests.support.world import World, item, open_world, variant


@pytest.fixture
async def world(simulated_config) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


async def active(world: World, *specs: dict) -> list[dict]:
    """Products published and through review, with the first inventory and price passes done."""
    return await world.published(*specs)


async def tiktok_product(world: World, store_id: str) -> dict:
    state = await world.tiktok("GET", "state")
    for product in (
        state["products"].values() if isinstance(state["products"], dict) else state["products"]
    ):
        if product.get("external_product_id") == store_id:
            return product
    raise AssertionError(f"no TikTok product for store product {store_id}")


async def test_stock_change_reaches_tiktok_by_the_rules(world: World) -> None:
    (product,) = await active(world, item("Stocked mug", variant("STOCK-1", stock=100)))
    calls_before = len(await world.tiktok_calls("update_inventory"))
    item_id = product["variants"][0]["inventory_item_id"]
    await world.shopify(
        "POST", "inventory", {"levels": [{"inventory_item_id": item_id, "available": 37}]}
    )
    await world.shopify("POST", "clock/advance", {"seconds": 5})
    assert await world.run("inventory") is RunOutcome.OK
    calls = await world.tiktok_calls("update_inventory")
    assert len(calls) == calls_before + 1
    listed = await tiktok_product(world, str(product["id"]))
    (sku,) = listed["skus"]
    assert sku["inventory"] == [{"warehouse_id": WAREHOUSE_ID, "quantity": 37}]


async def test_nothing_changed_costs_no_tiktok_write(world: World) -> None:
    await active(
        world, item("Quiet mug", variant("QUIET-1")), item("Quiet cup", variant("QUIET-2"))
    )
    writes = len(await world.tiktok_calls("update_inventory")) + len(
        await world.tiktok_calls("update_price")
    )
    assert await world.run("inventory") is RunOutcome.OK
    assert await world.run("price") is RunOutcome.OK
    after = len(await world.tiktok_calls("update_inventory")) + len(
        await world.tiktok_calls("update_price")
    )
    assert after == writes


async def test_changed_skus_of_one_product_go_in_one_call(world: World) -> None:
    (product,) = await active(
        world,
        item(
            "Three sizes",
            variant("SIZE-S", options=["S"], stock=5),
            variant("SIZE-M", options=["M"], stock=5),
            variant("SIZE-L", options=["L"], stock=5),
            options=[{"name": "Size", "values": ["S", "M", "L"]}],
        ),
    )
    before = len(await world.tiktok_calls("update_inventory"))
    levels = [
        {"inventory_item_id": v["inventory_item_id"], "available": 50 + n}
        for n, v in enumerate(product["variants"])
    ]
    await world.shopify("POST", "inventory", {"levels": levels})
    await world.shopify("POST", "clock/advance", {"seconds": 5})
    await world.run("inventory")
    assert len(await world.tiktok_calls("update_inventory")) == before + 1


async def test_price_change_is_pushed_and_a_price_out_of_range_fails_the_sku(world: World) -> None:
    cheap, dear = await active(
        world, item("Cheap mug", variant("CHEAP-1")), item("Dear mug", variant("DEAR-1"))
    )
    before = len(await world.tiktok_calls("update_price"))
    await world.shopify(
        "PATCH", f"products/{cheap['id']}", {"variants": [{"sku": "CHEAP-1", "price": "14.00"}]}
    )
    await world.shopify(
        "PATCH", f"products/{dear['id']}", {"variants": [{"sku": "DEAR-1", "price": "6000.00"}]}
    )
    await world.shopify("POST", "clock/advance", {"seconds": 5})
    assert await world.run("price") is RunOutcome.OK
    assert len(await world.tiktok_calls("update_price")) == before + 1
    listed = await tiktok_product(world, str(cheap["id"]))
    assert Decimal(listed["skus"][0]["price"]["sale_price"]) == Decimal("14.00")
    async with world.daemon.ledger.read() as tx:
        (run,) = await runs.recent_runs(tx, "uk", "price", 1)
        results = await runs.run_results(tx, run.run_id)
        queued = await retry.list_entries(tx, "uk")
    failed = [r for r in results if r.field == "price"]
    assert [r.entity_id for r in failed] == [str(dear["variants"][0]["id"])]
    assert "5600" in (failed[0].reason or "").replace(",", "")
    assert queued == []  # a price out of range waits for the merchant, not for a retry


async def set_stock(world: World, product: dict, available: int) -> None:
    levels = [
        {"inventory_item_id": v["inventory_item_id"], "available": available}
        for v in product["variants"]
    ]
    await world.shopify("POST", "inventory", {"levels": levels})
    await world.shopify("POST", "clock/advance", {"seconds": 5})
    assert await world.run("inventory") is RunOutcome.OK


@pytest.mark.parametrize("min_quantity", [0, 1], ids=["zero-accepted", "zero-refused"])
async def test_a_sold_out_product_stops_selling_under_both_readings(
    world: World, min_quantity: int
) -> None:
    """TikTok's docs disagree on stock 0 (Jan 2025: accepted; Dec 2025: 1 to 99,999)."""
    await world.tiktok("PUT", "settings", {"min_quantity": min_quantity})
    two_tones = item(
        "Two tones",
        variant("TONE-A", options=["A"], stock=4),
        variant("TONE-B", options=["B"], stock=2),
        options=[{"name": "Tone", "values": ["A", "B"]}],
    )
    empty = item("Empty mug", variant("EMPTY-1", stock=0))
    product, empty_product = await world.load(two_tones, empty)
    assert await world.run("inventory") is RunOutcome.OK  # the store's stock, read first
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    assert await world.run("inventory") is RunOutcome.OK
    store_id = str(product["id"])
    status, reason = (await world.statuses())[str(empty_product["id"])]
    if min_quantity == 0:
        assert status is ProductStatus.ACTIVE
    else:  # never listed with 0: it waits in the retry queue, saying why
        assert status is ProductStatus.FAILED_TO_SYNC
        assert reason == (
            "not listed yet: TikTok takes no stock of 0 and EMPTY-1 has none; it is listed "
            "once every SKU has stock"
        )
    await set_stock(world, product, 0)
    listed = await tiktok_product(world, store_id)
    status, reason = (await world.statuses())[store_id]
    if min_quantity == 0:  # 0 is pushed: nothing more to do
        assert [s["inventory"][0]["quantity"] for s in listed["skus"]] == [0, 0]
        assert listed["status"] == "ACTIVATE"
        assert status is ProductStatus.ACTIVE
        return
    assert listed["status"] == "SELLER_DEACTIVATED"
    assert (status, reason) == (ProductStatus.UNLISTED, SOLD_OUT)
    async with world.daemon.ledger.read() as tx:
        waiting = {entry.entity_id for entry in await retry.list_entries(tx, "uk")}
    assert waiting == {str(empty_product["id"])}  # the SKUs' refusals went with the deactivation

    await set_stock(world, product, 3)  # stock returns: relisted, reviewed, then pushed
    assert (await tiktok_product(world, store_id))["status"] == "PENDING"
    assert (await world.statuses())[store_id] == (ProductStatus.UNDER_REVIEW, RESTOCKED)
    await world.finish_reviews()
    await world.run("catalog")
    assert await world.run("inventory") is RunOutcome.OK
    listed = await tiktok_product(world, store_id)
    assert listed["status"] == "ACTIVATE"
    assert [s["inventory"][0]["quantity"] for s in listed["skus"]] == [3, 3]
