"""The state a feed-backed store keeps: the role for stores whose data arrives as files.

A store whose catalog, stock and prices come as feed files (not an API that can be asked)
must remember what the files said. Connectors own no state, so the runtime hands such a store
a `FeedState` backed by the ledger: the files already consumed (keyed by path, size and
modification time, so a file is applied once and a replaced file again) and the records the
files set, each with the time it changed and, once a feed deleted it, the time of deletion.
Records are plain JSON objects in named kinds ("product", "stock", ...) that only the
connector reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

Body = Mapping[str, Any]


@dataclass(frozen=True)
class FeedFile:
    """One file as the server lists it; the three fields together are its identity."""

    path: str
    size: int
    modified: str  # as listed (an HTTP date), compared, never parsed


@dataclass(frozen=True)
class FeedOutcome:
    file: FeedFile
    status: Literal["applied", "refused"]
    reason: str | None  # why a file was refused (the line and what is wrong)
    at: datetime


@dataclass(frozen=True)
class FeedRecord:
    kind: str
    key: str
    body: Body
    updated_at: datetime
    deleted_at: datetime | None


class FeedWrites(Protocol):
    """Writes inside the one transaction that applies a file."""

    async def get(self, kind: str, keys: Sequence[str]) -> dict[str, FeedRecord]: ...

    async def put(self, kind: str, records: Mapping[str, Body]) -> None:
        """Create or replace; a record that changes (or comes back) is stamped now."""
        ...

    async def delete(self, kind: str, keys: Sequence[str]) -> None:
        """Mark deleted now (kept, so deletions can be listed since a time)."""
        ...

    async def touch(self, kind: str, keys: Sequence[str]) -> None:
        """Stamp live records as changed now (what they depend on changed)."""
        ...


class FeedState(Protocol):
    async def outcome(self, file: FeedFile) -> FeedOutcome | None: ...

    def applying(self, file: FeedFile, now: datetime) -> AbstractAsyncContextManager[FeedWrites]:
        """One transaction: its writes and the file's "applied" outcome commit together."""
        ...

    async def refuse(self, file: FeedFile, reason: str, now: datetime) -> None: ...

    async def refusals(self) -> list[FeedOutcome]:
        """Refused files whose path has applied nothing since, newest first."""
        ...

    async def get(self, kind: str, keys: Sequence[str]) -> dict[str, FeedRecord]: ...

    async def page(
        self, kind: str, *, after: str, limit: int, updated_since: datetime | None = None
    ) -> list[FeedRecord]:
        """Live records in key order after `after`, changed at or after `updated_since`."""
        ...

    async def deleted_since(self, kind: str, since: datetime) -> list[FeedRecord]: ...

    async def put(self, kind: str, records: Mapping[str, Body], now: datetime) -> None:
        """Records the connector itself sets (not from a file), in a transaction of their own."""
        ...
