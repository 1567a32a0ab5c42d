"""Feed-backed stores' state: the files consumed and the records they set (see
`daemon.connectors.feeds`). Bodies are JSON text; times are the ledger's ISO text."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from daemon.connectors.feeds import FeedFile, FeedOutcome, FeedRecord
from daemon.ledger.db import Row, Tx
from daemon.ledger.times import parse, parse_optional, stamp

_CHUNK = 500  # keys per IN (...) list, well under SQLite's variable limit
_COLUMNS = "kind, key, body, updated_at, deleted_at"


def _record(row: Row) -> FeedRecord:
    return FeedRecord(
        kind=row["kind"],
        key=row["key"],
        body=json.loads(row["body"]),
        updated_at=parse(row["updated_at"]),
        deleted_at=parse_optional(row["deleted_at"]),
    )


def _outcome(row: Row) -> FeedOutcome:
    return FeedOutcome(
        file=FeedFile(row["path"], row["size"], row["modified"]),
        status=row["status"],
        reason=row["reason"],
        at=parse(row["at"]),
    )


async def file_outcome(tx: Tx, shop_id: str, file: FeedFile) -> FeedOutcome | None:
    row = await tx.fetchone(
        "SELECT * FROM feed_files WHERE shop_id = ? AND path = ? AND size = ? AND modified = ?",
        (shop_id, file.path, file.size, file.modified),
    )
    return None if row is None else _outcome(row)


async def record_outcome(
    tx: Tx, shop_id: str, file: FeedFile, *, reason: str | None, now: datetime
) -> None:
    """The file applied (no `reason`) or refused (with it); a later outcome replaces it."""
    await tx.execute(
        "INSERT INTO feed_files (shop_id, path, size, modified, status, reason, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
        "status = excluded.status, reason = excluded.reason, at = excluded.at",
        (
            shop_id,
            file.path,
            file.size,
            file.modified,
            "applied" if reason is None else "refused",
            reason,
            stamp(now),
        ),
    )


async def refusals(tx: Tx, shop_id: str) -> list[FeedOutcome]:
    """Refused files whose path applied nothing later, newest first."""
    rows = await tx.fetchall(
        "SELECT * FROM feed_files AS f WHERE shop_id = ? AND status = 'refused' AND NOT EXISTS "
        "(SELECT 1 FROM feed_files AS g WHERE g.shop_id = f.shop_id AND g.path = f.path "
        "AND g.status = 'applied' AND g.at >= f.at) ORDER BY at DESC",
        (shop_id,),
    )
    return [_outcome(row) for row in rows]


async def get_records(
    tx: Tx, shop_id: str, kind: str, keys: Sequence[str]
) -> dict[str, FeedRecord]:
    found: dict[str, FeedRecord] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = await tx.fetchall(
            f"SELECT {_COLUMNS} FROM feed_records WHERE shop_id = ? AND kind = ? "
            f"AND key IN ({marks})",
            (shop_id, kind, *chunk),
        )
        found.update((row["key"], _record(row)) for row in rows)
    return found


async def put_records(
    tx: Tx, shop_id: str, kind: str, records: Mapping[str, Mapping[str, Any]], now: datetime
) -> None:
    """Upsert; a body that did not change (on a live record) keeps its stamp."""
    await tx.executemany(
        "INSERT INTO feed_records (shop_id, kind, key, body, updated_at, deleted_at) "
        "VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT DO UPDATE SET "
        "body = excluded.body, updated_at = excluded.updated_at, deleted_at = NULL "
        "WHERE feed_records.body != excluded.body OR feed_records.deleted_at IS NOT NULL",
        [
            (
                shop_id,
                kind,
                key,
                json.dumps(body, sort_keys=True, separators=(",", ":")),
                stamp(now),
            )
            for key, body in records.items()
        ],
    )


async def delete_records(
    tx: Tx, shop_id: str, kind: str, keys: Sequence[str], now: datetime
) -> None:
    await tx.executemany(
        "UPDATE feed_records SET deleted_at = ? "
        "WHERE shop_id = ? AND kind = ? AND key = ? AND deleted_at IS NULL",
        [(stamp(now), shop_id, kind, key) for key in keys],
    )


async def touch_records(
    tx: Tx, shop_id: str, kind: str, keys: Sequence[str], now: datetime
) -> None:
    await tx.executemany(
        "UPDATE feed_records SET updated_at = ? "
        "WHERE shop_id = ? AND kind = ? AND key = ? AND deleted_at IS NULL AND updated_at < ?",
        [(stamp(now), shop_id, kind, key, stamp(now)) for key in keys],
    )


async def page_records(
    tx: Tx,
    shop_id: str,
    kind: str,
    *,
    after: str,
    limit: int,
    updated_since: datetime | None,
) -> list[FeedRecord]:
    since = "" if updated_since is None else stamp(updated_since)
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM feed_records WHERE shop_id = ? AND kind = ? AND key > ? "
        "AND deleted_at IS NULL AND updated_at >= ? ORDER BY key LIMIT ?",
        (shop_id, kind, after, since, limit),
    )
    return [_record(row) for row in rows]


async def deleted_since(tx: Tx, shop_id: str, kind: str, since: datetime) -> list[FeedRecord]:
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM feed_records WHERE shop_id = ? AND kind = ? "
        "AND deleted_at >= ? ORDER BY key",
        (shop_id, kind, stamp(since)),
    )
    return [_record(row) for row in rows]
