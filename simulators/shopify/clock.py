"""The simulator clock: real time plus an offset that tests move forward, never back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SimClock:
    """Wall time of the simulated shop. Stored timestamps have whole seconds, as Shopify's do."""

    __slots__ = ("_offset",)

    def __init__(self) -> None:
        self._offset = timedelta(0)

    @property
    def offset(self) -> timedelta:
        return self._offset

    def now(self) -> datetime:
        """The current simulated moment, truncated to the second, in UTC."""
        return (datetime.now(UTC) + self._offset).replace(microsecond=0)

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("the simulator clock only moves forward")
        self._offset += timedelta(seconds=seconds)
        return self.now()
