"""The import of each TikTok order through its phases, each step its own committed write.

Every phase change here is conditional on the phase it leaves, so two jobs racing on one order
(the import and the cancellation mirror) can never both win: the loser's update changes nothing
and it reads the order again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from daemon.domain import OrderPhase, ProductStatus
from daemon.ledger.db import Tx
from daemon.ledger.orders import ORDER_COLUMNS, OrderRecord, order_from_row
from daemon.ledger.times import stamp

#: Phases an import may (re)start from.
STARTABLE = (OrderPhase.SEEN, OrderPhase.BLOCKED, OrderPhase.CREATING)
CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class SkuLinkRow:
    tiktok_sku_id: str
    store_variant_id: str | None
    deleted: bool


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


async def set_order_skus(
    tx: Tx, tiktok_order_id: str, skus: Sequence[tuple[str, str | None, int]]
) -> None:
    """The order's (SKU id, seller SKU, units), replacing what was noted before."""
    await tx.execute("DELETE FROM order_skus WHERE tiktok_order_id = ?", (tiktok_order_id,))
    await tx.executemany(
        "INSERT INTO order_skus (tiktok_order_id, tiktok_sku_id, seller_sku, quantity) "
        "VALUES (?, ?, ?, ?)",
        [(tiktok_order_id, sku, seller, units) for sku, seller, units in skus],
    )


async def move_phase(
    tx: Tx,
    tiktok_order_id: str,
    to: OrderPhase,
    *,
    allowed_from: Sequence[OrderPhase],
    reason: str | None,
    now: datetime,
    blocked_kind: str | None = None,
    store_order_id: str | None = None,
) -> bool:
    """Move the order to `to` if it is in one of `allowed_from`; False when it was not."""
    changed = await tx.execute(
        "UPDATE orders SET phase = ?, reason = ?, blocked_kind = ?, "
        "store_order_id = coalesce(?, store_order_id), updated_at = ? "
        f"WHERE tiktok_order_id = ? AND phase IN ({_marks(allowed_from)})",
        (to, reason, blocked_kind, store_order_id, stamp(now), tiktok_order_id, *allowed_from),
    )
    return changed > 0


async def begin_creating(tx: Tx, tiktok_order_id: str, now: datetime) -> int | None:
    """Commit "about to create in the store" before the call: CREATING, one more attempt.

    Returns the attempts started before this one (above 0: a store order may already exist,
    look for it first), or None when the order left the startable phases meanwhile.
    """
    before = await tx.fetchone(
        f"SELECT create_attempts FROM orders WHERE tiktok_order_id = ? "
        f"AND phase IN ({_marks(STARTABLE)})",
        (tiktok_order_id, *STARTABLE),
    )
    if before is None:
        return None
    await tx.execute(
        "UPDATE orders SET phase = ?, reason = NULL, blocked_kind = NULL, "
        "create_attempts = create_attempts + 1, creating_since = coalesce(creating_since, ?), "
        "create_started_at = ?, updated_at = ? WHERE tiktok_order_id = ?",
        (OrderPhase.CREATING, stamp(now), stamp(now), stamp(now), tiktok_order_id),
    )
    return int(before[0])


async def mark_created(
    tx: Tx, tiktok_order_id: str, store_order_id: str, mirrored_status: str | None, now: datetime
) -> bool:
    """The store order exists (created or found): CREATED, with its id."""
    changed = await tx.execute(
        "UPDATE orders SET phase = ?, reason = NULL, blocked_kind = NULL, store_order_id = ?, "
        "mirrored_status = ?, updated_at = ? "
        f"WHERE tiktok_order_id = ? AND phase IN ({_marks(STARTABLE)})",
        (
            OrderPhase.CREATED,
            store_order_id,
            mirrored_status,
            stamp(now),
            tiktok_order_id,
            *STARTABLE,
        ),
    )
    return changed > 0


async def set_mirrored(tx: Tx, tiktok_order_id: str, status: str, now: datetime) -> None:
    await tx.execute(
        "UPDATE orders SET mirrored_status = ?, updated_at = ? WHERE tiktok_order_id = ?",
        (status, stamp(now), tiktok_order_id),
    )


async def set_store_cancelled(tx: Tx, tiktok_order_id: str, now: datetime) -> None:
    await tx.execute(
        "UPDATE orders SET store_cancelled_at = coalesce(store_cancelled_at, ?), updated_at = ? "
        "WHERE tiktok_order_id = ?",
        (stamp(now), stamp(now), tiktok_order_id),
    )


async def sku_links(tx: Tx, shop_id: str, tiktok_sku_ids: Sequence[str]) -> list[SkuLinkRow]:
    """What the catalog side knows of these TikTok SKUs: their store variant, and whether the
    store product behind it was deleted. SKUs it does not know are left out."""
    if not tiktok_sku_ids:
        return []
    rows = await tx.fetchall(
        "SELECT k.tiktok_sku_id, k.store_variant_id, "
        "(k.status = ? OR coalesce(p.status, '') = ?) "
        "FROM skus k LEFT JOIN products p "
        "ON p.shop_id = k.shop_id AND p.store_product_id = k.store_product_id "
        f"WHERE k.shop_id = ? AND k.tiktok_sku_id IN ({_marks(tiktok_sku_ids)})",
        (ProductStatus.DELETED, ProductStatus.DELETED, shop_id, *tiktok_sku_ids),
    )
    return [SkuLinkRow(str(r[0]), None if r[1] is None else str(r[1]), bool(r[2])) for r in rows]


async def unblockable(tx: Tx, shop_id: str) -> list[str]:
    """Orders blocked by an unlinked or deleted SKU whose every SKU is now linked and live."""
    rows = await tx.fetchall(
        "SELECT o.tiktok_order_id FROM orders o WHERE o.shop_id = ? AND o.phase = ? "
        "AND o.blocked_kind = 'unlinked' AND EXISTS (SELECT 1 FROM order_skus s "
        "WHERE s.tiktok_order_id = o.tiktok_order_id) AND NOT EXISTS ("
        "SELECT 1 FROM order_skus s LEFT JOIN skus k "
        "ON k.shop_id = o.shop_id AND k.tiktok_sku_id = s.tiktok_sku_id "
        "LEFT JOIN products p ON p.shop_id = k.shop_id AND p.store_product_id = k.store_product_id "
        "WHERE s.tiktok_order_id = o.tiktok_order_id AND (k.store_variant_id IS NULL "
        "OR k.status = ? OR coalesce(p.status, '') = ?)) ORDER BY o.tiktok_update_time",
        (shop_id, OrderPhase.BLOCKED, ProductStatus.DELETED, ProductStatus.DELETED),
    )
    return [str(row[0]) for row in rows]


async def stranded(tx: Tx, shop_id: str, job: str) -> list[OrderRecord]:
    """Orders left mid-import that no retry entry will bring back: the process died between
    committing a phase and the next step (CREATING, CREATED, or SEEN once past the hold)."""
    rows = await tx.fetchall(
        f"SELECT {ORDER_COLUMNS} FROM orders o WHERE o.shop_id = ? AND (o.phase IN (?, ?) "
        "OR (o.phase = ? AND o.tiktok_status NOT IN ('UNPAID', 'ON_HOLD'))) "
        "AND NOT EXISTS (SELECT 1 FROM retry_queue r WHERE r.shop_id = o.shop_id "
        "AND r.job = ? AND r.entity_kind = 'order' AND r.entity_id = o.tiktok_order_id) "
        "ORDER BY o.tiktok_update_time",
        (shop_id, OrderPhase.CREATING, OrderPhase.CREATED, OrderPhase.SEEN, job),
    )
    return [order_from_row(row) for row in rows]


async def cancel_candidates(tx: Tx, shop_id: str) -> list[OrderRecord]:
    """Orders TikTok cancelled that still need mirroring: not yet created (to be skipped), or
    created and not yet cancelled in the store."""
    rows = await tx.fetchall(
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = ? AND tiktok_status = ? AND ("
        "phase IN (?, ?) OR (phase IN (?, ?) AND store_cancelled_at IS NULL)) "
        "ORDER BY tiktok_update_time",
        (
            shop_id,
            CANCELLED,
            OrderPhase.SEEN,
            OrderPhase.BLOCKED,
            OrderPhase.CREATED,
            OrderPhase.IMPORTED,
        ),
    )
    return [order_from_row(row) for row in rows]


async def phase_counts(tx: Tx, shop_id: str) -> dict[OrderPhase, int]:
    rows = await tx.fetchall(
        "SELECT phase, count(*) FROM orders WHERE shop_id = ? GROUP BY phase", (shop_id,)
    )
    return {OrderPhase(str(row[0])): int(row[1]) for row in rows}


async def orders_for_report(tx: Tx, shop_id: str | None, limit: int = 200) -> list[OrderRecord]:
    """Orders that need a look first (blocked, mid-import, waiting), then the latest others."""
    rows = await tx.fetchall(
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE ? IS NULL OR shop_id = ? "
        "ORDER BY CASE phase WHEN 'blocked' THEN 0 WHEN 'creating' THEN 1 WHEN 'created' THEN 2 "
        "WHEN 'seen' THEN 3 WHEN 'skipped' THEN 4 ELSE 5 END, tiktok_update_time DESC LIMIT ?",
        (shop_id, shop_id, limit),
    )
    return [order_from_row(row) for row in rows]


async def shops_with_orders(tx: Tx) -> list[str]:
    rows = await tx.fetchall("SELECT DISTINCT shop_id FROM orders ORDER BY shop_id")
    return [str(row[0]) for row in rows]
