"""Fault injection per endpoint: seeded random rules and a queue of faults for the next calls.

A fault is one of four effects, which every platform renders in its own words:

- ``error``: answer `status` (500, 503, 429 with `retry_after`, ...) without serving the call;
- ``timeout``: hold the call for `seconds`, then answer a gateway timeout; it is not served;
- ``slow``: hold the call for `seconds`, then serve it (the work happens even when the client
  stopped waiting, which is one way to lose an answer);
- ``drop``: serve the call (its changes are committed), then close the connection without an
  answer: the client sees a disconnect and cannot tell whether the call took effect.

Rules are looked up by endpoint name: a rule for the exact endpoint wins over a ``*`` rule.
One random draw decides a rule's outcome, so the same seed gives the same faults.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ANY_ENDPOINT = "*"
_ROUNDING = 1e-9  # probabilities given as decimals may add up to a hair over 1


class FaultKind(StrEnum):
    ERROR = "error"
    TIMEOUT = "timeout"
    SLOW = "slow"
    DROP = "drop"


@dataclass(frozen=True, slots=True)
class Fault:
    """One effect. `seconds` is the hold of ``timeout``/``slow``; `retry_after` goes with 429."""

    kind: FaultKind
    status: int = 0
    seconds: float = 0.0
    retry_after: float | None = None

    def __post_init__(self) -> None:
        if self.kind is FaultKind.ERROR and not 400 <= self.status <= 599:  # noqa: PLR2004 the HTTP error range
            raise ValueError("an error fault needs an HTTP status between 400 and 599")
        if self.seconds < 0 or (self.retry_after is not None and self.retry_after < 0):
            raise ValueError("fault seconds cannot be negative")

    @property
    def name(self) -> str:
        """What the call log shows: the status of an error (``"503"``), else the kind."""
        return str(self.status) if self.kind is FaultKind.ERROR else self.kind.value

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "status": self.status or None,
            "seconds": self.seconds,
            "retry_after": self.retry_after,
        }


@dataclass(frozen=True, slots=True)
class Chance:
    fault: Fault
    probability: float


@dataclass(frozen=True, slots=True)
class FaultRule:
    """Calls to `endpoint` (or ``*``) meet each fault with its probability (sum at most 1).

    `count` limits the rule to the next N matching calls, drawn or not; None keeps it on.
    Zero-probability chances are kept, so a platform can show the rule as it was given.
    """

    endpoint: str = ANY_ENDPOINT
    chances: tuple[Chance, ...] = ()
    count: int | None = None

    def __post_init__(self) -> None:
        if any(chance.probability < 0 for chance in self.chances):
            raise ValueError("fault probabilities cannot be negative")
        if sum(chance.probability for chance in self.chances) > 1 + _ROUNDING:
            raise ValueError("fault probabilities of one rule add up to more than 1")
        if self.count is not None and self.count < 1:
            raise ValueError("a rule's count must be at least 1")

    def pick(self, draw: float) -> Fault | None:
        for chance in self.chances:
            if chance.probability > 0 and draw < chance.probability:
                return chance.fault
            draw -= chance.probability
        return None


@dataclass(slots=True)
class QueuedFault:
    """`fault` on the next `times` calls to `endpoint` (``*`` for any), before any rule."""

    endpoint: str
    fault: Fault
    times: int = 1


@dataclass(slots=True)
class FaultPlan:
    """Everything at once: what ``POST /_sim/faults`` installs (replacing what was there)."""

    rules: list[FaultRule] = field(default_factory=list)
    queue: list[QueuedFault] = field(default_factory=list)
    seed: int | None = None


@dataclass(slots=True)
class ActiveRule:
    """A rule in force; `remaining` counts down the calls left to a counted rule."""

    rule: FaultRule
    remaining: int | None


class FaultInjector:
    """Decides, call by call, whether a fault hits; counts what it injected."""

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 repeatable faults, not security
        self._active: list[ActiveRule] = []
        self.queue: list[QueuedFault] = []
        self.injected = 0

    @property
    def seed(self) -> int:
        return self._seed

    def active(self) -> list[ActiveRule]:
        return list(self._active)

    def replace(self, plan: FaultPlan) -> None:
        """Install `plan` instead of every rule and queued fault; restart the generator."""
        self._active = [ActiveRule(rule, rule.count) for rule in plan.rules]
        self.queue = [queued for queued in plan.queue if queued.times > 0]
        self.reseed(self._seed if plan.seed is None else plan.seed)

    def set_rule(self, rule: FaultRule) -> None:
        """Add `rule`, replacing the rules for the same endpoint; the generator runs on."""
        self._active = [entry for entry in self._active if entry.rule.endpoint != rule.endpoint]
        self._active.append(ActiveRule(rule, rule.count))

    def enqueue(self, queued: Iterable[QueuedFault]) -> None:
        self.queue.extend(entry for entry in queued if entry.times > 0)

    def clear(self, endpoint: str | None = None) -> None:
        """Forget every rule and queued fault, or only those of `endpoint`."""
        if endpoint is None:
            self._active, self.queue = [], []
            return
        self._active = [entry for entry in self._active if entry.rule.endpoint != endpoint]
        self.queue = [queued for queued in self.queue if queued.endpoint != endpoint]

    def reseed(self, seed: int) -> None:
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 repeatable faults, not security

    def decide(self, endpoint: str) -> Fault | None:
        """The fault for this call to `endpoint`, if any: queued faults first, then a rule."""
        for queued in self.queue:
            if queued.endpoint in {ANY_ENDPOINT, endpoint}:
                queued.times -= 1
                if queued.times <= 0:
                    self.queue = [entry for entry in self.queue if entry is not queued]
                self.injected += 1
                return queued.fault
        entry = self._entry_for(endpoint)
        if entry is None:
            return None
        fault = entry.rule.pick(self._random.random())
        if entry.remaining is not None:
            entry.remaining -= 1
            if entry.remaining <= 0:
                self._active = [other for other in self._active if other is not entry]
        if fault is not None:
            self.injected += 1
        return fault

    def _entry_for(self, endpoint: str) -> ActiveRule | None:
        for wanted in (endpoint, ANY_ENDPOINT):
            for entry in self._active:
                if entry.rule.endpoint == wanted:
                    return entry
        return None

    def status(self) -> dict[str, Any]:
        """The kit's own view (``GET /_sim/faults`` of a simulator that keeps the kit format)."""
        return {
            "seed": self._seed,
            "injected": self.injected,
            "rules": [
                {
                    "endpoint": entry.rule.endpoint,
                    "count": entry.rule.count,
                    "remaining": entry.remaining,
                    "chances": [
                        {**chance.fault.as_json(), "probability": chance.probability}
                        for chance in entry.rule.chances
                    ],
                }
                for entry in self._active
            ],
            "queue": [
                {"endpoint": queued.endpoint, "times": queued.times, **queued.fault.as_json()}
                for queued in self.queue
            ],
        }
