from __future__ import annotations

import pytest

from daemon.domain.categories import (
    CategoryAction,
    CategoryDecision,
    CategoryRef,
    CategoryRule,
    MatchBy,
    decide_category,
    match_category,
    rules_for_unknown_categories,
)
from tests.domain_builders import make_product

MUGS = CategoryRule(MatchBy.PRODUCT_TYPE, "Mug", "601226", "Mugs")
GIFTS = CategoryRule(MatchBy.COLLECTION, "Gift ideas", "700100", "Gift sets")
SALE = CategoryRule(MatchBy.TAG, "clearance", "800200")
ONE = CategoryRule(MatchBy.PRODUCT_ID, "42", "900300", "Special")


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        (make_product(product_type=" mug "), MUGS),
        (make_product(collections=frozenset({"GIFT IDEAS"})), GIFTS),
        (make_product(tags=frozenset({"new", "Clearance"})), SALE),
        (make_product("gid://shopify/Product/42"), ONE),
        (make_product("42"), ONE),
    ],
)
def test_each_kind_of_rule_matches(product, expected) -> None:
    match = match_category(product, [MUGS, GIFTS, SALE, ONE])
    assert match is not None
    assert match.rule == expected
    assert match.category == CategoryRef(expected.category_id, expected.category_name)


def test_first_match_wins_in_configuration_order() -> None:
    product = make_product("42", product_type="Mug", tags=frozenset({"clearance"}))
    first = match_category(product, [SALE, MUGS, ONE])
    second = match_category(product, [ONE, SALE])
    assert first is not None
    assert first.rule == SALE
    assert second is not None
    assert second.rule == ONE


def test_no_match_is_unmapped() -> None:
    product = make_product("421", product_type="Mugs", tags=frozenset({"clear"}))
    assert match_category(product, [MUGS, GIFTS, SALE, ONE]) is None
    assert match_category(product, []) is None


def test_rules_need_a_value_and_a_category() -> None:
    with pytest.raises(ValueError, match="value"):
        CategoryRule(MatchBy.TAG, " ", "1")
    with pytest.raises(ValueError, match="category"):
        CategoryRule(MatchBy.TAG, "x", "")


MUGS_MATCH = match_category(make_product(product_type="Mug"), [MUGS])
GIFTS_MATCH = match_category(make_product(collections=frozenset({"gift ideas"})), [GIFTS])


def test_not_on_tiktok_yet() -> None:
    assert decide_category(None, None) == CategoryDecision(CategoryAction.UNMAPPED, None)
    assert decide_category(MUGS_MATCH, None) == CategoryDecision(
        CategoryAction.PUBLISH, CategoryRef("601226", "Mugs")
    )


def test_on_tiktok_and_the_rules_agree() -> None:
    decision = decide_category(MUGS_MATCH, CategoryRef("601226"))
    assert decision == CategoryDecision(CategoryAction.KEEP, CategoryRef("601226"))


def test_on_tiktok_and_the_rules_now_disagree_is_reported_not_recreated() -> None:
    decision = decide_category(GIFTS_MATCH, CategoryRef("601226", "Mugs"))
    assert decision.action is CategoryAction.CONFLICT
    assert decision.category == CategoryRef("601226", "Mugs")
    assert decision.reason == (
        "the rule for collection 'Gift ideas' now maps it to category 700100 (Gift sets), but it "
        "is on TikTok in category 601226 (Mugs); a published product's category cannot change. "
        "Change the category in TikTok Seller Center, or delete it on TikTok to re-create it"
    )


def test_on_tiktok_and_no_rule_any_more_keeps_its_category() -> None:
    decision = decide_category(None, CategoryRef("601226", "Mugs"))
    assert decision.action is CategoryAction.KEEP
    assert decision.category == CategoryRef("601226", "Mugs")
    assert decision.reason is not None


def test_rules_naming_unknown_categories() -> None:
    assert rules_for_unknown_categories([MUGS, SALE], ["601226"]) == [
        (
            "the rule for tag 'clearance' names category 800200, which is not a TikTok leaf "
            "category for this shop"
        )
    ]
