"""What is particular to the BigCommerce catalog side, against its simulator: categories as
product type and collections, read once for a whole pass; stock changes found through the
products' ``date_modified``."""

from __future__ import annotations

from daemon.domain.models import Product
from tests.support.bigcommerce import product, running, stocked
from tests.support.stores.bigcommerce import client_for


async def test_categories_are_read_once_for_a_pass_of_many_pages() -> None:
    async with running() as (simulator, sim):
        specs = [product(f"P{n}", category=f"Kind {n % 3}") for n in range(600)]
        await sim.products(*specs)
        async with client_for(simulator) as client:
            items = [item async for item in client.products()]
        assert len(items) == 600
        assert all(isinstance(item, Product) for item in items)
        first = items[0]
        assert isinstance(first, Product)
        assert (first.product_type, first.collections) == ("Kind 0", frozenset({"Kind 0"}))
        assert len(await sim.calls(endpoint="catalog.products.list")) == 3
        assert len(await sim.calls(endpoint="catalog.categories.list")) == 1


async def test_stock_changes_are_the_levels_of_products_modified_since() -> None:
    async with running() as (simulator, sim):
        [lamp, mug] = await sim.products(stocked("Lamp", 4), stocked("Mug", 5))
        since = await sim.advance(60)
        location = simulator.store.default_location
        item = {"variant_id": int(mug["variants"][0]["id"]), "location_id": location, "quantity": 9}
        await sim.sim("POST", "inventory", {"items": [item]})
        async with client_for(simulator) as client:
            changed = await client.stock_changes(since)
            everything = await client.stock_changes(None)
        assert [(level.stock_key, level.available) for level in changed] == [
            (mug["variants"][0]["id"], 9)
        ]
        assert {level.stock_key for level in everything} == {
            lamp["variants"][0]["id"],
            mug["variants"][0]["id"],
        }
