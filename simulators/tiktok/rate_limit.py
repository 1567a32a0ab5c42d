"""The per-(shop, endpoint) rate limiter (fault injection is the kit's)."""

from __future__ import annotations

import time
from dataclasses import dataclass

#: Operation name that applies a fault spec or a rate to every endpoint.
ALL_OPERATIONS = "*"


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets per (shop, operation), refilled in real time; burst = one second's worth.

    A rate of 0 or less switches the limit off.
    """

    __slots__ = ("_buckets", "_default_rate", "_overrides")

    def __init__(self, per_second: float) -> None:
        self._default_rate = per_second
        self._overrides: dict[str, float] = {}
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def set_rate(self, per_second: float, operation: str = ALL_OPERATIONS) -> None:
        if operation == ALL_OPERATIONS:
            self._default_rate = per_second
            self._overrides.clear()
        else:
            self._overrides[operation] = per_second
        self._buckets.clear()

    def rates(self) -> dict[str, float]:
        return {ALL_OPERATIONS: self._default_rate, **self._overrides}

    def allow(self, scope: str, operation: str) -> bool:
        rate = self._overrides.get(operation, self._default_rate)
        if rate <= 0:
            return True
        capacity = max(rate, 1.0)
        now = time.monotonic()
        bucket = self._buckets.get((scope, operation))
        if bucket is None:
            bucket = _Bucket(tokens=capacity, updated=now)
            self._buckets[(scope, operation)] = bucket
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True
        return False
