"""The call log: every platform request a simulator answered, for tests to read back."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulators.kit.clock import SimClock

DEFAULT_MAX_CALLS = 200_000


@dataclass(frozen=True, slots=True)
class Call:
    """One answered request. `at` is simulator time; `extra` holds platform fields (a
    business code, a shop id) that the platform's control view shows and filters on."""

    seq: int
    at: float
    method: str
    path: str
    query: Mapping[str, str]
    endpoint: str
    status: int
    fault: str | None = None
    duration_ms: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallQuery:
    """Filters of ``GET /_sim/calls``; None means "any". `limit` keeps the most recent N."""

    endpoint: str | None = None
    method: str | None = None
    path_prefix: str | None = None
    status: int | None = None
    after_seq: int = 0
    since: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    limit: int | None = None

    def matches(self, call: Call) -> bool:
        return (
            call.seq > self.after_seq
            and (self.since is None or call.at >= self.since)
            and (self.endpoint is None or call.endpoint == self.endpoint)
            and (self.method is None or call.method == self.method.upper())
            and (self.path_prefix is None or call.path.startswith(self.path_prefix))
            and (self.status is None or call.status == self.status)
            and all(call.extra.get(key) == value for key, value in self.extra.items())
        )


class CallLog:
    """The most recent `max_calls` calls, oldest first, numbered from 1."""

    def __init__(self, clock: SimClock, max_calls: int = DEFAULT_MAX_CALLS) -> None:
        self._clock = clock
        self._calls: deque[Call] = deque(maxlen=max_calls)
        self._seq = 0

    def record(
        self,
        *,
        method: str,
        path: str,
        query: Mapping[str, str],
        endpoint: str,
        status: int,
        fault: str | None = None,
        duration_ms: float = 0.0,
        extra: Mapping[str, Any] | None = None,
    ) -> Call:
        self._seq += 1
        call = Call(
            seq=self._seq,
            at=self._clock.now(),
            method=method,
            path=path,
            query=dict(query),
            endpoint=endpoint,
            status=status,
            fault=fault,
            duration_ms=duration_ms,
            extra=dict(extra or {}),
        )
        self._calls.append(call)
        return call

    def select(self, query: CallQuery) -> list[Call]:
        found = [call for call in self._calls if query.matches(call)]
        if query.limit is not None:
            found = found[-query.limit :] if query.limit > 0 else []
        return found

    def clear(self) -> None:
        self._calls.clear()

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[Call]:
        return iter(self._calls)
