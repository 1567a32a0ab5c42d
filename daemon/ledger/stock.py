"""The store's side, as last read: stock per (inventory item, location) and each linked SKU's
price and stock flags. Inventory and price jobs diff these against what was pushed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from daemon.domain import ProductStatus
from daemon.domain.models import Money, StockLevel
from daemon.ledger.db import Tx
from daemon.ledger.times import stamp


@dataclass(frozen=True)
class LinkedSku:
    """A store variant that is on the marketplace, with what the store last said about it."""

    store_variant_id: str
    store_product_id: str
    tiktok_product_id: str
    tiktok_sku_id: str
    seller_sku: str | None
    stock_key: str | None
    tracked: bool
    continue_selling: bool
    price: Money | None


async def record_levels(
    tx: Tx,
    shop_id: str,
    levels: Iterable[StockLevel],
    now: datetime,
    *,
    read_since: datetime | None = None,
) -> int:
    """Record what a read of the store gave. With `read_since` (when a long read began), a
    level recorded since then by another read is kept: that read is at least as new."""
    guard = stamp(read_since) if read_since is not None else None
    rows = [
        (shop_id, level.stock_key, level.location_id, level.available, stamp(now), guard)
        for level in levels
    ]
    await tx.executemany(
        "INSERT INTO store_stock (shop_id, stock_key, location_id, available, "
        "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id, stock_key, "
        "location_id) DO UPDATE SET available = excluded.available, "
        "updated_at = excluded.updated_at "
        "WHERE ?6 IS NULL OR store_stock.updated_at < ?6",
        rows,
    )
    return len(rows)


async def forget_levels(
    tx: Tx, shop_id: str, gone: Iterable[tuple[str, str]], *, read_since: datetime
) -> int:
    """Forget the (stock key, location) levels a whole read that began at `read_since` no
    longer gives (the store keeps no stock there now), unless recorded since it began."""
    rows = [(shop_id, key, location, stamp(read_since)) for key, location in gone]
    await tx.executemany(
        "DELETE FROM store_stock WHERE shop_id = ? AND stock_key = ? AND location_id = ? "
        "AND updated_at < ?",
        rows,
    )
    return len(rows)


async def levels(tx: Tx, shop_id: str) -> list[StockLevel]:
    rows = await tx.fetchall(
        "SELECT stock_key, location_id, available FROM store_stock WHERE shop_id = ?",
        (shop_id,),
    )
    return [StockLevel(str(r[0]), str(r[1]), int(r[2])) for r in rows]


async def record_sku_facts(
    tx: Tx,
    shop_id: str,
    facts: Iterable[tuple[str, str | None, bool, bool, Money]],
    now: datetime,
) -> None:
    """Per variant: (variant id, inventory item id, tracked, continue selling, price)."""
    await tx.executemany(
        "UPDATE skus SET stock_key = ?, tracked = ?, continue_selling = ?, price = ?, "
        "currency = ?, updated_at = ? WHERE shop_id = ? AND store_variant_id = ?",
        [
            (
                item,
                int(tracked),
                int(continue_selling),
                str(price.amount),
                price.currency,
                stamp(now),
                shop_id,
                variant,
            )
            for variant, item, tracked, continue_selling, price in facts
        ],
    )


async def linked_skus(
    tx: Tx, shop_id: str, statuses: Sequence[ProductStatus] = (ProductStatus.ACTIVE,)
) -> list[LinkedSku]:
    """SKUs linked to a marketplace SKU whose product is in one of `statuses`."""
    marks = ", ".join("?" for _ in statuses)
    rows = await tx.fetchall(
        "SELECT s.store_variant_id, s.store_product_id, p.tiktok_product_id, s.tiktok_sku_id, "
        "s.seller_sku, s.stock_key, s.tracked, s.continue_selling, s.price, s.currency "
        "FROM skus s JOIN products p "
        "ON p.shop_id = s.shop_id AND p.store_product_id = s.store_product_id "
        f"WHERE s.shop_id = ? AND s.tiktok_sku_id IS NOT NULL AND p.status IN ({marks}) "
        "ORDER BY s.store_variant_id",
        (shop_id, *statuses),
    )
    return [
        LinkedSku(
            store_variant_id=str(r[0]),
            store_product_id=str(r[1]),
            tiktok_product_id=str(r[2]),
            tiktok_sku_id=str(r[3]),
            seller_sku=None if r[4] is None else str(r[4]),
            stock_key=None if r[5] is None else str(r[5]),
            tracked=bool(r[6]),
            continue_selling=bool(r[7]),
            price=None if r[8] is None else Money(Decimal(str(r[8])), str(r[9])),
        )
        for r in rows
    ]
