"""What was last pushed to TikTok: quantities per (SKU, warehouse) and prices per SKU."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from daemon.ledger.db import Tx
from daemon.ledger.times import stamp


async def pushed_quantities(tx: Tx, shop_id: str) -> dict[tuple[str, str], int]:
    """Last pushed quantity per (store variant id, warehouse id)."""
    rows = await tx.fetchall(
        "SELECT store_variant_id, warehouse_id, quantity FROM pushed_inventory WHERE shop_id = ?",
        (shop_id,),
    )
    return {(str(r[0]), str(r[1])): int(r[2]) for r in rows}


async def record_quantities(
    tx: Tx, shop_id: str, quantities: Mapping[tuple[str, str], int], now: datetime
) -> None:
    await tx.executemany(
        "INSERT INTO pushed_inventory (shop_id, store_variant_id, warehouse_id, quantity, "
        "pushed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id, store_variant_id, warehouse_id) "
        "DO UPDATE SET quantity = excluded.quantity, pushed_at = excluded.pushed_at",
        [
            (shop_id, variant, warehouse, quantity, stamp(now))
            for (variant, warehouse), quantity in quantities.items()
        ],
    )


async def pushed_prices(tx: Tx, shop_id: str) -> dict[str, tuple[Decimal, str]]:
    """Last pushed (amount, currency) per store variant id."""
    rows = await tx.fetchall(
        "SELECT store_variant_id, amount, currency FROM pushed_prices WHERE shop_id = ?",
        (shop_id,),
    )
    return {str(r[0]): (Decimal(str(r[1])), str(r[2])) for r in rows}


async def record_prices(
    tx: Tx, shop_id: str, prices: Iterable[tuple[str, Decimal, str]], now: datetime
) -> None:
    await tx.executemany(
        "INSERT INTO pushed_prices (shop_id, store_variant_id, amount, currency, pushed_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (shop_id, store_variant_id) DO UPDATE SET "
        "amount = excluded.amount, currency = excluded.currency, pushed_at = excluded.pushed_at",
        [
            (shop_id, variant, str(amount), currency, stamp(now))
            for variant, amount, currency in prices
        ],
    )
