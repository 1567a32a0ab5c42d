"""Fault injection per endpoint: random (seeded, so repeatable) or queued for the next calls."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["500", "503", "429", "timeout", "slow"]
FAULT_KINDS: tuple[FaultKind, ...] = ("500", "503", "429", "timeout", "slow")


@dataclass(frozen=True, slots=True)
class FaultRule:
    """Probabilities (0..1) of each fault on calls to `endpoint` (a route name, or ``*``).

    ``timeout`` holds the call for `hang_seconds` (the simulator's default when None), long
    enough for the client to give up; ``slow`` delays a normal answer by `slow_seconds`.
    """

    endpoint: str = "*"
    error_500: float = 0.0
    error_503: float = 0.0
    error_429: float = 0.0
    timeout: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 1.0
    hang_seconds: float | None = None

    def __post_init__(self) -> None:
        total = self.error_500 + self.error_503 + self.error_429 + self.timeout + self.slow
        if min(self.error_500, self.error_503, self.error_429, self.timeout, self.slow) < 0:
            raise ValueError("fault probabilities cannot be negative")
        if total > 1:
            raise ValueError("fault probabilities of one rule add up to more than 1")

    def pick(self, draw: float) -> FaultKind | None:
        chances: tuple[tuple[FaultKind, float], ...] = (
            ("500", self.error_500),
            ("503", self.error_503),
            ("429", self.error_429),
            ("timeout", self.timeout),
            ("slow", self.slow),
        )
        for kind, chance in chances:
            if draw < chance:
                return kind
            draw -= chance
        return None


@dataclass(slots=True)
class QueuedFault:
    """`kind` on the next `times` calls to `endpoint` (``*`` for any)."""

    endpoint: str
    kind: FaultKind
    times: int
    seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    seconds: float


class FaultInjector:
    def __init__(self, seed: int, hang_seconds: float) -> None:
        self._seed = seed
        self._random = random.Random(seed)  # noqa: S311 repeatable faults, not security
        self._hang = hang_seconds
        self.rules: list[FaultRule] = []
        self.queue: list[QueuedFault] = []
        self.injected: int = 0

    def configure(
        self, *, seed: int | None, rules: list[FaultRule], queue: list[QueuedFault]
    ) -> None:
        if seed is not None:
            self._seed = seed
        self._random = random.Random(self._seed)  # noqa: S311 repeatable faults, not security
        self.rules = rules
        self.queue = [fault for fault in queue if fault.times > 0]

    def clear(self) -> None:
        self.configure(seed=None, rules=[], queue=[])

    def decide(self, endpoint: str) -> Fault | None:
        for queued in self.queue:
            if queued.endpoint in {"*", endpoint}:
                queued.times -= 1
                if queued.times <= 0:
                    self.queue.remove(queued)
                self.injected += 1
                return Fault(queued.kind, self._seconds(queued.kind, queued.seconds, None))
        for rule in self.rules:
            if rule.endpoint in {"*", endpoint}:
                kind = rule.pick(self._random.random())
                if kind is None:
                    return None
                self.injected += 1
                seconds = rule.slow_seconds if kind == "slow" else rule.hang_seconds
                return Fault(kind, self._seconds(kind, seconds, rule))
        return None

    def _seconds(self, kind: FaultKind, given: float | None, rule: FaultRule | None) -> float:
        if given is not None:
            return given
        if kind == "slow":
            return 1.0 if rule is None else rule.slow_seconds
        return self._hang

    def status(self) -> dict[str, Any]:
        return {
            "seed": self._seed,
            "injected": self.injected,
            "rules": [rule.endpoint for rule in self.rules],
            "queue": [
                {"endpoint": fault.endpoint, "kind": fault.kind, "times": fault.times}
                for fault in self.queue
            ],
        }
