"""Client side of Shopify's leaky bucket: stay below the top instead of running into 429s.

The shop reports its bucket on every answer (``X-Shopify-Shop-Api-Call-Limit: used/size``);
between answers the pacer assumes the bucket drains at `leak_rate` calls per second (2 on the
Standard plan). A call starts only when the estimated level plus this call stays at or
below ``size - headroom``; otherwise it waits for the leak. Until the first answer tells the
real level, one call goes alone. A 429 pauses every caller for its ``Retry-After``.

The estimate after an answer is the reported level plus the calls still in flight (some may
be counted twice, which errs on the safe side). `BucketPacing` plugs the bucket into the
shared transport loop as its pacing hooks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import structlog

log = structlog.get_logger(__name__)

# Shopify's Standard-plan bucket, used until the first answer gives the real size.
DEFAULT_BUCKET_SIZE = 40
CALL_LIMIT_HEADER = "X-Shopify-Shop-Api-Call-Limit"
_PROBE_POLL = 0.02


@dataclass(frozen=True)
class CallLimit:
    used: int
    size: int


def parse_call_limit(value: str | None) -> CallLimit | None:
    """Read ``"32/40"``; None when absent or malformed."""
    if not value:
        return None
    used, _, size = value.partition("/")
    if not (used.strip().isdigit() and size.strip().isdigit()) or int(size) == 0:
        return None
    return CallLimit(int(used), int(size))


class BucketPacer:
    """Paces one shop's calls; safe for concurrent callers."""

    def __init__(
        self,
        *,
        leak_rate: float = 2.0,
        headroom: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if leak_rate <= 0 or headroom < 0:
            raise ValueError("the leak rate must be positive and the headroom not negative")
        self.leak_rate = leak_rate
        self.headroom = headroom
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._size = DEFAULT_BUCKET_SIZE
        self._level = 0.0
        self._stamp = clock()
        self._in_flight = 0
        self._calibrated = False
        self._paused_until = 0.0
        self.waited = 0.0  # seconds spent waiting, for tests and metrics

    @property
    def size(self) -> int:
        return self._size

    def level(self) -> float:
        """The estimated number of calls in the bucket now."""
        now = self._clock()
        return max(0.0, self._level - (now - self._stamp) * self.leak_rate)

    def _delay(self, now: float) -> float:
        if not self._calibrated and self._in_flight > 0:
            return min(_PROBE_POLL, 1.0 / self.leak_rate)  # the first answer tells the level
        pause = self._paused_until - now
        ceiling = max(1, self._size - self.headroom)
        over = self.level() + 1 - ceiling
        return max(pause, over / self.leak_rate, 0.0)

    async def acquire(self) -> None:
        """Wait until one more call fits, then count it."""
        while True:
            async with self._lock:
                now = self._clock()
                delay = self._delay(now)
                if delay <= 0:
                    self._level = self.level() + 1
                    self._stamp = now
                    self._in_flight += 1
                    return
            self.waited += delay
            await self._sleep(delay)

    def observe(self, limit: CallLimit | None) -> None:
        """One call came back (with or without the header); forget it as in flight."""
        self._in_flight = max(0, self._in_flight - 1)
        if limit is None:
            return
        self._size = limit.size
        self._level = float(limit.used + self._in_flight)
        self._stamp = self._clock()
        self._calibrated = True

    def throttled(self, retry_after: float | None, *, reported: bool) -> None:
        """The shop answered 429: hold every caller for `retry_after` (or one leak step).

        Without a reported level (`reported` False) the bucket is taken to be full.
        """
        wait = retry_after if retry_after is not None else 1.0 / self.leak_rate
        now = self._clock()
        self._paused_until = max(self._paused_until, now + wait)
        if not reported:
            self._level = max(self.level(), float(self._size))
            self._stamp = now


class BucketPacing:
    """One shop's bucket as the shared transport loop's pacing hooks (the same bucket for
    every endpoint: Shopify counts calls per shop)."""

    def __init__(self, pacer: BucketPacer) -> None:
        self.pacer = pacer

    async def before(self, endpoint: str) -> None:
        del endpoint  # one bucket per shop
        await self.pacer.acquire()

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        del endpoint, status  # every answer, failed or not, may report the level
        self.pacer.observe(parse_call_limit(headers.get(CALL_LIMIT_HEADER)))

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        reported = parse_call_limit(headers.get(CALL_LIMIT_HEADER)) is not None
        self.pacer.throttled(retry_after, reported=reported)
        log.info("shopify_throttled", endpoint=endpoint, retry_after=retry_after)
