"""Resync requests (the catalog job re-reads and re-decides these products at its next run) and
the fingerprint of the catalog rules each shop was last synced with."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from daemon.ledger.db import Tx
from daemon.ledger.times import parse, stamp


async def request(tx: Tx, shop_id: str, product_ids: Iterable[str], now: datetime) -> None:
    """Ask for these products to be re-read; asking again moves the request's time on."""
    await tx.executemany(
        "INSERT INTO resync_requests (shop_id, store_product_id, requested_at) VALUES (?, ?, ?) "
        "ON CONFLICT (shop_id, store_product_id) DO UPDATE SET "
        "requested_at = excluded.requested_at",
        [(shop_id, product_id, stamp(now)) for product_id in product_ids],
    )


async def pending(tx: Tx, shop_id: str) -> dict[str, datetime]:
    """The products waiting to be re-read, with the time each was asked for."""
    rows = await tx.fetchall(
        "SELECT store_product_id, requested_at FROM resync_requests WHERE shop_id = ? "
        "ORDER BY requested_at, store_product_id",
        (shop_id,),
    )
    return {str(row[0]): parse(str(row[1])) for row in rows}


async def done(tx: Tx, shop_id: str, handled: dict[str, datetime]) -> None:
    """Drop the requests a run handled, unless one was asked for again meanwhile."""
    await tx.executemany(
        "DELETE FROM resync_requests WHERE shop_id = ? AND store_product_id = ? "
        "AND requested_at <= ?",
        [(shop_id, product_id, stamp(at)) for product_id, at in handled.items()],
    )


async def known_products(tx: Tx, shop_id: str, product_ids: Iterable[str]) -> set[str]:
    """Which of these store product ids the ledger has seen for the shop."""
    wanted = list(product_ids)
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    rows = await tx.fetchall(
        f"SELECT store_product_id FROM products WHERE shop_id = ? "
        f"AND store_product_id IN ({marks})",
        (shop_id, *wanted),
    )
    return {str(row[0]) for row in rows}


async def rules_fingerprint(tx: Tx, shop_id: str) -> str | None:
    row = await tx.fetchone("SELECT catalog_rules FROM shops WHERE id = ?", (shop_id,))
    return None if row is None or row[0] is None else str(row[0])


async def set_rules_fingerprint(tx: Tx, shop_id: str, fingerprint: str, now: datetime) -> None:
    await tx.execute(
        "UPDATE shops SET catalog_rules = ?, updated_at = ? WHERE id = ?",
        (fingerprint, stamp(now), shop_id),
    )
