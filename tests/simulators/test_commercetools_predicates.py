"""The commercetools simulator's query predicates (``where=``), on resources as JSON."""

from __future__ import annotations

from typing import Any

import pytest

from simulators.commercetools.predicates import PredicateError, compile_predicate

ENTRY: dict[str, Any] = {
    "id": "b",
    "sku": "LAMP-1",
    "availableQuantity": 3,
    "lastModifiedAt": "2026-01-01T10:00:00.500Z",
    "supplyChannel": {"typeId": "channel", "id": "c1"},
    "roles": ["InventorySupply"],
    "variants": [{"sku": "A"}, {"sku": "B"}],
    "published": False,
}


@pytest.mark.parametrize(
    ("predicate", "matches"),
    [
        ('sku = "LAMP-1"', True),
        ('sku != "LAMP-1"', False),
        ('sku in ("X", "LAMP-1")', True),
        ('sku not in ("X", "LAMP-1")', False),
        ('id > "a" and availableQuantity >= 3', True),
        ("availableQuantity < 3 or published = false", True),
        ('lastModifiedAt >= "2026-01-01T10:00:00Z"', True),  # times compare as times
        ('lastModifiedAt >= "2026-01-01T10:00:01.000Z"', False),
        ('supplyChannel(id = "c1")', True),
        ('variants(sku = "B")', True),  # an array matches when any element does
        ('variants(sku = "C")', False),
        ('roles contains "InventorySupply"', True),
        ('roles contains any ("X", "Y")', False),
        ("restockableInDays is not defined", True),
        ("supplyChannel is defined", True),
        ('not (sku = "LAMP-1")', False),
        ('(sku = "X" or sku = "LAMP-1") and published = false', True),
        ('sku = "say \\"hi\\""', False),
    ],
)
def test_a_predicate_matches_as_documented(predicate: str, matches: bool) -> None:
    assert compile_predicate(predicate)(ENTRY) is matches


@pytest.mark.parametrize(
    "predicate",
    ['sku = "open', "sku =", "sku", 'sku = "A" and', 'sku in "A"', "(sku = 1", "= 1"],
)
def test_a_predicate_that_cannot_be_read_is_refused(predicate: str) -> None:
    with pytest.raises(PredicateError):
        compile_predicate(predicate)
