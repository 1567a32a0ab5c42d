"""Client side of BigCommerce's fixed rate window: spend the quota, never run into a 429.

Every answer reports the store's window (``X-Rate-Limit-Requests-Quota``, ``-Requests-Left``,
``-Time-Reset-Ms``, ``-Time-Window-Ms``). The pacer keeps the calls left in the window less the
calls in flight; when that reaches the reserve (kept for other apps sharing the window) a call
waits for the reset. Until the first answer tells the window, one call goes alone. A 429 holds
every caller until the reset it names (without the headers BigCommerce is overloaded: the
retry loop backs off). `WindowPacing` plugs the pacer into the shared transport loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import structlog

log = structlog.get_logger(__name__)

QUOTA = "X-Rate-Limit-Requests-Quota"
LEFT = "X-Rate-Limit-Requests-Left"
RESET_MS = "X-Rate-Limit-Time-Reset-Ms"
WINDOW_MS = "X-Rate-Limit-Time-Window-Ms"
_PROBE_POLL = 0.02
_MS = 1000.0


@dataclass(frozen=True)
class Window:
    quota: int
    left: int
    reset_seconds: float
    window_seconds: float | None


def _header(headers: Mapping[str, str], name: str) -> int | None:
    value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def parse_window(headers: Mapping[str, str]) -> Window | None:
    """The window an answer reports; None when its headers are absent or malformed."""
    quota, left, reset = (_header(headers, n) for n in (QUOTA, LEFT, RESET_MS))
    if quota is None or left is None or reset is None or quota == 0:
        return None
    window = _header(headers, WINDOW_MS)
    return Window(quota, left, reset / _MS, None if window is None else window / _MS)


class WindowPacer:
    """Paces one store's calls (BigCommerce counts them per store); safe for concurrent use."""

    def __init__(
        self,
        *,
        quota: int = 150,
        reserve: int = 5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if quota <= 0 or reserve < 0:
            raise ValueError("the quota must be positive and the reserve not negative")
        self.quota = quota
        self.reserve = reserve
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._left = quota
        self._reset_at = 0.0
        self._in_flight = 0
        self._calibrated = False
        self.waited = 0.0  # seconds spent waiting, for tests and benchmarks
        self.calls = 0

    @property
    def left(self) -> int:
        return self._left

    def _delay(self, now: float) -> float:
        if not self._calibrated:
            return _PROBE_POLL if self._in_flight > 0 else 0.0
        if now >= self._reset_at:
            self._left = max(self._left, self.quota)  # a new window has begun
        floor = min(self.reserve, max(0, self.quota - 1))
        if self._left - floor > 0:
            return 0.0
        return max(self._reset_at - now, _PROBE_POLL)

    async def acquire(self) -> None:
        """Wait until one more call fits in the window, then count it."""
        while True:
            async with self._lock:
                delay = self._delay(self._clock())
                if delay <= 0:
                    self._left -= 1
                    self._in_flight += 1
                    self.calls += 1
                    return
            self.waited += delay
            await self._sleep(delay)

    def observe(self, window: Window | None) -> None:
        """One call came back; learn the window it reports."""
        self._in_flight = max(0, self._in_flight - 1)
        if window is None:
            return
        self.quota = window.quota
        # Calls still in flight may not be counted in `left` yet: count them, to be safe.
        self._left = max(0, window.left - self._in_flight)
        self._reset_at = self._clock() + window.reset_seconds
        self._calibrated = True

    def throttled(self, window: Window | None, retry_after: float | None) -> None:
        """A 429: nothing is left until the reset it names."""
        wait = window.reset_seconds if window is not None else retry_after
        if wait is None:
            return  # overload without the headers: the retry loop backs off
        self._left = 0
        self._reset_at = max(self._reset_at, self._clock() + wait)
        self._calibrated = True


class WindowPacing:
    """The pacer as the shared transport loop's hooks (one window for every endpoint)."""

    def __init__(self, pacer: WindowPacer) -> None:
        self.pacer = pacer

    async def before(self, endpoint: str) -> None:
        del endpoint  # one window per store
        await self.pacer.acquire()

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        del endpoint, status  # every answer, failed or not, reports the window
        self.pacer.observe(parse_window(headers))

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        self.pacer.throttled(parse_window(headers), retry_after)
        log.info("bigcommerce_throttled", endpoint=endpoint, retry_after=retry_after)
