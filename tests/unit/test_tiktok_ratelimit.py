from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.connectors.ratelimit import AdaptiveRate, Pacer, RateLimiter, RatePolicy


def test_pacer_spaces_starts_and_never_bursts():
    pacer = Pacer()
    assert pacer.wait(now=100.0, rate=50.0) == 0.0
    pacer.start(100.0)
    assert pacer.wait(now=100.0, rate=50.0) == pytest.approx(0.02)
    assert pacer.wait(now=100.015, rate=50.0) == pytest.approx(0.005)
    assert pacer.wait(now=100.02, rate=50.0) == 0.0


def test_pacer_measures_from_the_actual_start_so_late_callers_do_not_bunch():
    pacer = Pacer()
    pacer.start(0.0)
    # This caller woke 50 ms late; the next one must still wait a full interval after it.
    pacer.start(0.15)
    assert pacer.wait(now=0.15, rate=10.0) == pytest.approx(0.1)


def test_pacer_does_not_bank_idle_time():
    pacer = Pacer()
    pacer.start(0.0)
    assert pacer.wait(now=10.0, rate=10.0) == 0.0
    pacer.start(10.0)
    assert pacer.wait(now=10.0, rate=10.0) == pytest.approx(0.1)


@given(
    rate=st.floats(min_value=0.5, max_value=500.0),
    lateness=st.lists(st.floats(min_value=0.0, max_value=0.05), min_size=1, max_size=200),
)
def test_no_window_of_one_second_holds_more_than_the_rate(rate, lateness):
    pacer = Pacer()
    now = 0.0
    starts = []
    for late in lateness:  # each caller waits as told, then wakes up `late` seconds after
        now += pacer.wait(now, rate) + late
        pacer.start(now)
        starts.append(now)
    for index, start in enumerate(starts):
        # Starts are at least 1/rate apart, so a one-second window holds at most ceil(rate).
        in_window = [s for s in starts[index:] if s < start + 1.0 - 1e-6]
        assert len(in_window) <= math.ceil(rate)


def test_rate_starts_at_the_limit():
    rate = AdaptiveRate(RatePolicy(limit=50.0))
    assert rate.rate(now=0.0) == 50.0


def test_a_throttle_halves_the_rate_and_it_recovers_linearly():
    policy = RatePolicy(limit=50.0, decrease=0.5, floor_fraction=0.1, recovery_seconds=20.0)
    rate = AdaptiveRate(policy)
    assert rate.throttled(now=10.0)
    assert rate.rate(now=10.0) == pytest.approx(25.0)
    # Recovery climbs (50 - 5) / 20 = 2.25 per second.
    assert rate.rate(now=12.0) == pytest.approx(29.5)
    assert rate.rate(now=1000.0) == 50.0


def test_throttles_inside_the_cooldown_count_once():
    rate = AdaptiveRate(RatePolicy(limit=40.0, decrease=0.5, cooldown_seconds=1.0))
    assert rate.throttled(now=5.0)
    assert not rate.throttled(now=5.2)
    assert not rate.throttled(now=5.9)
    assert rate.rate(now=5.0) == pytest.approx(20.0)
    assert rate.throttled(now=6.1)
    assert rate.rate(now=6.1) < 20.0


def test_the_rate_never_drops_below_the_floor():
    policy = RatePolicy(limit=50.0, floor_fraction=0.1, cooldown_seconds=0.0)
    rate = AdaptiveRate(policy)
    for step in range(50):
        rate.throttled(now=float(step) * 1e-6)
    assert rate.rate(now=50e-6) >= 5.0 - 1e-9


@pytest.mark.parametrize(
    "kwargs",
    [
        {"limit": 0.0},
        {"decrease": 1.0},
        {"decrease": 0.0},
        {"floor_fraction": 0.0},
        {"recovery_seconds": 0.0},
        {"cooldown_seconds": -1.0},
    ],
)
def test_policy_rejects_nonsense(kwargs):
    with pytest.raises(ValueError, match="must"):
        RatePolicy(**kwargs)


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_limiter_keys_are_independent_and_throttles_slow_one_key():
    time = FakeTime()
    limiter = RateLimiter(RatePolicy(limit=10.0), clock=time.clock, sleep=time.sleep)
    await limiter.acquire("a")
    await limiter.acquire("b")
    assert time.slept == []  # each key has its own lane
    await limiter.acquire("a")
    assert time.slept == [pytest.approx(0.1)]
    assert time.now == pytest.approx(0.1)
    assert limiter.throttled("a")
    assert limiter.rate("a") == pytest.approx(5.0)
    assert limiter.rate("b") == 10.0


async def test_a_cut_rate_spaces_the_next_calls_further_apart():
    time = FakeTime()
    limiter = RateLimiter(RatePolicy(limit=10.0, decrease=0.5), clock=time.clock, sleep=time.sleep)
    await limiter.acquire("a")
    limiter.throttled("a")
    await limiter.acquire("a")
    assert time.slept == [pytest.approx(0.2)]
