"""Magento's pacing on the shared transport: none until the store (or a proxy in front of it,
Magento itself has no rate limit) answers 429; then every call waits out its ``Retry-After``
(or a second), so a burst does not keep hammering a store that asked for a pause."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from daemon.connectors.pause import PausePacing as _PausePacing


class PausePacing(_PausePacing):
    """The shared pause-on-429 pacing, logging as Magento's."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__("magento_throttled", clock=clock, sleep=sleep)
