"""The simulated clock: real time plus an offset that tests move forward, never back."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime


class SimClock:
    """Simulator time in Unix seconds. `advance` and `set` move it on without sleeping.

    Real time keeps flowing underneath, so a running simulator ages like the platform does;
    a test that needs an hour to pass moves the offset instead of waiting.
    """

    __slots__ = ("_offset", "_wall")

    def __init__(self, offset: float = 0.0, *, wall: Callable[[], float] = time.time) -> None:
        self._offset = offset
        self._wall = wall

    @property
    def offset(self) -> float:
        """Seconds the simulator is ahead of real time."""
        return self._offset

    def now(self) -> float:
        return self._wall() + self._offset

    def now_int(self) -> int:
        return int(self.now())

    def moment(self) -> datetime:
        """The current simulated moment in UTC, truncated to whole seconds."""
        return datetime.fromtimestamp(self.now_int(), UTC)

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds` (never back); answers the new time."""
        if seconds < 0:
            raise ValueError("the simulator clock only moves forward")
        self._offset += seconds
        return self.now()

    def set(self, when: float) -> float:
        """Move forward to the Unix time `when`; a time in the simulated past is refused."""
        ahead = when - self.now()
        if ahead < 0:
            raise ValueError("the simulator clock only moves forward")
        return self.advance(ahead)
