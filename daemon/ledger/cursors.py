"""Named cursors per shop (polling bookmarks). Advance them in the batch's own transaction."""

from __future__ import annotations

from datetime import datetime

from daemon.ledger.db import Tx
from daemon.ledger.times import stamp


async def get_cursor(tx: Tx, shop_id: str, name: str) -> str | None:
    row = await tx.fetchone(
        "SELECT value FROM cursors WHERE shop_id = ? AND name = ?", (shop_id, name)
    )
    return None if row is None else str(row[0])


async def set_cursor(tx: Tx, shop_id: str, name: str, value: str, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO cursors (shop_id, name, value, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (shop_id, name) DO UPDATE SET value = excluded.value, "
        "updated_at = excluded.updated_at",
        (shop_id, name, value, stamp(now)),
    )


async def delete_cursor(tx: Tx, shop_id: str, name: str) -> None:
    await tx.execute("DELETE FROM cursors WHERE shop_id = ? AND name = ?", (shop_id, name))
