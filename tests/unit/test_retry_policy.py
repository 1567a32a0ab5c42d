from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.domain.retry import RetryPolicy

POLICY = RetryPolicy(timedelta(minutes=1), timedelta(hours=6), max_attempts=8)


def test_doubles_from_the_base() -> None:
    assert [POLICY.delay(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_capped() -> None:
    assert POLICY.delay(20) == timedelta(hours=6)
    assert POLICY.delay(10_000) == timedelta(hours=6)


def test_parks_at_max_attempts() -> None:
    assert not POLICY.parks(7)
    assert POLICY.parks(8)


def test_next_attempt_adds_the_delay() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert POLICY.next_attempt(3, now) == now + timedelta(minutes=4)


def test_attempts_start_at_one() -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        POLICY.delay(0)


@given(st.integers(min_value=1, max_value=500))
def test_delay_is_monotone_and_bounded(attempts: int) -> None:
    assert timedelta(minutes=1) <= POLICY.delay(attempts) <= timedelta(hours=6)
    assert POLICY.delay(attempts) <= POLICY.delay(attempts + 1)
