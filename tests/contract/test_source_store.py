"""The `SourceStore` contract, run against every store connector and its simulator.

Each platform plugs in with one harness factory in `HARNESSES`: it starts the platform's
simulator on loopback, builds the connector against it, and offers the few store-side
actions the contract needs (add products, edit, delete, move the clock, break a record,
inject failures, change the rate limit). The tests below only use the `StoreHarness` surface.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal, Protocol

import pytest

from daemon.connectors.base import SourceStore
from daemon.connectors.shopify import ShopifyClientOptions
from daemon.domain.models import BadRecord, Product
from daemon.errors import AuthError, RetriableError
from tests.support.shopify import SimControl, client_for, running

Failure = Literal["500", "503", "429", "timeout"]


@dataclass(frozen=True)
class VariantFixture:
    sku: str
    price: Decimal = Decimal("9.99")
    tracked: bool = True
    continue_selling: bool = False
    stock: tuple[tuple[str | None, int], ...] = ()  # (location id, None = default; available)


@dataclass(frozen=True)
class ProductFixture:
    title: str
    variants: tuple[VariantFixture, ...] = field(default=(VariantFixture("SKU"),))


@dataclass(frozen=True)
class Created:
    id: str
    inventory_item_ids: tuple[str, ...]


class StoreHarness(Protocol):
    store: SourceStore
    currency: str
    secret: str  # a credential that must never show in an error

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]: ...
    async def edit_product(self, product_id: str) -> None: ...
    async def delete_product(self, product_id: str) -> None: ...
    async def advance_clock(self, seconds: float) -> datetime: ...
    async def add_location(self, name: str, *, active: bool) -> str: ...
    async def set_stock(self, inventory_item_id: str, available: int) -> None: ...
    async def break_product(self, product_id: str) -> None: ...
    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None: ...
    async def revoke_credentials(self) -> None: ...
    async def set_rate_limit(self, *, burst: int, per_second: float) -> None: ...
    async def throttled_responses(self) -> int: ...


# --- Shopify -------------------------------------------------------------------------------


@dataclass
class ShopifyHarness:
    store: SourceStore
    control: SimControl
    currency: str
    secret: str

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        specs = [
            {
                "title": p.title,
                "options": [{"name": "Variant"}],
                "variants": [
                    {
                        "sku": v.sku,
                        "price": str(v.price),
                        "options": [v.sku],
                        "tracked": v.tracked,
                        "inventory_policy": "continue" if v.continue_selling else "deny",
                        "stock": [
                            {"location_id": None if loc is None else int(loc), "available": n}
                            for loc, n in v.stock
                        ],
                    }
                    for v in p.variants
                ],
            }
            for p in products
        ]
        created = await self.control.load(specs)
        return [
            Created(str(p["id"]), tuple(str(v["inventory_item_id"]) for v in p["variants"]))
            for p in created
        ]

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("PATCH", f"products/{product_id}", {"title": "Edited"})

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"products/{product_id}")

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim("POST", "locations", {"name": name, "active": active})
        return str(answer["location"]["id"])

    async def set_stock(self, inventory_item_id: str, available: int) -> None:
        body = {"levels": [{"inventory_item_id": int(inventory_item_id), "available": available}]}
        await self.control.sim("POST", "inventory", body)

    async def break_product(self, product_id: str) -> None:
        # Money as a number, not a string: not the documented shape.
        body = {"variant": {"price": 12.5}}
        await self.control.sim("POST", f"products/{product_id}/corrupt", body)

    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None:
        queued: dict[str, object] = {"kind": kind, "times": times}
        if retry_after is not None:
            queued["seconds"] = retry_after
        await self.control.sim("POST", "faults", {"queue": [queued]})

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "tokens", {"revoke": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        body = {"size": burst, "leak_rate": per_second, "reset": True}
        await self.control.sim("POST", "bucket", body)

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


@asynccontextmanager
async def shopify_harness() -> AsyncIterator[StoreHarness]:
    async with running(hang_seconds=3.0) as (simulator, control):
        options = ShopifyClientOptions(request_timeout=timedelta(seconds=0.5))
        async with client_for(simulator, options) as client:
            yield ShopifyHarness(client, control, "GBP", simulator.config.access_token)


HARNESSES: dict[str, Callable[[], AbstractAsyncContextManager[StoreHarness]]] = {
    "shopify": shopify_harness,
}


@pytest.fixture(params=sorted(HARNESSES))
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[StoreHarness]:
    async with HARNESSES[request.param]() as opened:
        yield opened


# --- the contract --------------------------------------------------------------------------


async def collect(store: SourceStore, **kwargs: datetime) -> list[Product | BadRecord]:
    return [item async for item in store.products(**kwargs)]


async def test_store_info_names_the_currency(harness: StoreHarness) -> None:
    info = await harness.store.store_info()
    assert info.currency == harness.currency


async def test_every_product_arrives_exactly_once_across_pages(harness: StoreHarness) -> None:
    created = await harness.add_products([ProductFixture(f"P{n}") for n in range(600)])
    items = await collect(harness.store)
    assert all(isinstance(item, Product) for item in items)
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids)) == 600
    assert set(ids) == {c.id for c in created}


async def test_updated_since_returns_only_changes_at_or_after_it(harness: StoreHarness) -> None:
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


async def test_one_product_and_a_missing_one(harness: StoreHarness) -> None:
    created = await harness.add_products([ProductFixture("Lamp")])
    found = await harness.store.product(created[0].id)
    assert found is not None
    assert found.title == "Lamp"
    await harness.delete_product(created[0].id)
    assert await harness.store.product(created[0].id) is None


async def test_deleted_products_are_listed_from_since(harness: StoreHarness) -> None:
    created = await harness.add_products([ProductFixture(f"P{n}") for n in range(4)])
    start = await harness.advance_clock(60)
    await harness.delete_product(created[0].id)
    await harness.delete_product(created[2].id)
    after = await harness.advance_clock(60)
    assert sorted(await harness.store.deleted_product_ids(start)) == sorted(
        [created[0].id, created[2].id]
    )
    assert await harness.store.deleted_product_ids(after) == []
    remaining = await collect(harness.store)
    assert sorted(item.id for item in remaining) == sorted([created[1].id, created[3].id])


async def test_locations_carry_their_active_flag(harness: StoreHarness) -> None:
    closed = await harness.add_location("Closed shop", active=False)
    locations = {location.id: location for location in await harness.store.locations()}
    assert len(locations) >= 2
    assert locations[closed].active is False
    assert any(location.active for location in locations.values())


async def test_stock_levels_for_more_items_than_one_request_takes(harness: StoreHarness) -> None:
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
    item_ids = [item for c in created for item in c.inventory_item_ids]
    assert len(item_ids) == 300
    levels = await harness.store.stock_levels([*item_ids, *item_ids[:10]])  # repeats are fine
    keys = [(level.inventory_item_id, level.location_id) for level in levels]
    assert len(keys) == len(set(keys)) == 600
    by_key = {(level.inventory_item_id, level.location_id): level.available for level in levels}
    for n, product in enumerate(created):
        for v, item in enumerate(product.inventory_item_ids):
            assert by_key[item, second] == 1000 + v
            others = [qty for (i, loc), qty in by_key.items() if i == item and loc != second]
            assert others == [n * 10 + v]
    assert await harness.store.stock_levels([]) == []


async def test_stock_changes_since_a_moment_and_all_of_them(harness: StoreHarness) -> None:
    products = [
        ProductFixture(f"P{n}", (VariantFixture(f"C{n}", stock=((None, n),)),)) for n in range(30)
    ]
    created = await harness.add_products(products)
    everything = await harness.store.stock_changes(None)
    assert {level.inventory_item_id for level in everything} >= {
        c.inventory_item_ids[0] for c in created
    }
    moment = await harness.advance_clock(120)
    changed = created[7].inventory_item_ids[0]
    await harness.set_stock(changed, 99)
    since = await harness.store.stock_changes(moment)
    assert [(level.inventory_item_id, level.available) for level in since] == [(changed, 99)]
    assert await harness.store.stock_changes(await harness.advance_clock(60)) == []


async def test_tracking_and_continue_selling_flags(harness: StoreHarness) -> None:
    await harness.add_products(
        [
            ProductFixture(
                "Flags",
                (
                    VariantFixture("TRACKED"),
                    VariantFixture("UNTRACKED", tracked=False),
                    VariantFixture("OVERSELL", continue_selling=True),
                ),
            )
        ]
    )
    [item] = await collect(harness.store)
    assert isinstance(item, Product)
    flags = {v.sku: (v.tracked, v.continue_selling) for v in item.variants}
    assert flags == {
        "TRACKED": (True, False),
        "UNTRACKED": (False, False),
        "OVERSELL": (True, True),
    }
    assert {v.price.currency for v in item.variants} == {harness.currency}


async def test_a_malformed_product_is_a_bad_record_and_the_rest_arrive(
    harness: StoreHarness,
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
    harness: StoreHarness,
) -> None:
    await harness.revoke_credentials()
    with pytest.raises(AuthError) as caught:
        await harness.store.locations()
    assert harness.secret not in str(caught.value)
    assert harness.secret not in repr(caught.value.args)


@pytest.mark.parametrize("kind", ["500", "503", "timeout"])
async def test_server_failures_are_retried(harness: StoreHarness, kind: Failure) -> None:
    await harness.fail_next(kind, times=2)
    assert await harness.store.locations()


@pytest.mark.parametrize("kind", ["503", "timeout"])
async def test_failures_that_persist_become_retriable_errors(
    harness: StoreHarness, kind: Failure
) -> None:
    await harness.fail_next(kind, times=50)
    with pytest.raises(RetriableError):
        await harness.store.locations()


async def test_throttling_that_persists_is_retriable_with_the_wait(harness: StoreHarness) -> None:
    await harness.fail_next("429", times=50, retry_after=0.05)
    with pytest.raises(RetriableError) as caught:
        await harness.store.locations()
    assert caught.value.retry_after == pytest.approx(0.05, abs=0.05)


async def test_retry_after_is_honoured(harness: StoreHarness) -> None:
    await harness.fail_next("429", times=2, retry_after=0.4)
    started = time.monotonic()
    assert await harness.store.locations()
    assert time.monotonic() - started >= 0.75  # two waits of 0.4 s, less timer slack


async def test_a_burst_stays_under_the_rate_limit(harness: StoreHarness) -> None:
    await harness.set_rate_limit(burst=40, per_second=2.0)
    results = await asyncio.gather(*(harness.store.locations() for _ in range(42)))
    assert all(results)
    assert await harness.throttled_responses() == 0
