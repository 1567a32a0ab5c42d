"""Fault injection (500, 503, hangs, slow answers) and the per-(shop, endpoint) rate limiter."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

#: Operation name that applies a fault spec or a rate to every endpoint.
ALL_OPERATIONS = "*"
MAX_HANG_SECONDS = 120.0


class FaultKind(StrEnum):
    ERROR_500 = "500"
    ERROR_503 = "503"
    TIMEOUT = "timeout"
    SLOW = "slow"


class FaultSpec(BaseModel):
    """Per-endpoint fault probabilities; `count` limits the spec to the next N requests."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    operation: str = ALL_OPERATIONS
    p_500: float = Field(default=0.0, ge=0.0, le=1.0)
    p_503: float = Field(default=0.0, ge=0.0, le=1.0)
    p_timeout: float = Field(default=0.0, ge=0.0, le=1.0)
    p_slow: float = Field(default=0.0, ge=0.0, le=1.0)
    slow_seconds: float = Field(default=1.0, ge=0.0, le=MAX_HANG_SECONDS)
    timeout_seconds: float = Field(default=10.0, ge=0.0, le=MAX_HANG_SECONDS)
    count: int | None = Field(default=None, ge=1)


@dataclass(frozen=True, slots=True)
class FaultDecision:
    kind: FaultKind
    seconds: float = 0.0


class FaultInjector:
    """Draws faults from a seeded generator, so a run with the same seed fails the same way."""

    __slots__ = ("_remaining", "_rng", "_specs")

    def __init__(self, seed: int) -> None:
        # Not cryptography: a seeded generator is the point, it makes fault runs repeatable.
        self._rng = random.Random(seed)  # noqa: S311
        self._specs: dict[str, FaultSpec] = {}
        self._remaining: dict[str, int] = {}

    def set(self, spec: FaultSpec) -> None:
        self._specs[spec.operation] = spec
        if spec.count is None:
            self._remaining.pop(spec.operation, None)
        else:
            self._remaining[spec.operation] = spec.count

    def clear(self, operation: str | None = None) -> None:
        if operation is None:
            self._specs.clear()
            self._remaining.clear()
        else:
            self._specs.pop(operation, None)
            self._remaining.pop(operation, None)

    def reseed(self, seed: int) -> None:
        self._rng.seed(seed)

    def specs(self) -> list[FaultSpec]:
        return list(self._specs.values())

    def decide(self, operation: str) -> FaultDecision | None:
        key = operation if operation in self._specs else ALL_OPERATIONS
        spec = self._specs.get(key)
        if spec is None:
            return None
        decision = self._draw(spec)
        if key in self._remaining:
            self._remaining[key] -= 1
            if self._remaining[key] <= 0:
                self.clear(key)
        return decision

    def _draw(self, spec: FaultSpec) -> FaultDecision | None:
        roll = self._rng.random()
        thresholds = (
            (spec.p_500, FaultDecision(FaultKind.ERROR_500)),
            (spec.p_503, FaultDecision(FaultKind.ERROR_503)),
            (spec.p_timeout, FaultDecision(FaultKind.TIMEOUT, spec.timeout_seconds)),
            (spec.p_slow, FaultDecision(FaultKind.SLOW, spec.slow_seconds)),
        )
        cumulative = 0.0
        for probability, decision in thresholds:
            cumulative += probability
            if probability > 0 and roll < cumulative:
                return decision
        return None


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
