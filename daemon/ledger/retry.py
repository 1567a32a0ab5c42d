"""The retry queue: failed records with attempts, next attempt time and last error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from daemon.domain.retry import RetryPolicy
from daemon.ledger.db import Tx
from daemon.ledger.times import parse, stamp


@dataclass(frozen=True)
class RetryEntry:
    id: int
    shop_id: str
    job: str
    entity_kind: str
    entity_id: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    parked: bool


_COLUMNS = "id, shop_id, job, entity_kind, entity_id, attempts, next_attempt_at, last_error, parked"


def _entry(row: Sequence[object]) -> RetryEntry:
    return RetryEntry(
        id=int(str(row[0])),
        shop_id=str(row[1]),
        job=str(row[2]),
        entity_kind=str(row[3]),
        entity_id=str(row[4]),
        attempts=int(str(row[5])),
        next_attempt_at=parse(str(row[6])),
        last_error=str(row[7]),
        parked=bool(row[8]),
    )


async def record_failure(
    tx: Tx,
    *,
    shop_id: str,
    job: str,
    entity_kind: str,
    entity_id: str,
    error: str,
    policy: RetryPolicy,
    now: datetime,
) -> RetryEntry:
    """Count one more failed attempt for a record; park it once the policy says so."""
    row = await tx.fetchone(
        "SELECT attempts FROM retry_queue WHERE shop_id = ? AND job = ? AND entity_kind = ? "
        "AND entity_id = ?",
        (shop_id, job, entity_kind, entity_id),
    )
    attempts = (int(row[0]) if row else 0) + 1
    parked = policy.parks(attempts)
    await tx.execute(
        "INSERT INTO retry_queue (shop_id, job, entity_kind, entity_id, attempts, "
        "next_attempt_at, last_error, parked, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (shop_id, job, entity_kind, entity_id) DO UPDATE SET "
        "attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, "
        "last_error = excluded.last_error, parked = excluded.parked, "
        "updated_at = excluded.updated_at",
        (
            shop_id,
            job,
            entity_kind,
            entity_id,
            attempts,
            stamp(policy.next_attempt(attempts, now)),
            error,
            int(parked),
            stamp(now),
            stamp(now),
        ),
    )
    entry = await get_entry(tx, shop_id, job, entity_kind, entity_id)
    assert entry is not None  # just written in this transaction
    return entry


async def resolve(tx: Tx, *, shop_id: str, job: str, entity_kind: str, entity_id: str) -> bool:
    """The record synced: drop it from the queue. True when it was queued."""
    changed = await tx.execute(
        "DELETE FROM retry_queue WHERE shop_id = ? AND job = ? AND entity_kind = ? "
        "AND entity_id = ?",
        (shop_id, job, entity_kind, entity_id),
    )
    return changed > 0


async def get_entry(
    tx: Tx, shop_id: str, job: str, entity_kind: str, entity_id: str
) -> RetryEntry | None:
    row = await tx.fetchone(
        f"SELECT {_COLUMNS} FROM retry_queue WHERE shop_id = ? AND job = ? AND entity_kind = ? "
        "AND entity_id = ?",
        (shop_id, job, entity_kind, entity_id),
    )
    return None if row is None else _entry(row)


async def due(tx: Tx, shop_id: str, job: str, now: datetime, limit: int = 500) -> list[RetryEntry]:
    """Unparked records of one (shop, job) whose next attempt time has come."""
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM retry_queue WHERE shop_id = ? AND job = ? AND parked = 0 "
        "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
        (shop_id, job, stamp(now), limit),
    )
    return [_entry(row) for row in rows]


async def list_entries(tx: Tx, shop_id: str | None = None) -> list[RetryEntry]:
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM retry_queue WHERE ? IS NULL OR shop_id = ? "
        "ORDER BY parked DESC, next_attempt_at",
        (shop_id, shop_id),
    )
    return [_entry(row) for row in rows]


async def requeue(tx: Tx, entry_id: int | None, now: datetime, shop_id: str | None = None) -> int:
    """Make one entry (or every entry, with None; of one shop, with `shop_id`) due now with a
    fresh attempt count."""
    return await tx.execute(
        "UPDATE retry_queue SET parked = 0, attempts = 0, next_attempt_at = ?, updated_at = ? "
        "WHERE (? IS NULL OR id = ?) AND (? IS NULL OR shop_id = ?)",
        (stamp(now), stamp(now), entry_id, entry_id, shop_id, shop_id),
    )


async def depth(tx: Tx) -> dict[tuple[str, bool], int]:
    """Queue depth per (shop, parked)."""
    rows = await tx.fetchall(
        "SELECT shop_id, parked, count(*) FROM retry_queue GROUP BY shop_id, parked"
    )
    return {(str(r[0]), bool(r[1])): int(r[2]) for r in rows}
