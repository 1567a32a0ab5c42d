"""Shopify's REST leaky bucket: one per access token, `size` calls, leaking `rate` per second."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Admission:
    """The bucket's answer to one call."""

    allowed: bool
    used: int  # what X-Shopify-Shop-Api-Call-Limit reports
    size: int
    retry_after: float  # seconds until one call fits; 0 when allowed

    @property
    def header(self) -> str:
        return f"{self.used}/{self.size}"


class LeakyBucket:
    __slots__ = ("_clock", "_level", "_stamp", "rate", "size")

    def __init__(self, size: int, rate: float, clock: Callable[[], float]) -> None:
        self.size = size
        self.rate = rate
        self._clock = clock
        self._level = 0.0
        self._stamp = clock()

    def level(self) -> float:
        now = self._clock()
        self._level = max(0.0, self._level - (now - self._stamp) * self.rate)
        self._stamp = now
        return self._level

    def take(self) -> Admission:
        level = self.level()
        if level + 1 > self.size:
            wait = (level + 1 - self.size) / self.rate
            return Admission(
                allowed=False, used=self.size, size=self.size, retry_after=math.ceil(wait * 10) / 10
            )
        self._level = level + 1
        return Admission(allowed=True, used=math.ceil(self._level), size=self.size, retry_after=0.0)


class Buckets:
    """The buckets of every token, sharing one size and leak rate that tests may change."""

    def __init__(self, size: int, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if size < 1 or rate <= 0:
            raise ValueError("a bucket needs a size of at least 1 and a positive leak rate")
        self.size = size
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, LeakyBucket] = {}

    def take(self, token: str) -> Admission:
        bucket = self._buckets.get(token)
        if bucket is None:
            bucket = self._buckets[token] = LeakyBucket(self.size, self.rate, self._clock)
        return bucket.take()

    def configure(self, *, size: int | None, rate: float | None, reset: bool) -> None:
        if size is not None and size < 1:
            raise ValueError("the bucket size must be at least 1")
        if rate is not None and rate <= 0:
            raise ValueError("the leak rate must be positive")
        self.size = self.size if size is None else size
        self.rate = self.rate if rate is None else rate
        if reset:
            self._buckets.clear()
        for bucket in self._buckets.values():
            bucket.size = self.size
            bucket.rate = self.rate

    def status(self) -> dict[str, object]:
        return {
            "size": self.size,
            "leak_rate": self.rate,
            "levels": {
                token[:6] + "…": round(bucket.level(), 3) for token, bucket in self._buckets.items()
            },
        }
