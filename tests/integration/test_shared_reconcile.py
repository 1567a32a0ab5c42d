"""One store read per reconciliation: the catalog job's full pass skips linked products that
read as the ledger recorded them and records the stock its products' read carries; the price
and inventory jobs' full passes read only what changed since that pass began, so a
reconciliation costs one Shopify bulk operation. A price or a stock level changed in between
still reaches TikTok; a catalog pass cut short, or read without stock, vouches for nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from daemon.domain import RunOutcome
from daemon.jobs.carried_stock import LEVELS_RECONCILED
from daemon.ledger import cursors, runs, stock
from tests.conftest import WAREHOUSE_ID
from tests.support.shopify import SimControl, shopify_sim
from tests.support.stores.shopify import SECRETS
from tests.support.world import World, item, open_world, variant

SHOP = "uk"


class Clock:
    """The daemon's clock, moved on by hand (the store simulator keeps its own time)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def world(simulated_config, clock: Clock) -> AsyncIterator[World]:
    async with open_world(simulated_config, clock) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


async def _reconcile_next(world: World) -> None:
    """Age the reconciliation marks, as `reconcile_every` does."""
    long_ago = "2000-01-01T00:00:00+00:00"
    async with world.daemon.ledger.transaction() as tx:
        for name in ("catalog.products", "price.products", "inventory.levels"):
            await cursors.set_cursor(tx, SHOP, f"{name}.reconciled", long_ago, datetime.now(UTC))


async def _counts(world: World, job: str) -> dict[str, int]:
    async with world.daemon.ledger.read() as tx:
        (last,) = await runs.recent_runs(tx, SHOP, job, limit=1)
    return dict(last.counts)


async def test_a_reconciliation_reads_the_catalog_once(world: World) -> None:
    loaded = await world.load(
        item("Shared mug", variant("SHARED-1", price="10.00")),
        item("Shared cup", variant("SHARED-2", price="12.00")),
    )
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    assert await world.run("price") is RunOutcome.OK

    await _reconcile_next(world)
    assert await world.run("catalog") is RunOutcome.OK
    catalog = await _counts(world, "catalog")
    assert catalog["reconciled"] == 1
    assert catalog["unchanged"] == 2  # linked, nothing changed: no ledger write, no call
    # The store's products were made seconds ago, within the 5 s overlap of any pass: as if
    # the catalog's pass had begun later, move its mark (and the store's clock) ahead.
    async with world.daemon.ledger.transaction() as tx:
        mark = await cursors.get_cursor(tx, SHOP, "catalog.products.reconciled")
        assert mark is not None
        later = datetime.fromisoformat(mark) + timedelta(seconds=10)
        await cursors.set_cursor(tx, SHOP, "catalog.products.reconciled", later.isoformat(), later)
    await world.shopify("POST", "clock/advance", {"seconds": 60})
    # A price changes after the catalog's full pass: the price job's full pass, reading only
    # what changed since that pass began, still sends it.
    cup = loaded[1]
    await world.shopify(
        "PATCH", f"products/{cup['id']}", {"variants": [{"sku": "SHARED-2", "price": "13.50"}]}
    )
    before = len(await world.tiktok_calls("update_price"))
    assert await world.run("price") is RunOutcome.OK
    price = await _counts(world, "price")
    assert price["reconciled"] == 1
    assert price["shared_store_read"] == 1
    assert price["products_read"] == 1  # the changed one, not the whole catalog
    assert len(await world.tiktok_calls("update_price")) == before + 1


async def test_a_price_job_without_a_fresh_catalog_pass_reads_everything(world: World) -> None:
    await world.load(item("Alone", variant("ALONE-1")), item("Alone 2", variant("ALONE-2")))
    assert await world.run("price") is RunOutcome.OK
    price = await _counts(world, "price")
    assert price["reconciled"] == 1
    assert "shared_store_read" not in price
    assert price["products_read"] == 2


def _bulk_operations(world: World) -> int:
    """Bulk operations the Shopify simulator has run (its own record, not the daemon's)."""
    return len(shopify_sim(world.simulators).shop.bulk.operations)


async def _set_stock(world: World, item_id: int, available: int) -> None:
    """A stock change that only a poll finds (no webhook hints it to the inventory job)."""
    await world.shopify("POST", "webhooks", {"url": None})
    levels = [{"inventory_item_id": item_id, "available": available}]
    await world.shopify("POST", "inventory", {"levels": levels})


async def _tiktok_stock(world: World, seller_sku: str) -> list[dict[str, Any]]:
    state = await world.tiktok("GET", "state")
    listed = state["products"]
    for product in listed.values() if isinstance(listed, dict) else listed:
        for sku in product["skus"]:
            if sku.get("seller_sku") == seller_sku:
                return list(sku["inventory"])
    raise AssertionError(f"no TikTok SKU {seller_sku}")


async def test_a_reconciliation_makes_one_bulk_operation_and_stock_changed_since_is_sent(
    world: World,
) -> None:
    (mug, _) = await world.published(
        item("Once mug", variant("ONCE-1", stock=20)),
        item("Once cup", variant("ONCE-2", stock=7, tracked=False)),
    )
    writes = len(await world.tiktok_calls("update_inventory"))
    await _reconcile_next(world)
    before = _bulk_operations(world)
    assert await world.run("catalog") is RunOutcome.OK
    catalog = await _counts(world, "catalog")
    assert catalog["levels_read"] == 1  # the tracked variant's level; none for the untracked
    assert "levels_recorded" not in catalog  # the same as the ledger holds: not rewritten
    # The bulk read's end was announced to the daemon, which took it (a hint, no job run).
    finished = await world.shopify("GET", "webhooks", topic="bulk_operations/finish")
    assert finished["deliveries"]
    assert {delivery["status"] for delivery in finished["deliveries"]} == {200}
    # Stock changes after the catalog's full pass has read it: the inventory job's
    # reconciliation reads only what changed since that pass began, and sends it.
    await _set_stock(world, mug["variants"][0]["inventory_item_id"], 13)
    assert await world.run("inventory") is RunOutcome.OK
    assert await world.run("price") is RunOutcome.OK
    assert _bulk_operations(world) == before + 1
    inventory = await _counts(world, "inventory")
    assert (inventory["reconciled"], inventory["shared_store_read"]) == (1, 1)
    assert inventory["skus_pushed"] == 1
    assert len(await world.tiktok_calls("update_inventory")) == writes + 1
    assert await _tiktok_stock(world, "ONCE-1") == [{"warehouse_id": WAREHOUSE_ID, "quantity": 13}]


async def test_a_catalog_pass_cut_short_does_not_vouch_for_the_stock(
    world: World, clock: Clock
) -> None:
    (mug,) = await world.published(item("Cut mug", variant("CUT-1", stock=20)))
    async with world.daemon.ledger.read() as tx:
        earlier = await cursors.get_cursor(tx, SHOP, LEVELS_RECONCILED)
    assert earlier is not None
    # Stock changes; an hour later the catalog's reconciliation dies reading the store. Had
    # it kept its start as the stock's mark, the inventory job would read from there and
    # miss the change; it reads from the last pass that recorded every level instead.
    await _set_stock(world, mug["variants"][0]["inventory_item_id"], 4)
    clock.offset += timedelta(hours=1)
    await _reconcile_next(world)
    fault = {"kind": "500", "times": 1}  # the next Shopify call, whichever it is
    await world.shopify("POST", "faults", {"queue": [fault]})
    assert await world.run("catalog") is not RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        assert await cursors.get_cursor(tx, SHOP, LEVELS_RECONCILED) == earlier
    assert await world.run("inventory") is RunOutcome.OK
    assert (await _counts(world, "inventory"))["shared_store_read"] == 1
    assert await _tiktok_stock(world, "CUT-1") == [{"warehouse_id": WAREHOUSE_ID, "quantity": 4}]


async def test_a_catalog_read_without_stock_leaves_the_inventory_job_a_whole_read(
    world: World,
) -> None:
    await world.published(item("Paged mug", variant("PAGED-1")))
    await _reconcile_next(world)
    await world.shopify("POST", "bulk/outcome", {"status": "FAILED", "error_code": "TIMEOUT"})
    assert await world.run("catalog") is RunOutcome.OK  # read by pages instead: no stock
    async with world.daemon.ledger.read() as tx:
        assert await cursors.get_cursor(tx, SHOP, LEVELS_RECONCILED) is None
    before = _bulk_operations(world)
    assert await world.run("inventory") is RunOutcome.OK
    assert "shared_store_read" not in await _counts(world, "inventory")
    assert _bulk_operations(world) == before + 1  # its own whole read of the levels


async def test_a_level_removed_at_a_location_is_forgotten_by_either_whole_read(
    world: World,
) -> None:
    """A level the store no longer has is forgotten by the catalog's carried stock and by the
    inventory job's own whole read alike, so its old quantity is never sent again."""
    (mug,) = await world.published(item("Moved mug", variant("MOVED-1", stock=9)))
    item_id = mug["variants"][0]["inventory_item_id"]
    second = (await world.shopify("POST", "locations", {"name": "Back room"}))["location"]
    back_room = (str(item_id), str(second["id"]), 3)
    control = SimControl(world.shopify_url, world.session, SECRETS[0])

    async def count_there() -> None:
        level = {"inventory_item_id": item_id, "location_id": second["id"], "available": 3}
        await world.shopify("POST", "inventory", {"levels": [level]})

    async def move_out() -> None:  # out of the back room after the stock was counted there
        query = {"inventory_item_id": str(item_id), "location_id": str(second["id"])}
        status, _, _ = await control.admin("DELETE", "inventory_levels", **query)
        assert status == 204

    await count_there()
    assert back_room in await _reconciled_levels(world, shared=False)
    writes = len(await world.tiktok_calls("update_inventory"))
    await move_out()
    assert back_room not in await _reconciled_levels(world, shared=True)
    assert (await _counts(world, "catalog"))["levels_forgotten"] == 1

    await count_there()
    assert back_room in await _reconciled_levels(world, shared=False)
    await move_out()
    await _reconcile_next(world)  # the inventory job's own whole read, without the catalog's
    async with world.daemon.ledger.transaction() as tx:
        await cursors.delete_cursor(tx, SHOP, LEVELS_RECONCILED)
    assert await world.run("inventory") is RunOutcome.OK
    assert (await _counts(world, "inventory"))["levels_forgotten"] == 1
    assert back_room not in await _ledger_levels(world)
    assert len(await world.tiktok_calls("update_inventory")) == writes  # the room is unmapped


async def _ledger_levels(world: World) -> set[tuple[str, str, int]]:
    async with world.daemon.ledger.read() as tx:
        return {(lv.stock_key, lv.location_id, lv.available) for lv in await stock.levels(tx, SHOP)}


async def _reconciled_levels(world: World, *, shared: bool) -> set[tuple[str, str, int]]:
    """The ledger's stock after a reconciliation of catalog then inventory, the inventory
    job reading from the catalog's pass (`shared`) or everything itself."""
    await _reconcile_next(world)
    assert await world.run("catalog") is RunOutcome.OK
    if not shared:
        async with world.daemon.ledger.transaction() as tx:
            await cursors.delete_cursor(tx, SHOP, LEVELS_RECONCILED)
    assert await world.run("inventory") is RunOutcome.OK
    counts = await _counts(world, "inventory")
    assert ("shared_store_read" in counts) is shared
    return await _ledger_levels(world)
