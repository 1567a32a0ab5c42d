"""`FeedState` for one shop, kept in the ledger: what a feed-backed store's files said."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from daemon.connectors.feeds import Body, FeedFile, FeedOutcome, FeedRecord
from daemon.ledger import Ledger, Tx
from daemon.ledger import feeds as rows


class _Writes:
    def __init__(self, tx: Tx, shop_id: str, now: datetime) -> None:
        self._tx = tx
        self._shop_id = shop_id
        self._now = now

    async def get(self, kind: str, keys: Sequence[str]) -> dict[str, FeedRecord]:
        return await rows.get_records(self._tx, self._shop_id, kind, keys)

    async def put(self, kind: str, records: Mapping[str, Body]) -> None:
        await rows.put_records(self._tx, self._shop_id, kind, records, self._now)

    async def delete(self, kind: str, keys: Sequence[str]) -> None:
        await rows.delete_records(self._tx, self._shop_id, kind, keys, self._now)

    async def touch(self, kind: str, keys: Sequence[str]) -> None:
        await rows.touch_records(self._tx, self._shop_id, kind, keys, self._now)


class LedgerFeedState:
    def __init__(self, ledger: Ledger, shop_id: str) -> None:
        self._ledger = ledger
        self._shop_id = shop_id

    async def outcome(self, file: FeedFile) -> FeedOutcome | None:
        async with self._ledger.read() as tx:
            return await rows.file_outcome(tx, self._shop_id, file)

    @asynccontextmanager
    async def applying(self, file: FeedFile, now: datetime) -> AsyncIterator[_Writes]:
        async with self._ledger.transaction() as tx:
            yield _Writes(tx, self._shop_id, now)
            await rows.record_outcome(tx, self._shop_id, file, reason=None, now=now)

    async def refuse(self, file: FeedFile, reason: str, now: datetime) -> None:
        async with self._ledger.transaction() as tx:
            await rows.record_outcome(tx, self._shop_id, file, reason=reason, now=now)

    async def refusals(self) -> list[FeedOutcome]:
        async with self._ledger.read() as tx:
            return await rows.refusals(tx, self._shop_id)

    async def get(self, kind: str, keys: Sequence[str]) -> dict[str, FeedRecord]:
        async with self._ledger.read() as tx:
            return await rows.get_records(tx, self._shop_id, kind, keys)

    async def page(
        self, kind: str, *, after: str, limit: int, updated_since: datetime | None = None
    ) -> list[FeedRecord]:
        async with self._ledger.read() as tx:
            return await rows.page_records(
                tx, self._shop_id, kind, after=after, limit=limit, updated_since=updated_since
            )

    async def deleted_since(self, kind: str, since: datetime) -> list[FeedRecord]:
        async with self._ledger.read() as tx:
            return await rows.deleted_since(tx, self._shop_id, kind, since)

    async def put(self, kind: str, records: Mapping[str, Body], now: datetime) -> None:
        async with self._ledger.transaction() as tx:
            await rows.put_records(tx, self._shop_id, kind, records, now)
