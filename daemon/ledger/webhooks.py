"""Webhook deliveries already seen (platforms retry; one delivery should trigger one look)."""

from __future__ import annotations

from datetime import datetime

from daemon.ledger.db import Tx
from daemon.ledger.times import stamp


async def remember_delivery(
    tx: Tx, *, platform: str, shop_id: str, delivery_id: str, topic: str, now: datetime
) -> bool:
    """Record a delivery; False when it was seen before (a retry or a duplicate)."""
    changed = await tx.execute(
        "INSERT INTO webhook_deliveries (platform, shop_id, delivery_id, topic, received_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (platform, shop_id, delivery_id, topic, stamp(now)),
    )
    return changed > 0


async def prune_deliveries(tx: Tx, before: datetime) -> int:
    return await tx.execute(
        "DELETE FROM webhook_deliveries WHERE received_at < ?", (stamp(before),)
    )
