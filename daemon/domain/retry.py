"""Backoff for records waiting in the retry queue (DOMAIN.md section 10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    base_delay: timedelta
    max_delay: timedelta
    max_attempts: int

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: base * 2**(attempts-1), capped."""
        if attempts < 1:
            raise ValueError("attempts counts failures and starts at 1")
        exponent = min(attempts - 1, 40)  # 2**40 times any sane base is past every cap
        delay: timedelta = self.base_delay * (2**exponent)
        return min(delay, self.max_delay)

    def next_attempt(self, attempts: int, now: datetime) -> datetime:
        return now + self.delay(attempts)

    def parks(self, attempts: int) -> bool:
        """True when a record has failed often enough to wait for a person instead."""
        return attempts >= self.max_attempts
