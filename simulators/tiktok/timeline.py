"""Things due at a future simulator time (hold release, review verdict, deadlines), in a heap.

Webhook retries are the kit's sender's own business."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from enum import StrEnum


class DueKind(StrEnum):
    RELEASE_HOLD = "release_hold"
    REVIEW = "review"
    CANCEL_DEADLINE = "cancel_deadline"
    REFUND_COMPLETE = "refund_complete"


@dataclass(frozen=True, slots=True)
class Due:
    """`ref` names the entity; `version` lets a superseded event be ignored when it fires."""

    kind: DueKind
    ref: str
    version: int = 0


class Timeline:
    """A min-heap of due events: O(log n) to schedule and to pop."""

    __slots__ = ("_heap", "_seq")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Due]] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def schedule(self, when: float, due: Due) -> None:
        heapq.heappush(self._heap, (when, next(self._seq), due))

    def pop_due(self, now: float) -> list[tuple[float, Due]]:
        """Remove and return every event due at or before `now`, earliest first."""
        fired: list[tuple[float, Due]] = []
        while self._heap and self._heap[0][0] <= now:
            when, _, due = heapq.heappop(self._heap)
            fired.append((when, due))
        return fired

    def pending(self) -> list[tuple[float, Due]]:
        return [(when, due) for when, _, due in sorted(self._heap)]
