"""One store read per reconciliation: the catalog job's full pass skips linked products that
read as the ledger recorded them, and the price job's full pass reads only what changed since
that pass began; a price changed in between still reaches TikTok."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from daemon.domain import RunOutcome
from daemon.ledger import cursors, runs
from tests.support.world import World, item, open_world, variant

SHOP = "uk"


@pytest.fixture
async def world(simulated_config) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
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
