"""The simulator clock: real time plus an offset that tests move forward."""

from __future__ import annotations

import time


class SimClock:
    """Simulator time in Unix seconds; `advance` moves it forward without sleeping."""

    __slots__ = ("_offset",)

    def __init__(self, offset: float = 0.0) -> None:
        self._offset = offset

    @property
    def offset(self) -> float:
        return self._offset

    def now(self) -> float:
        return time.time() + self._offset

    def now_int(self) -> int:
        return int(self.now())

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the simulator clock only moves forward")
        self._offset += seconds
