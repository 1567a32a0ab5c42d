from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.diff import (
    InventoryUpdate,
    PriceUpdate,
    SkuPrice,
    SkuQuantities,
    inventory_after,
    inventory_updates,
    price_updates,
    prices_after,
)
from daemon.domain.inventory import StockKey
from daemon.domain.models import Money
from tests.domain_builders import gbp

PRODUCT_OF = {"v1": "P1", "v2": "P1", "v3": "P2"}
DESIRED = {
    StockKey("v1", "alpha"): 5,
    StockKey("v1", "beta"): 0,
    StockKey("v2", "alpha"): 3,
    StockKey("v2", "beta"): 1,
    StockKey("v3", "alpha"): 9,
}


def test_nothing_pushed_yet_sends_everything_grouped_per_product() -> None:
    assert inventory_updates(DESIRED, {}, PRODUCT_OF) == (
        InventoryUpdate(
            "P1",
            (
                SkuQuantities("v1", (("alpha", 5), ("beta", 0))),
                SkuQuantities("v2", (("alpha", 3), ("beta", 1))),
            ),
        ),
        InventoryUpdate("P2", (SkuQuantities("v3", (("alpha", 9),)),)),
    )


def test_one_changed_cell_sends_all_warehouses_of_that_sku_only() -> None:
    pushed = dict(DESIRED)
    pushed[StockKey("v2", "beta")] = 4
    assert inventory_updates(DESIRED, pushed, PRODUCT_OF) == (
        InventoryUpdate("P1", (SkuQuantities("v2", (("alpha", 3), ("beta", 1))),)),
    )


def test_unchanged_products_cost_nothing() -> None:
    assert inventory_updates(DESIRED, DESIRED, PRODUCT_OF) == ()


def test_unpublished_variants_and_stale_pushed_cells_are_ignored() -> None:
    desired = {StockKey("v1", "alpha"): 5, StockKey("unlinked", "alpha"): 8}
    pushed = {StockKey("v1", "alpha"): 5, StockKey("v1", "dropped-warehouse"): 2}
    assert inventory_updates(desired, pushed, PRODUCT_OF) == ()


def test_prices_only_changed_skus_grouped_per_product() -> None:
    desired = {"v1": gbp("10.00"), "v2": gbp("4.50"), "v3": gbp("7.00"), "nope": gbp("1.00")}
    pushed = {"v1": gbp("10.0"), "v2": gbp("4.00")}
    assert price_updates(desired, pushed, PRODUCT_OF) == (
        PriceUpdate("P1", (SkuPrice("v2", gbp("4.50")),)),
        PriceUpdate("P2", (SkuPrice("v3", gbp("7.00")),)),
    )


def test_a_currency_change_is_a_price_change() -> None:
    desired = {"v1": Money(Decimal(10), "EUR")}
    assert price_updates(desired, {"v1": gbp("10")}, PRODUCT_OF) == (
        PriceUpdate("P1", (SkuPrice("v1", Money(Decimal(10), "EUR")),)),
    )


variant_ids = st.sampled_from(["v1", "v2", "v3", "v4", "v5"])
warehouses = st.sampled_from(["alpha", "beta", "gamma"])
cells = st.dictionaries(st.builds(StockKey, variant_ids, warehouses), st.integers(0, 20))
products = st.dictionaries(variant_ids, st.sampled_from(["P1", "P2", "P3"]))
prices = st.dictionaries(
    variant_ids,
    st.builds(gbp, st.decimals(min_value=0, max_value=100, places=2).map(str)),
)


@given(cells, cells, products)
def test_applying_the_inventory_diff_then_diffing_again_yields_nothing(desired, pushed, owner):
    updates = inventory_updates(desired, pushed, owner)
    assert inventory_updates(desired, inventory_after(pushed, updates), owner) == ()


@given(cells, cells, products)
def test_inventory_updates_carry_every_desired_warehouse_of_a_changed_sku(desired, pushed, owner):
    for update in inventory_updates(desired, pushed, owner):
        for sku in update.skus:
            assert owner[sku.variant_id] == update.product_id
            expected = {w: q for (v, w), q in desired.items() if v == sku.variant_id}
            assert dict(sku.quantities) == expected
            assert any(pushed.get(StockKey(sku.variant_id, w)) != q for w, q in sku.quantities)


@given(prices, prices, products)
def test_applying_the_price_diff_then_diffing_again_yields_nothing(desired, pushed, owner):
    updates = price_updates(desired, pushed, owner)
    assert price_updates(desired, prices_after(pushed, updates), owner) == ()
    sent = {sku.variant_id for update in updates for sku in update.skus}
    assert sent == {v for v in desired if v in owner and pushed.get(v) != desired[v]}
