from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.inventory import (
    DEFAULT_MAX_QUANTITY,
    InventoryRules,
    StockKey,
    WarehouseRule,
    default_warehouse_rules,
    desired_quantities,
    desired_quantity,
    quantity_from_stock,
    rules_problems,
    warehouse_sources,
)
from daemon.domain.models import Location, StockLevel
from tests.domain_builders import make_product, make_variant

A = Location("loc-a", "Location A", active=True)
B = Location("loc-b", "Location B", active=True)
CLOSED = Location("loc-c", "Old shop", active=False)
LOCATIONS = [A, B, CLOSED]


def levels(item: str, **by_location: int) -> list[StockLevel]:
    return [StockLevel(item, location, units) for location, units in by_location.items()]


def rules(percentage: str = "100", *warehouses: WarehouseRule, **other: int) -> InventoryRules:
    return InventoryRules(percentage=Decimal(percentage), warehouses=warehouses, **other)


# -- the five worked examples of DOMAIN.md section 4 -----------------------------------------


def test_example_985_available_at_80_percent_is_788() -> None:
    assert desired_quantity(make_variant(), 985, rules("80")) == 788


def test_example_all_active_locations_to_alpha_sums_to_300() -> None:
    product = make_product(variants=(make_variant("v1"),))
    stock = levels("item-v1", **{"loc-a": 100, "loc-b": 200})
    desired = desired_quantities(
        product, stock, LOCATIONS, rules("100", WarehouseRule(("*",), "alpha"))
    )
    assert desired == {StockKey("v1", "alpha"): 300}


def test_example_location_a_to_beta_at_80_percent_is_80_and_b_is_ignored() -> None:
    product = make_product(variants=(make_variant("v1"),))
    stock = levels("item-v1", **{"loc-a": 100, "loc-b": 200})
    desired = desired_quantities(
        product, stock, LOCATIONS, rules("80", WarehouseRule(("loc-a",), "beta"))
    )
    assert desired == {StockKey("v1", "beta"): 80}


@pytest.mark.parametrize(
    "variant",
    [make_variant(tracked=False), make_variant(continue_selling=True)],
    ids=["untracked", "continue-selling"],
)
def test_example_untracked_or_continue_selling_gets_the_platform_maximum(variant) -> None:
    assert desired_quantity(variant, 3, rules()) == DEFAULT_MAX_QUANTITY == 99_999
    assert desired_quantity(variant, 3, rules(max_quantity=999_999)) == 999_999


def test_example_one_available_at_90_percent_rounds_down_to_0() -> None:
    assert desired_quantity(make_variant(), 1, rules("90")) == 0


# -- the other steps --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "buffer", "threshold", "expected"),
    [
        (10, 2, 0, 8),
        (10, 10, 0, 0),
        (10, 12, 0, 0),  # never negative
        (10, 2, 8, 0),  # at the threshold: 0
        (10, 2, 7, 8),  # above it: sent as is
        (-4, 0, 0, 0),  # the store oversold
    ],
)
def test_buffer_and_threshold(available, buffer, threshold, expected) -> None:
    rule = rules(safety_buffer=buffer, out_of_stock_threshold=threshold)
    assert quantity_from_stock(available, rule) == expected


def test_clamped_to_the_platform_maximum() -> None:
    assert quantity_from_stock(250_000, rules()) == 99_999
    assert quantity_from_stock(250_000, rules(max_quantity=1_000)) == 1_000


def test_inactive_and_unknown_locations_never_count() -> None:
    product = make_product(variants=(make_variant("v1"),))
    stock = levels("item-v1", **{"loc-a": 5, "loc-c": 50, "loc-zzz": 70})
    all_active = rules("100", WarehouseRule(("*",), "alpha"))
    named_closed = rules("100", WarehouseRule(("loc-a", "loc-c"), "alpha"))
    assert desired_quantities(product, stock, LOCATIONS, all_active)[StockKey("v1", "alpha")] == 5
    assert desired_quantities(product, stock, LOCATIONS, named_closed)[StockKey("v1", "alpha")] == 5


def test_a_rule_may_name_locations_by_name_case_insensitively() -> None:
    sources = warehouse_sources([WarehouseRule(("location b ",), "w")], LOCATIONS)
    assert sources == {"w": frozenset({"loc-b"})}


def test_rules_for_one_warehouse_merge_without_counting_a_location_twice() -> None:
    product = make_product(variants=(make_variant("v1"),))
    stock = levels("item-v1", **{"loc-a": 100, "loc-b": 200})
    rule = rules("100", WarehouseRule(("loc-a",), "w"), WarehouseRule(("loc-a", "loc-b"), "w"))
    assert desired_quantities(product, stock, LOCATIONS, rule) == {StockKey("v1", "w"): 300}


def test_every_warehouse_of_every_variant_is_listed_even_at_zero() -> None:
    product = make_product(
        variants=(make_variant("v1"), make_variant("v2"), make_variant("v3", tracked=False))
    )
    stock = levels("item-v1", **{"loc-a": 7}) + levels("item-v2", **{"loc-b": 3})
    rule = rules("100", WarehouseRule(("loc-a",), "alpha"), WarehouseRule(("loc-b",), "beta"))
    assert desired_quantities(product, stock, LOCATIONS, rule) == {
        StockKey("v1", "alpha"): 7,
        StockKey("v1", "beta"): 0,
        StockKey("v2", "alpha"): 0,
        StockKey("v2", "beta"): 3,
        StockKey("v3", "alpha"): 99_999,
        StockKey("v3", "beta"): 99_999,
    }


def test_a_variant_without_stock_key_has_no_stock() -> None:
    product = make_product(variants=(make_variant("v1", stock_key=None),))
    stock = levels("item-v1", **{"loc-a": 7})
    rule = rules("100", *default_warehouse_rules("alpha"))
    assert desired_quantities(product, stock, LOCATIONS, rule) == {StockKey("v1", "alpha"): 0}


def test_rules_problems_name_unknown_locations_and_double_counting() -> None:
    problems = rules_problems(
        [WarehouseRule(("*",), "alpha"), WarehouseRule(("loc-a", "Nowhere"), "beta")], LOCATIONS
    )
    assert problems == [
        "location 'Nowhere' in the rule for warehouse beta is not a store location",
        (
            "location loc-a feeds several warehouses (alpha, beta): its stock is offered more than "
            "once and may oversell"
        ),
    ]
    assert rules_problems(default_warehouse_rules("alpha"), LOCATIONS) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"percentage": Decimal(101)},
        {"percentage": Decimal(-1)},
        {"safety_buffer": -1},
        {"max_quantity": 0},
    ],
)
def test_invalid_rules_are_refused(bad) -> None:
    with pytest.raises(ValueError, match=r"."):
        InventoryRules(**bad)


# -- properties -------------------------------------------------------------------------------

percentages = st.decimals(min_value=0, max_value=100, places=2)
any_rules = st.builds(
    InventoryRules,
    percentage=percentages,
    safety_buffer=st.integers(0, 500),
    out_of_stock_threshold=st.integers(0, 500),
    max_quantity=st.integers(1, 200_000),
)
stock_units = st.integers(-1_000, 1_000_000)


@given(stock_units, any_rules, st.booleans(), st.booleans())
def test_never_negative_never_above_the_maximum(available, rule, tracked, continues) -> None:
    variant = make_variant(tracked=tracked, continue_selling=continues)
    assert 0 <= desired_quantity(variant, available, rule) <= rule.max_quantity


@given(stock_units, st.integers(0, 1_000), any_rules)
def test_monotone_in_available_stock(available, more, rule) -> None:
    assert quantity_from_stock(available, rule) <= quantity_from_stock(available + more, rule)


@given(st.integers(0, DEFAULT_MAX_QUANTITY))
def test_full_percentage_without_buffer_is_the_identity_below_the_maximum(available) -> None:
    assert quantity_from_stock(available, InventoryRules()) == available


@given(st.integers(0, 10_000), percentages)
def test_percentage_rounds_down_and_never_exceeds_the_exact_share(available, percentage) -> None:
    got = quantity_from_stock(available, InventoryRules(percentage=percentage))
    exact = Decimal(available) * percentage / 100
    assert got <= exact < got + 1
