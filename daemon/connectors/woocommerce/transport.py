"""Pacing for a store with no rate limit of its own: none, until something in front of it
(a host's firewall, a CDN) answers 429. Then every call to the store waits out the
``Retry-After`` (or a second) before it starts, not only the one being retried, since such
limits count the whole site's traffic."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

import structlog

log = structlog.get_logger(__name__)

DEFAULT_HOLD_SECONDS = 1.0


class ThrottleHold:
    """The shared transport loop's `Pacing` hooks for a WooCommerce store."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._until = 0.0

    async def before(self, endpoint: str) -> None:
        del endpoint
        wait = self._until - self._clock()
        if wait > 0:
            await self._sleep(wait)

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """WooCommerce sends no rate headers: nothing to learn."""

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        del headers
        wait = DEFAULT_HOLD_SECONDS if retry_after is None else retry_after
        self._until = max(self._until, self._clock() + wait)
        log.info("woocommerce_throttled", endpoint=endpoint, retry_after=retry_after)
