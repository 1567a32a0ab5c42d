"""Category mapping: which TikTok leaf category a store product is published in (DOMAIN.md 2).

A rule matches a product by product type, collection, tag, or explicit product id and names one
TikTok leaf category. Rules are tried in configuration order and the first match wins; a product
no rule matches is Unmapped. Product types, collections and tags compare without regard to case
or surrounding spaces; a product id rule matches the store id exactly or its trailing number
(``"123"`` matches a global id such as ``"gid://store/Product/123"``).

Once a product is on TikTok its category is fixed: when the rules would now put it elsewhere,
the change is reported and the product stays where it is (DOMAIN.md section 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from daemon.domain.models import Product


class MatchBy(StrEnum):
    PRODUCT_ID = "product_id"
    PRODUCT_TYPE = "product_type"
    COLLECTION = "collection"
    TAG = "tag"


@dataclass(frozen=True)
class CategoryRule:
    match_by: MatchBy
    value: str
    category_id: str
    category_name: str | None = None  # for messages, e.g. "Mugs"

    def __post_init__(self) -> None:
        if not self.value.strip():
            raise ValueError("a category rule needs a value to match")
        if not self.category_id.strip():
            raise ValueError("a category rule needs a TikTok category id")

    def describe(self) -> str:
        return f"{self.match_by.value.replace('_', ' ')} {self.value!r}"


@dataclass(frozen=True)
class CategoryRef:
    """A TikTok leaf category, with its name when the configuration gives one."""

    id: str
    name: str | None = None

    def __str__(self) -> str:
        return f"{self.id} ({self.name})" if self.name else self.id


@dataclass(frozen=True)
class CategoryMatch:
    category: CategoryRef
    rule: CategoryRule


def _key(text: str) -> str:
    return text.strip().casefold()


def _matches_id(product_id: str, wanted: str) -> bool:
    wanted = wanted.strip()
    return product_id == wanted or product_id.rsplit("/", 1)[-1] == wanted


def rule_matches(rule: CategoryRule, product: Product) -> bool:
    wanted = _key(rule.value)
    match rule.match_by:
        case MatchBy.PRODUCT_ID:
            return _matches_id(product.id, rule.value)
        case MatchBy.PRODUCT_TYPE:
            return product.product_type is not None and _key(product.product_type) == wanted
        case MatchBy.COLLECTION:
            return any(_key(collection) == wanted for collection in product.collections)
        case MatchBy.TAG:
            return any(_key(tag) == wanted for tag in product.tags)


def match_category(product: Product, rules: Iterable[CategoryRule]) -> CategoryMatch | None:
    """The first rule that matches, or None (the product is Unmapped)."""
    for rule in rules:
        if rule_matches(rule, product):
            return CategoryMatch(CategoryRef(rule.category_id, rule.category_name), rule)
    return None


class CategoryAction(StrEnum):
    UNMAPPED = "unmapped"  # no rule, not on TikTok: not a candidate
    PUBLISH = "publish"  # not on TikTok yet: publish in `category`
    KEEP = "keep"  # on TikTok and the rules agree (or no longer say anything)
    CONFLICT = "conflict"  # on TikTok, the rules now say another category: report, keep


@dataclass(frozen=True)
class CategoryDecision:
    action: CategoryAction
    category: CategoryRef | None  # the category the product is (or will be) in
    reason: str | None = None  # for CONFLICT, and for KEEP without a rule


def decide_category(match: CategoryMatch | None, published: CategoryRef | None) -> CategoryDecision:
    """What to do with a product's category, given the rules' match and where it is on TikTok."""
    if published is None:
        if match is None:
            return CategoryDecision(CategoryAction.UNMAPPED, None)
        return CategoryDecision(CategoryAction.PUBLISH, match.category)
    if match is None:
        return CategoryDecision(
            CategoryAction.KEEP,
            published,
            f"no category rule matches any more; it stays in category {published} on TikTok",
        )
    if match.category.id == published.id:
        return CategoryDecision(CategoryAction.KEEP, published)
    return CategoryDecision(
        CategoryAction.CONFLICT,
        published,
        f"the rule for {match.rule.describe()} now maps it to category {match.category}, but it "
        f"is on TikTok in category {published}; a published product's category cannot change. "
        "Change the category in TikTok Seller Center, or delete it on TikTok to re-create it",
    )


def rules_for_unknown_categories(
    rules: Sequence[CategoryRule], leaf_categories: Iterable[str]
) -> list[str]:
    """Rules naming a category that is not a TikTok leaf category (for `check-config`)."""
    leaves = set(leaf_categories)
    return [
        f"the rule for {rule.describe()} names category {rule.category_id}, which is not a "
        "TikTok leaf category for this shop"
        for rule in rules
        if rule.category_id not in leaves
    ]
