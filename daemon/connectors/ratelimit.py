"""Client-side rate limiting: one adaptive pacer per key (for TikTok, per endpoint of a shop).

Requests of one key start one at a time, at least ``1 / rate`` seconds apart (no bursts), so
a platform that counts requests per second never sees more than `rate` of them in any
one-second window.

The rate adapts: each throttled answer (HTTP 429) cuts it multiplicatively, at most once per
cool-down so that a wave of 429s from requests already in flight counts as one signal; it then
climbs back linearly to the configured ceiling over `recovery_seconds`.

The maths (`AdaptiveRate`, `Pacer`) is pure and takes "now" as an argument; `RateLimiter`
adds the clock and the sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RatePolicy:
    """How fast to go and how to react to throttling.

    `limit` is requests per second per key. After a throttle the rate becomes
    ``max(floor, rate * decrease)``, where ``floor = limit * floor_fraction``, and climbs back
    by ``(limit - floor) / recovery_seconds`` per second.
    """

    limit: float = 50.0
    decrease: float = 0.5
    floor_fraction: float = 0.05
    recovery_seconds: float = 30.0
    cooldown_seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.limit <= 0:
            raise ValueError("the rate limit must be above zero")
        if not 0 < self.decrease < 1:
            raise ValueError("decrease must be between 0 and 1 (exclusive)")
        if not 0 < self.floor_fraction <= 1:
            raise ValueError("floor_fraction must be above 0 and at most 1")
        if self.recovery_seconds <= 0 or self.cooldown_seconds < 0:
            raise ValueError("recovery must be above zero and cool-down not negative")

    @property
    def floor(self) -> float:
        return self.limit * self.floor_fraction

    @property
    def recovery_per_second(self) -> float:
        return (self.limit - self.floor) / self.recovery_seconds


@dataclass
class AdaptiveRate:
    """The current allowed rate of one key: cut on throttling, linear recovery over time."""

    policy: RatePolicy
    cut_to: float | None = None  # the rate right after the last cut; None = never cut
    cut_at: float = 0.0

    def rate(self, now: float) -> float:
        if self.cut_to is None:
            return self.policy.limit
        recovered = self.cut_to + max(0.0, now - self.cut_at) * self.policy.recovery_per_second
        return min(self.policy.limit, recovered)

    def throttled(self, now: float) -> bool:
        """Record a throttle; True when it cut the rate (False inside the cool-down)."""
        if self.cut_to is not None and now - self.cut_at < self.policy.cooldown_seconds:
            return False
        self.cut_to = max(self.policy.floor, self.rate(now) * self.policy.decrease)
        self.cut_at = now
        return True


@dataclass
class Pacer:
    """Keeps consecutive starts at least ``1 / rate`` apart, measured from the actual start.

    Measuring from when a request really started (not from when its slot was planned) means
    a caller that wakes late never lets the next one catch up, so no window of one second
    ever holds more than `rate` starts.
    """

    last_start: float = float("-inf")

    def wait(self, now: float, rate: float) -> float:
        """How long to wait at `now` before the next start is allowed."""
        return max(0.0, self.last_start + 1.0 / rate - now)

    def start(self, now: float) -> None:
        self.last_start = now


@dataclass
class _Lane:
    rate: AdaptiveRate
    pacer: Pacer = field(default_factory=Pacer)
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)


class RateLimiter:
    """Adaptive pacing per key. Call `acquire` before each request and `throttled` on a 429."""

    def __init__(
        self,
        policy: RatePolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._lanes: dict[str, _Lane] = {}

    def _lane(self, key: str) -> _Lane:
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane(AdaptiveRate(self.policy))
        return lane

    async def acquire(self, key: str) -> None:
        """Wait for this key's next slot; callers of one key go one at a time, in order."""
        lane = self._lane(key)
        async with lane.turn:
            while (delay := lane.pacer.wait(self._clock(), lane.rate.rate(self._clock()))) > 0:
                await self._sleep(delay)
            lane.pacer.start(self._clock())

    def throttled(self, key: str) -> bool:
        """Tell the limiter the platform throttled a call; True when the rate was cut."""
        return self._lane(key).rate.throttled(self._clock())

    def rate(self, key: str) -> float:
        """The rate currently allowed for `key`, in requests per second."""
        return self._lane(key).rate.rate(self._clock())
