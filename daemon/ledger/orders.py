"""Orders (one row per TikTok order id), fulfilments and cancellations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from daemon.domain import OrderPhase
from daemon.ledger.db import Tx
from daemon.ledger.times import parse_optional, stamp


@dataclass(frozen=True)
class OrderRecord:
    tiktok_order_id: str
    shop_id: str
    store_order_id: str | None
    phase: OrderPhase
    tiktok_status: str
    reason: str | None
    tiktok_update_time: int
    shipping_type: str = "SELLER"
    tiktok_create_time: int = 0
    create_attempts: int = 0  # store creates started; above 0, look in the store first
    creating_since: datetime | None = None
    create_started_at: datetime | None = None
    blocked_kind: str | None = None
    mirrored_status: str | None = None
    store_cancelled_at: datetime | None = None


@dataclass(frozen=True)
class FulfillmentRecord:
    id: int
    tiktok_order_id: str
    store_fulfillment_id: str
    carrier: str
    shipping_provider: str | None
    carrier_fallback: bool
    tracking_number: str
    status: str
    reason: str | None


_ORDER = (
    "tiktok_order_id, shop_id, store_order_id, phase, tiktok_status, reason, tiktok_update_time"
)
_ORDER_MORE = (
    "shipping_type, tiktok_create_time, create_attempts, creating_since, create_started_at, "
    "blocked_kind, mirrored_status, store_cancelled_at"
)
ORDER_COLUMNS = f"{_ORDER}, {_ORDER_MORE}"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def order_from_row(row: Sequence[object]) -> OrderRecord:
    return OrderRecord(
        tiktok_order_id=str(row[0]),
        shop_id=str(row[1]),
        store_order_id=_text(row[2]),
        phase=OrderPhase(str(row[3])),
        tiktok_status=str(row[4]),
        reason=_text(row[5]),
        tiktok_update_time=int(str(row[6])),
        shipping_type=str(row[7]),
        tiktok_create_time=int(str(row[8])),
        create_attempts=int(str(row[9])),
        creating_since=parse_optional(_text(row[10])),
        create_started_at=parse_optional(_text(row[11])),
        blocked_kind=_text(row[12]),
        mirrored_status=_text(row[13]),
        store_cancelled_at=parse_optional(_text(row[14])),
    )


async def get_order(tx: Tx, tiktok_order_id: str) -> OrderRecord | None:
    row = await tx.fetchone(
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE tiktok_order_id = ?", (tiktok_order_id,)
    )
    return None if row is None else order_from_row(row)


async def get_by_store_id(tx: Tx, shop_id: str, store_order_id: str) -> OrderRecord | None:
    row = await tx.fetchone(
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = ? AND store_order_id = ?",
        (shop_id, store_order_id),
    )
    return None if row is None else order_from_row(row)


async def upsert_order(
    tx: Tx,
    *,
    shop_id: str,
    tiktok_order_id: str,
    tiktok_status: str,
    tiktok_update_time: int,
    now: datetime,
    shipping_type: str | None = None,
    tiktok_create_time: int | None = None,
) -> OrderRecord:
    """Note an order seen on TikTok. Its phase is untouched when it is already known; an
    older view of the order (a smaller update time) does not overwrite a newer status."""
    await tx.execute(
        f"INSERT INTO orders ({_ORDER}, shipping_type, tiktok_create_time, created_at, "
        "updated_at) VALUES (?, ?, NULL, ?, ?, NULL, ?, coalesce(?, 'SELLER'), coalesce(?, 0), "
        "?, ?) ON CONFLICT (tiktok_order_id) DO UPDATE SET "
        "tiktok_status = CASE WHEN excluded.tiktok_update_time >= orders.tiktok_update_time "
        "THEN excluded.tiktok_status ELSE orders.tiktok_status END, "
        "tiktok_update_time = max(orders.tiktok_update_time, excluded.tiktok_update_time), "
        "shipping_type = coalesce(?, orders.shipping_type), "
        "tiktok_create_time = coalesce(?, orders.tiktok_create_time), "
        "updated_at = excluded.updated_at",
        (
            tiktok_order_id,
            shop_id,
            OrderPhase.SEEN,
            tiktok_status,
            tiktok_update_time,
            shipping_type,
            tiktok_create_time,
            stamp(now),
            stamp(now),
            shipping_type,
            tiktok_create_time,
        ),
    )
    order = await get_order(tx, tiktok_order_id)
    assert order is not None  # just written in this transaction
    return order


async def set_phase(
    tx: Tx,
    tiktok_order_id: str,
    phase: OrderPhase,
    *,
    reason: str | None,
    now: datetime,
    store_order_id: str | None = None,
) -> None:
    await tx.execute(
        "UPDATE orders SET phase = ?, reason = ?, store_order_id = coalesce(?, store_order_id), "
        "updated_at = ? WHERE tiktok_order_id = ?",
        (phase, reason, store_order_id, stamp(now), tiktok_order_id),
    )


async def orders_in_phase(tx: Tx, shop_id: str, phases: Sequence[OrderPhase]) -> list[OrderRecord]:
    marks = ", ".join("?" for _ in phases)
    rows = await tx.fetchall(
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE shop_id = ? AND phase IN ({marks}) "
        "ORDER BY tiktok_update_time",
        (shop_id, *phases),
    )
    return [order_from_row(row) for row in rows]


async def record_fulfillment(
    tx: Tx,
    *,
    shop_id: str,
    tiktok_order_id: str,
    store_fulfillment_id: str,
    carrier: str,
    tracking_number: str,
    status: str,
    now: datetime,
) -> bool:
    """Note a store fulfilment once; False when it was already known."""
    changed = await tx.execute(
        "INSERT INTO fulfillments (shop_id, tiktok_order_id, store_fulfillment_id, carrier, "
        "tracking_number, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (shop_id, store_fulfillment_id) DO NOTHING",
        (
            shop_id,
            tiktok_order_id,
            store_fulfillment_id,
            carrier,
            tracking_number,
            status,
            stamp(now),
            stamp(now),
        ),
    )
    return changed > 0


async def set_fulfillment_result(
    tx: Tx,
    *,
    shop_id: str,
    store_fulfillment_id: str,
    status: str,
    reason: str | None,
    shipping_provider: str | None,
    shipping_provider_id: str | None,
    carrier_fallback: bool,
    now: datetime,
) -> None:
    await tx.execute(
        "UPDATE fulfillments SET status = ?, reason = ?, shipping_provider = ?, "
        "shipping_provider_id = ?, carrier_fallback = ?, updated_at = ? "
        "WHERE shop_id = ? AND store_fulfillment_id = ?",
        (
            status,
            reason,
            shipping_provider,
            shipping_provider_id,
            int(carrier_fallback),
            stamp(now),
            shop_id,
            store_fulfillment_id,
        ),
    )


async def fulfillments_of(tx: Tx, tiktok_order_id: str) -> list[FulfillmentRecord]:
    rows = await tx.fetchall(
        "SELECT id, tiktok_order_id, store_fulfillment_id, carrier, shipping_provider, "
        "carrier_fallback, tracking_number, status, reason FROM fulfillments "
        "WHERE tiktok_order_id = ? ORDER BY id",
        (tiktok_order_id,),
    )
    return [
        FulfillmentRecord(
            int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], bool(r[5]), str(r[6]), str(r[7]), r[8]
        )
        for r in rows
    ]


async def record_cancellation(
    tx: Tx,
    *,
    shop_id: str,
    tiktok_order_id: str,
    origin: str,
    tiktok_cancel_id: str | None,
    reason: str | None,
    status: str,
    now: datetime,
) -> None:
    await tx.execute(
        "INSERT INTO cancellations (shop_id, tiktok_order_id, origin, tiktok_cancel_id, reason, "
        "status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (shop_id, tiktok_order_id, origin) DO UPDATE SET status = excluded.status, "
        "reason = coalesce(excluded.reason, cancellations.reason), "
        "tiktok_cancel_id = coalesce(excluded.tiktok_cancel_id, cancellations.tiktok_cancel_id), "
        "updated_at = excluded.updated_at",
        (
            shop_id,
            tiktok_order_id,
            origin,
            tiktok_cancel_id,
            reason,
            status,
            stamp(now),
            stamp(now),
        ),
    )


async def cancellation_status(tx: Tx, tiktok_order_id: str, origin: str) -> str | None:
    row = await tx.fetchone(
        "SELECT status FROM cancellations WHERE tiktok_order_id = ? AND origin = ?",
        (tiktok_order_id, origin),
    )
    return None if row is None else str(row[0])
