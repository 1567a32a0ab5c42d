"""Returns and refunds after delivery, as TikTok reports them: recorded and shown, never
mirrored into the store (DOMAIN.md section 8). One row per TikTok return id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from daemon.ledger.db import Tx
from daemon.ledger.times import stamp


@dataclass(frozen=True)
class ReturnRow:
    shop_id: str
    tiktok_return_id: str
    tiktok_order_id: str
    return_type: str
    status: str
    role: str | None
    reason: str | None
    refund_amount: Decimal | None
    refund_currency: str | None
    units: int
    tiktok_create_time: int
    tiktok_update_time: int
    updated_at: str


@dataclass(frozen=True)
class ReturnNote:
    """What the job learnt about one return."""

    return_id: str
    order_id: str
    return_type: str
    status: str
    role: str | None
    reason: str | None
    refund: tuple[Decimal, str] | None
    units: int
    tiktok_create_time: int
    tiktok_update_time: int


_COLUMNS = (
    "shop_id, tiktok_return_id, tiktok_order_id, return_type, status, role, reason, "
    "refund_amount, refund_currency, units, tiktok_create_time, tiktok_update_time, updated_at"
)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def _row(row: Sequence[object]) -> ReturnRow:
    return ReturnRow(
        shop_id=str(row[0]),
        tiktok_return_id=str(row[1]),
        tiktok_order_id=str(row[2]),
        return_type=str(row[3]),
        status=str(row[4]),
        role=_optional(row[5]),
        reason=_optional(row[6]),
        refund_amount=None if row[7] is None else Decimal(str(row[7])),
        refund_currency=_optional(row[8]),
        units=int(str(row[9])),
        tiktok_create_time=int(str(row[10])),
        tiktok_update_time=int(str(row[11])),
        updated_at=str(row[12]),
    )


async def get_return(tx: Tx, tiktok_return_id: str) -> ReturnRow | None:
    row = await tx.fetchone(
        f"SELECT {_COLUMNS} FROM returns WHERE tiktok_return_id = ?", (tiktok_return_id,)
    )
    return None if row is None else _row(row)


async def note_return(tx: Tx, shop_id: str, note: ReturnNote, now: datetime) -> bool:
    """Record the return, or move it to what TikTok says now; True when anything changed.

    An older report (a smaller TikTok update time, e.g. re-read in the overlap) never
    overwrites a newer one; a refund amount, once known, is kept when a later report omits it.
    """
    before = await get_return(tx, note.return_id)
    if before is not None and before.tiktok_update_time > note.tiktok_update_time:
        return False
    amount, currency = (str(note.refund[0]), note.refund[1]) if note.refund else (None, None)
    await tx.execute(
        "INSERT INTO returns (tiktok_return_id, shop_id, tiktok_order_id, return_type, status, "
        "role, reason, refund_amount, refund_currency, units, tiktok_create_time, "
        "tiktok_update_time, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (tiktok_return_id) DO UPDATE SET return_type = excluded.return_type, "
        "status = excluded.status, role = coalesce(excluded.role, returns.role), "
        "reason = coalesce(excluded.reason, returns.reason), "
        "refund_amount = coalesce(excluded.refund_amount, returns.refund_amount), "
        "refund_currency = coalesce(excluded.refund_currency, returns.refund_currency), "
        "units = excluded.units, tiktok_update_time = excluded.tiktok_update_time, "
        "updated_at = excluded.updated_at",
        (
            note.return_id,
            shop_id,
            note.order_id,
            note.return_type,
            note.status,
            note.role,
            note.reason,
            amount,
            currency,
            note.units,
            note.tiktok_create_time,
            note.tiktok_update_time,
            stamp(now),
            stamp(now),
        ),
    )
    return before is None or (before.status, before.return_type, before.refund_amount) != (
        note.status,
        note.return_type,
        None if note.refund is None else note.refund[0],
    )


async def returns_of(tx: Tx, tiktok_order_id: str) -> list[ReturnRow]:
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM returns WHERE tiktok_order_id = ? "
        "ORDER BY tiktok_create_time, tiktok_return_id",
        (tiktok_order_id,),
    )
    return [_row(row) for row in rows]


async def returns_for_report(tx: Tx, shop_id: str | None, limit: int = 200) -> list[ReturnRow]:
    """The most recently changed returns, grouped by order (oldest return first in each)."""
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM returns WHERE ? IS NULL OR shop_id = ? "
        "ORDER BY tiktok_update_time DESC LIMIT ?",
        (shop_id, shop_id, limit),
    )
    found = [_row(row) for row in rows]
    return sorted(
        found, key=lambda r: (r.tiktok_order_id, r.tiktok_create_time, r.tiktok_return_id)
    )


async def returns_of_order(tx: Tx, tiktok_order_id: str) -> list[ReturnRow]:
    rows = await tx.fetchall(
        f"SELECT {_COLUMNS} FROM returns WHERE tiktok_order_id = ? "
        "ORDER BY tiktok_create_time, tiktok_return_id",
        (tiktok_order_id,),
    )
    return [_row(row) for row in rows]
