"""The `SourceStore` contract, run against every registered store kind and its simulator.

Each kind plugs in with its fixture module in `tests/support/stores/` (named as the kind): it
starts the kind's simulator on loopback, builds the connector against it, and offers the few
store-side actions the contract needs (add products, edit, delete, move the clock, break a
record, inject failures, change the rate limit). The tests below only use the `SourceHarness`
surface, so a new store is checked by this suite once its fixture module exists.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from daemon.connectors.base import SourceStore
from daemon.connectors.registry import STORE_KINDS
from daemon.domain.models import BadRecord, Product, ProductState
from daemon.errors import AuthError, RetriableError
from tests.support.stores import (
    Failure,
    ProductFixture,
    SourceHarness,
    VariantFixture,
    fixtures_of,
)


@pytest.fixture(params=sorted(STORE_KINDS))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[SourceHarness]:
    async with fixtures_of(request.param).source_harness() as opened:
        yield opened


# --- the contract --------------------------------------------------------------------------


async def collect(store: SourceStore, **kwargs: datetime) -> list[Product | BadRecord]:
    return [item async for item in store.products(**kwargs)]


async def test_store_info_names_the_currency(harness: SourceHarness) -> None:
    info = await harness.store.store_info()
    assert info.currency == harness.currency


async def test_every_product_arrives_exactly_once_across_pages(harness: SourceHarness) -> None:
    created = await harness.add_products([ProductFixture(f"P{n}") for n in range(600)])
    items = await collect(harness.store)
    assert all(isinstance(item, Product) for item in items)
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids)) == 600
    assert set(ids) == {c.id for c in created}


async def test_updated_since_returns_only_changes_at_or_after_it(harness: SourceHarness) -> None:
    created = await harness.add_products([ProductFixture(f"P{n}") for n in range(5)])
    cutoff = await harness.advance_clock(3600)
    await harness.edit_product(created[1].id)
    await harness.edit_product(created[3].id)
    later = await harness.advance_clock(3600)
    changed = await collect(harness.store, updated_since=cutoff)
    assert sorted(item.id for item in changed) == sorted([created[1].id, created[3].id])
    assert all(isinstance(item, Product) and item.title == "Edited" for item in changed)
    assert await collect(harness.store, updated_since=later) == []
    everything = await collect(harness.store)
    assert len(everything) == 5


async def test_one_product_and_a_missing_one(harness: SourceHarness) -> None:
    created = await harness.add_products([ProductFixture("Lamp")])
    found = await harness.store.product(created[0].id)
    assert found is not None
    assert found.title == "Lamp"
    await harness.delete_product(created[0].id)
    assert await harness.store.product(created[0].id) is None


async def test_deleted_products_are_listed_from_since(harness: SourceHarness) -> None:
    created = await harness.add_products([ProductFixture(f"P{n}") for n in range(4)])
    start = await harness.advance_clock(60)
    await harness.delete_product(created[0].id)
    await harness.delete_product(created[2].id)
    after = await harness.advance_clock(60)
    deleted = sorted(await harness.store.deleted_product_ids(start))
    # A kind without a deletion feed lists none: full passes find its deletions instead.
    wanted = sorted([created[0].id, created[2].id]) if harness.deletion_feed else []
    assert deleted == wanted
    assert await harness.store.deleted_product_ids(after) == []
    remaining = await collect(harness.store)
    assert sorted(item.id for item in remaining) == sorted([created[1].id, created[3].id])


async def test_locations_carry_their_active_flag(harness: SourceHarness) -> None:
    closed = await harness.add_location("Closed shop", active=False)
    locations = {location.id: location for location in await harness.store.locations()}
    assert len(locations) >= 2
    assert locations[closed].active is False
    assert any(location.active for location in locations.values())


async def test_stock_levels_for_more_items_than_one_request_takes(harness: SourceHarness) -> None:
    second = await harness.add_location("Second", active=True)
    products = [
        ProductFixture(
            f"P{n}",
            tuple(
                VariantFixture(f"S{n}-{v}", stock=((None, n * 10 + v), (second, 1000 + v)))
                for v in range(5)
            ),
        )
        for n in range(60)
    ]
    created = await harness.add_products(products)
    item_ids = [item for c in created for item in c.stock_keys]
    assert len(item_ids) == 300
    levels = await harness.store.stock_levels([*item_ids, *item_ids[:10]])  # repeats are fine
    keys = [(level.stock_key, level.location_id) for level in levels]
    assert len(keys) == len(set(keys)) == 600
    by_key = {(level.stock_key, level.location_id): level.available for level in levels}
    for n, product in enumerate(created):
        for v, item in enumerate(product.stock_keys):
            assert by_key[item, second] == 1000 + v
            others = [qty for (i, loc), qty in by_key.items() if i == item and loc != second]
            assert others == [n * 10 + v]
    assert await harness.store.stock_levels([]) == []


async def test_stock_changes_since_a_moment_and_all_of_them(harness: SourceHarness) -> None:
    products = [
        ProductFixture(f"P{n}", (VariantFixture(f"C{n}", stock=((None, n),)),)) for n in range(30)
    ]
    created = await harness.add_products(products)
    everything = await harness.store.stock_changes(None)
    assert {level.stock_key for level in everything} >= {c.stock_keys[0] for c in created}
    # A whole read gives every level `stock_levels` does: the inventory job forgets a level
    # the whole read leaves out, so it must mean the store keeps no stock there.
    asked = await harness.store.stock_levels([c.stock_keys[0] for c in created])
    whole = {(lv.stock_key, lv.location_id, lv.available) for lv in everything}
    assert {(lv.stock_key, lv.location_id, lv.available) for lv in asked} <= whole
    moment = await harness.advance_clock(120)
    changed = created[7].stock_keys[0]
    await harness.set_stock(changed, 99)
    since = await harness.store.stock_changes(moment)
    assert [(level.stock_key, level.available) for level in since] == [(changed, 99)]
    assert await harness.store.stock_changes(await harness.advance_clock(60)) == []
    # Many changes since a moment come whole, each once, however the kind pages them.
    moment = await harness.advance_clock(120)
    for n, product in enumerate(created):
        await harness.set_stock(product.stock_keys[0], 200 + n)
    many = await harness.store.stock_changes(moment)
    assert sorted((level.stock_key, level.available) for level in many) == sorted(
        (product.stock_keys[0], 200 + n) for n, product in enumerate(created)
    )


async def test_stock_a_whole_read_carries_is_what_stock_levels_gives(
    harness: SourceHarness,
) -> None:
    """A kind whose product read includes stock (`Product.levels`) carries it for every
    product of a whole read, exactly as `stock_levels` gives it; other kinds carry none."""
    second = await harness.add_location("Second", active=True)
    await harness.add_products(
        [
            ProductFixture(
                "Carried",
                (
                    VariantFixture("CARRY-1", stock=((None, 4), (second, 6))),
                    VariantFixture("CARRY-2", stock=((None, 1),)),
                ),
            ),
            ProductFixture("Uncounted", (VariantFixture("CARRY-3", tracked=False),)),
        ]
    )
    products = [item for item in await collect(harness.store) if isinstance(item, Product)]
    assert len(products) == 2
    carried = [product for product in products if product.levels is not None]
    assert len(carried) in {0, len(products)}
    for product in carried:
        keys = [v.stock_key for v in product.variants if v.stock_key]
        given = {(lv.stock_key, lv.location_id, lv.available) for lv in product.levels or ()}
        asked = await harness.store.stock_levels(keys)
        assert given == {(lv.stock_key, lv.location_id, lv.available) for lv in asked}
        assert len(given) == len(product.levels or ())


async def test_tracking_and_continue_selling_flags(harness: SourceHarness) -> None:
    """Each flag on a product of its own: some stores keep them per variant, others (such as
    BigCommerce's inventory tracking and availability) per product."""
    await harness.add_products(
        [
            ProductFixture("Tracked", (VariantFixture("TRACKED"),)),
            ProductFixture("Untracked", (VariantFixture("UNTRACKED", tracked=False),)),
            ProductFixture("Oversell", (VariantFixture("OVERSELL", continue_selling=True),)),
        ]
    )
    items = await collect(harness.store)
    assert all(isinstance(item, Product) for item in items)
    variants = [v for item in items if isinstance(item, Product) for v in item.variants]
    flags = {v.sku: (v.tracked, v.continue_selling) for v in variants}
    assert flags == {
        "TRACKED": (True, False),
        "UNTRACKED": (False, False),
        "OVERSELL": (True, True),
    }
    assert {v.price.currency for v in variants} == {harness.currency}


async def test_products_not_for_sale_are_listed_and_say_so(harness: SourceHarness) -> None:
    """The domain decides what is published, so the store yields every product with its
    state; a variant's stock key is the connector's own, never blank."""
    created = await harness.add_products(
        [ProductFixture("On sale"), ProductFixture("Held back", sellable=False)]
    )
    items = {item.id: item for item in await collect(harness.store)}
    on_sale, held = items[created[0].id], items[created[1].id]
    assert isinstance(on_sale, Product)
    assert isinstance(held, Product)
    assert on_sale.state is ProductState.ACTIVE
    assert on_sale.published
    assert held.state is not ProductState.ACTIVE or not held.published
    assert all(v.stock_key for v in on_sale.variants)


async def test_ids_are_opaque_strings(harness: SourceHarness) -> None:
    [created] = await harness.add_products([ProductFixture("Lamp")])
    [item] = await collect(harness.store)
    assert isinstance(item, Product)
    assert isinstance(item.id, str)
    assert all(isinstance(v.id, str) for v in item.variants)
    assert await harness.store.product("no/such:product id") is None
    assert item.id == created.id


async def test_a_malformed_product_is_a_bad_record_and_the_rest_arrive(
    harness: SourceHarness,
) -> None:
    created = await harness.add_products([ProductFixture(f"P{n}") for n in range(3)])
    await harness.break_product(created[1].id)
    items = await collect(harness.store)
    bad = [item for item in items if isinstance(item, BadRecord)]
    good = [item for item in items if isinstance(item, Product)]
    assert [(b.kind, b.id) for b in bad] == [("product", created[1].id)]
    assert bad[0].reason
    assert sorted(p.id for p in good) == sorted([created[0].id, created[2].id])


async def test_bad_credentials_are_an_auth_error_without_the_secret(
    harness: SourceHarness,
) -> None:
    await harness.revoke_credentials()
    with pytest.raises(AuthError) as caught:
        await harness.store.locations()
    assert harness.secret not in str(caught.value)
    assert harness.secret not in repr(caught.value.args)


@pytest.mark.parametrize("kind", ["500", "503", "timeout"])
async def test_server_failures_are_retried(harness: SourceHarness, kind: Failure) -> None:
    await harness.fail_next(kind, times=2)
    assert await harness.store.locations()


@pytest.mark.parametrize("kind", ["503", "timeout"])
async def test_failures_that_persist_become_retriable_errors(
    harness: SourceHarness, kind: Failure
) -> None:
    await harness.fail_next(kind, times=50)
    with pytest.raises(RetriableError):
        await harness.store.locations()


async def test_throttling_that_persists_is_retriable_with_the_wait(harness: SourceHarness) -> None:
    await harness.fail_next("429", times=50, retry_after=0.05)
    with pytest.raises(RetriableError) as caught:
        await harness.store.locations()
    assert caught.value.retry_after == pytest.approx(0.05, abs=0.05)


async def test_retry_after_is_honoured(harness: SourceHarness) -> None:
    await harness.fail_next("429", times=2, retry_after=0.4)
    started = time.monotonic()
    assert await harness.store.locations()
    assert time.monotonic() - started >= 0.75  # two waits of 0.4 s, less timer slack


async def test_a_burst_stays_under_the_rate_limit(harness: SourceHarness) -> None:
    await harness.set_rate_limit(burst=40, per_second=2.0)
    results = await asyncio.gather(*(harness.store.locations() for _ in range(42)))
    assert all(results)
    assert await harness.throttled_responses() == 0
