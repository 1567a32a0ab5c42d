from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.markets import MARKETS, SellerType, market_facts
from daemon.domain.models import Money
from daemon.domain.pricing import (
    currency_mismatch,
    desired_prices,
    price_problem,
    price_problems,
    shop_price,
)
from daemon.domain.problems import FieldProblem
from tests.domain_builders import gbp, make_variant

UK = market_facts("UK")


@pytest.mark.parametrize("amount", ["0.01", "1", "12.50", "5600", "5600.00"])
def test_uk_local_prices_inside_the_range_pass(amount) -> None:
    assert price_problem(make_variant(price=gbp(amount)), UK) is None


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("0", "0"), ("0.00", "0.00"), ("-3", "-3"), ("5600.01", "5,600.01"), ("12000", "12,000")],
)
def test_uk_local_prices_outside_the_range_fail_naming_sku_and_limit(amount, shown) -> None:
    variant = make_variant(sku="MUG-RED", price=gbp(amount))
    assert price_problem(variant, UK) == FieldProblem(
        "price",
        f"SKU MUG-RED costs {shown} GBP; TikTok accepts 0.01 to 5,600 GBP for UK local sellers",
        "MUG-RED",
    )


def test_uk_cross_border_has_its_own_range() -> None:
    variant = make_variant(sku="MUG", price=gbp("150"))
    assert price_problem(variant, UK, SellerType.LOCAL) is None
    problem = price_problem(variant, UK, SellerType.CROSS_BORDER)
    assert problem is not None
    assert "0.01 to 134.5 GBP for UK cross-border sellers" in problem.reason


def test_us_limit() -> None:
    us = market_facts("us")
    assert price_problem(make_variant(price=Money(Decimal(7600), "USD")), us) is None
    assert price_problem(make_variant(price=Money(Decimal(7601), "USD")), us) is not None


def test_markets_without_a_published_maximum_check_the_minimum_only() -> None:
    germany = market_facts("DE")
    assert price_problem(make_variant(price=Money(Decimal(10**6), "EUR")), germany) is None
    problem = price_problem(make_variant(sku="X", price=Money(Decimal(0), "EUR")), germany)
    assert problem is not None
    assert (
        problem.reason == "SKU X costs 0 EUR; TikTok accepts at least 0.01 EUR for DE local sellers"
    )


def test_too_many_decimals_is_a_problem_but_trailing_zeros_are_not() -> None:
    assert price_problem(make_variant(price=gbp("9.995")), UK) is not None
    assert price_problem(make_variant(price=gbp("9.990")), UK) is None
    japan = market_facts("JP")
    assert price_problem(make_variant(price=Money(Decimal("500.5"), "JPY")), japan) is not None
    assert price_problem(make_variant(price=Money(Decimal("500.00"), "JPY")), japan) is None


def test_wrong_currency_is_a_price_problem() -> None:
    variant = make_variant(sku="M", price=Money(Decimal(5), "EUR"))
    problem = price_problem(variant, UK)
    assert problem is not None
    assert problem.reason == "SKU M is priced in EUR; the UK shop sells in GBP"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_unusable_numbers_are_problems_not_crashes(amount) -> None:
    problem = price_problem(make_variant(price=gbp(amount)), UK)
    assert problem is not None
    assert problem.field == "price"


def test_a_variant_without_sku_is_named_by_its_id() -> None:
    problem = price_problem(make_variant("123", sku=None, price=gbp("0")), UK)
    assert problem is not None
    assert problem.reason.startswith("variant 123 (no SKU) costs 0 GBP")
    assert problem.sku is None


def test_desired_prices_leave_out_refused_prices_and_keep_currency_precision() -> None:
    variants = [
        make_variant("a", price=gbp("10")),
        make_variant("b", price=gbp("0")),
        make_variant("c", price=gbp("4.5")),
    ]
    desired = desired_prices(variants, UK)
    assert desired == {"a": gbp("10.00"), "c": gbp("4.50")}
    assert str(desired["a"].amount) == "10.00"
    assert [p.sku for p in price_problems(variants, UK)] == ["SKU-B"]


def test_shop_price_is_exact_for_large_amounts_and_absurd_ones_are_problems() -> None:
    japan = market_facts("JP")
    large = Decimal("99999999999999.0")
    assert shop_price(make_variant(price=Money(large, "JPY")), japan).amount == large
    absurd = make_variant(sku="Z", price=Money(Decimal("1E+15"), "JPY"))
    assert price_problem(absurd, japan) == FieldProblem("price", "SKU Z has no usable price", "Z")


@pytest.mark.parametrize(
    ("store", "shop", "expected"),
    [
        ("GBP", "GBP", None),
        (" gbp", "GBP", None),
        (
            "EUR",
            "GBP",
            (
                "the store's currency is EUR but the TikTok shop's is GBP; nothing is pushed until "
                "both use the same currency"
            ),
        ),
        (
            "",
            "GBP",
            (
                "the store's currency is (none) but the TikTok shop's is GBP; nothing is pushed "
                "until both use the same currency"
            ),
        ),
    ],
)
def test_currency_check(store, shop, expected) -> None:
    assert currency_mismatch(store, shop) == expected


def test_every_market_is_reachable_by_code_and_gb_is_the_uk() -> None:
    for code, facts in MARKETS.items():
        assert market_facts(code.lower()) is facts
    assert market_facts("GB") is UK
    with pytest.raises(ValueError, match="unknown TikTok Shop market 'XX'"):
        market_facts("XX")


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_price_checks_never_raise(amount) -> None:
    variant = make_variant(price=Money(amount, "GBP"))
    problem = price_problem(variant, UK)
    inside = amount.is_finite() and Decimal("0.01") <= amount <= 5600
    assert (problem is None) == (inside and amount == round(amount, 2))
