"""What operators watch: records that entered a failed or blocked state (noted by triggers,
migration 0008) and the counts behind the status gauges."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.ledger.db import Tx

#: At most this many state changes are taken at once; the rest wait for the next run's end.
BATCH = 500


@dataclass(frozen=True)
class StateChange:
    shop_id: str
    entity: str  # "product" or "order"
    entity_id: str
    state: str
    previous: str | None
    reason: str | None
    at: str
    skus: tuple[str, ...]  # the seller SKUs of the product or the order


async def has_state_changes(tx: Tx) -> bool:
    return await tx.fetchone("SELECT 1 FROM state_changes LIMIT 1") is not None


async def take_state_changes(tx: Tx) -> list[StateChange]:
    """The oldest noted state changes, removed from the ledger as they are read."""
    rows = await tx.fetchall(
        "SELECT c.id, c.shop_id, c.entity, c.entity_id, c.state, c.previous, c.reason, c.at, "
        "CASE c.entity WHEN 'product' THEN (SELECT group_concat(seller_sku, ' ') FROM skus s "
        "  WHERE s.shop_id = c.shop_id AND s.store_product_id = c.entity_id) "
        "ELSE (SELECT group_concat(seller_sku, ' ') FROM order_skus o "
        "  WHERE o.tiktok_order_id = c.entity_id) END "
        "FROM state_changes c ORDER BY c.id LIMIT ?",
        (BATCH,),
    )
    if rows:
        await tx.execute("DELETE FROM state_changes WHERE id <= ?", (rows[-1][0],))
    return [
        StateChange(
            shop_id=str(row[1]),
            entity=str(row[2]),
            entity_id=str(row[3]),
            state=str(row[4]),
            previous=row[5],
            reason=row[6],
            at=str(row[7]),
            skus=tuple(str(row[8]).split()) if row[8] else (),
        )
        for row in rows
    ]


async def product_counts(tx: Tx) -> dict[tuple[str, str], int]:
    """(shop, status) -> products, every shop."""
    rows = await tx.fetchall("SELECT shop_id, status, count(*) FROM products GROUP BY 1, 2")
    return {(str(row[0]), str(row[1])): int(row[2]) for row in rows}


async def order_counts(tx: Tx) -> dict[tuple[str, str], int]:
    """(shop, phase) -> orders, every shop."""
    rows = await tx.fetchall("SELECT shop_id, phase, count(*) FROM orders GROUP BY 1, 2")
    return {(str(row[0]), str(row[1])): int(row[2]) for row in rows}


async def blocked_counts(tx: Tx) -> dict[tuple[str, str], int]:
    """(shop, cause) -> blocked orders, every shop; cause is 'unlinked', 'refused' or 'other'."""
    rows = await tx.fetchall(
        "SELECT shop_id, coalesce(blocked_kind, 'other'), count(*) FROM orders "
        "WHERE phase = 'blocked' GROUP BY 1, 2"
    )
    return {(str(row[0]), str(row[1])): int(row[2]) for row in rows}
