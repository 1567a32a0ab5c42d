"""The polling window every job shares, and what may be published (pure rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.bookmarks import advance, poll_from, poll_from_seconds, read_from
from daemon.domain.models import ProductState
from daemon.domain.publishable import not_for_sale
from tests.domain_builders import make_product

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
OVERLAP = timedelta(minutes=5)
BACKFILL = timedelta(days=7)

# Hypothesis wants naive bounds and adds the zone itself.
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 naive bound, zoned by `timezones`
    max_value=datetime(2030, 1, 1),  # noqa: DTZ001 naive bound, zoned by `timezones`
    timezones=st.just(UTC),
)


def test_the_first_poll_looks_back_the_backfill() -> None:
    assert poll_from(None, overlap=OVERLAP, now=NOW, backfill=BACKFILL) == NOW - BACKFILL
    assert poll_from_seconds(None, overlap=OVERLAP, now=NOW, backfill=BACKFILL) == int(
        (NOW - BACKFILL).timestamp()
    )


def test_later_polls_reread_the_overlap_before_the_bookmark() -> None:
    mark = NOW - timedelta(hours=1)
    assert poll_from(mark, overlap=OVERLAP, now=NOW, backfill=BACKFILL) == mark - OVERLAP
    assert poll_from_seconds(1_000, overlap=OVERLAP, now=NOW, backfill=BACKFILL) == 700


def test_seconds_never_go_below_zero() -> None:
    assert poll_from_seconds(100, overlap=OVERLAP, now=NOW, backfill=BACKFILL) == 0


@given(bookmark=moments, started=moments)
def test_a_window_always_covers_the_bookmark_and_advancing_never_goes_back(
    bookmark: datetime, started: datetime
) -> None:
    start = poll_from(bookmark, overlap=OVERLAP, now=NOW, backfill=BACKFILL)
    assert start <= bookmark
    assert read_from(bookmark, OVERLAP) == start
    assert advance(bookmark, started) >= bookmark
    assert advance(None, started) == started


def test_only_what_the_store_sells_may_be_published() -> None:
    product = make_product()
    assert not_for_sale(product) is None
    assert not_for_sale(replace(product, state=ProductState.DRAFT)) == "a draft in the store"
    assert not_for_sale(replace(product, state=ProductState.ARCHIVED)) == "archived in the store"
    assert not_for_sale(replace(product, published=False)) == "not published in the store"
