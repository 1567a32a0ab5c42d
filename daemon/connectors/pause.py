"""Pacing for a store without published rate limits: none until the store (or a proxy in
front of it) answers 429; then every call waits out its ``Retry-After`` (or a second), so a
burst does not keep hammering a store that asked for a pause."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

import structlog

log = structlog.get_logger(__name__)

_DEFAULT_PAUSE = 1.0


class PausePacing:
    """The `Pacing` of a store without published limits: pause on a 429, else go. `event`
    is the log line a pause writes."""

    def __init__(
        self,
        event: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._event = event
        self._clock = clock
        self._sleep = sleep
        self._paused_until = 0.0

    async def before(self, endpoint: str) -> None:
        del endpoint
        wait = self._paused_until - self._clock()
        if wait > 0:
            await self._sleep(wait)

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """No rate headers to learn from."""

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        del headers
        wait = _DEFAULT_PAUSE if retry_after is None else retry_after
        self._paused_until = max(self._paused_until, self._clock() + wait)
        log.info(self._event, endpoint=endpoint, retry_after=retry_after)
