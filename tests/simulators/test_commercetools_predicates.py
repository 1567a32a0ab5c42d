"""The commercetools simulator's query predicates (``where=``), on resources as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from multidict import MultiDict

from simulators.commercetools.predicates import PredicateError, compile_predicate
from simulators.commercetools.routing import page

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


@dataclass(frozen=True)
class _Rec:
    id: str
    sku: str


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('(id > "b")', ["c", "d", "e"]),
        ('(sku != "X") and (id > "b")', ["c", "e"]),
        # An "or" at the top: the id term does not bound the whole query, nothing is skipped.
        ('(sku = "X") or (sku = "A") and (id > "d")', ["d"]),
    ],
)
def test_a_key_paged_query_starts_past_the_key_and_skips_nothing_it_must_not(
    where: str, expected: list[str]
) -> None:
    records = [_Rec(i, sku) for i, sku in zip("edcba", ["Y", "X", "Y", "A", "A"], strict=True)]
    query = MultiDict([("where", where), ("sort", "id asc"), ("withTotal", "false")])
    body = page(query, records, lambda r: {"id": r.id, "sku": r.sku}, lambda r: {"id": r.id})
    assert [r["id"] for r in body["results"]] == expected
