"""After an order is imported: shipments sent to TikTok, cancellations either way, refunds.

A shipment (one store fulfilment) is `pending` when noticed, `sending` from the moment a ship
call starts (committed first, with its attempt counted), then `sent`, `not_sent` (a reason says
why nothing will be sent) or `failed` (the retry queue holds it). A store-side cancellation
pushed to TikTok moves the same way: `pushing`, then `pushed`, `not_pushed` or `failed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from daemon.ledger.db import Tx
from daemon.ledger.times import stamp

_FINAL_SHIPMENT = ("sent", "not_sent")


@dataclass(frozen=True)
class ShipmentRow:
    shop_id: str
    tiktok_order_id: str
    store_order_id: str | None
    store_fulfillment_id: str
    carrier: str
    tracking_number: str
    status: str
    reason: str | None
    shipping_provider: str | None
    carrier_fallback: bool
    attempts: int
    updated_at: str


_SHIPMENT = (
    "shop_id, tiktok_order_id, store_order_id, store_fulfillment_id, carrier, tracking_number, "
    "status, reason, shipping_provider, carrier_fallback, attempts, updated_at"
)


def _shipment(row: Sequence[object]) -> ShipmentRow:
    return ShipmentRow(
        shop_id=str(row[0]),
        tiktok_order_id=str(row[1]),
        store_order_id=None if row[2] is None else str(row[2]),
        store_fulfillment_id=str(row[3]),
        carrier=str(row[4]),
        tracking_number=str(row[5]),
        status=str(row[6]),
        reason=None if row[7] is None else str(row[7]),
        shipping_provider=None if row[8] is None else str(row[8]),
        carrier_fallback=bool(row[9]),
        attempts=int(str(row[10])),
        updated_at=str(row[11]),
    )


async def get_shipment(tx: Tx, shop_id: str, store_fulfillment_id: str) -> ShipmentRow | None:
    row = await tx.fetchone(
        f"SELECT {_SHIPMENT} FROM fulfillments WHERE shop_id = ? AND store_fulfillment_id = ?",
        (shop_id, store_fulfillment_id),
    )
    return None if row is None else _shipment(row)


async def note_shipment(
    tx: Tx,
    *,
    shop_id: str,
    tiktok_order_id: str,
    store_order_id: str,
    store_fulfillment_id: str,
    carrier: str,
    tracking_number: str,
    now: datetime,
) -> ShipmentRow:
    """The store fulfilment, noted once (`pending`); what the ledger holds for it."""
    await tx.execute(
        "INSERT INTO fulfillments (shop_id, tiktok_order_id, store_order_id, "
        "store_fulfillment_id, carrier, tracking_number, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) "
        "ON CONFLICT (shop_id, store_fulfillment_id) DO NOTHING",
        (
            shop_id,
            tiktok_order_id,
            store_order_id,
            store_fulfillment_id,
            carrier,
            tracking_number,
            stamp(now),
            stamp(now),
        ),
    )
    row = await get_shipment(tx, shop_id, store_fulfillment_id)
    assert row is not None  # just written in this transaction
    return row


async def begin_sending(tx: Tx, shop_id: str, store_fulfillment_id: str, now: datetime) -> int:
    """Commit "about to send" before the ship call; the attempts started before this one."""
    row = await get_shipment(tx, shop_id, store_fulfillment_id)
    assert row is not None
    await tx.execute(
        "UPDATE fulfillments SET status = 'sending', attempts = attempts + 1, updated_at = ? "
        "WHERE shop_id = ? AND store_fulfillment_id = ?",
        (stamp(now), shop_id, store_fulfillment_id),
    )
    return row.attempts


async def finish_shipment(
    tx: Tx,
    *,
    shop_id: str,
    store_fulfillment_id: str,
    status: str,
    reason: str | None,
    now: datetime,
    carrier: str | None = None,
    tracking_number: str | None = None,
    provider: str | None = None,
    provider_id: str | None = None,
    fallback: bool | None = None,
    package_id: str | None = None,
) -> None:
    await tx.execute(
        "UPDATE fulfillments SET status = ?, reason = ?, carrier = coalesce(?, carrier), "
        "tracking_number = coalesce(?, tracking_number), "
        "shipping_provider = coalesce(?, shipping_provider), "
        "shipping_provider_id = coalesce(?, shipping_provider_id), "
        "carrier_fallback = coalesce(?, carrier_fallback), "
        "tiktok_package_id = coalesce(?, tiktok_package_id), updated_at = ? "
        "WHERE shop_id = ? AND store_fulfillment_id = ?",
        (
            status,
            reason,
            carrier,
            tracking_number,
            provider,
            provider_id,
            None if fallback is None else int(fallback),
            package_id,
            stamp(now),
            shop_id,
            store_fulfillment_id,
        ),
    )


async def shipments_of(tx: Tx, tiktok_order_id: str) -> list[ShipmentRow]:
    rows = await tx.fetchall(
        f"SELECT {_SHIPMENT} FROM fulfillments WHERE tiktok_order_id = ? ORDER BY id",
        (tiktok_order_id,),
    )
    return [_shipment(row) for row in rows]


async def unsent_shipments(tx: Tx, shop_id: str) -> list[ShipmentRow]:
    """Shipments noticed but neither sent nor settled (a crash between noting and sending)."""
    rows = await tx.fetchall(
        f"SELECT {_SHIPMENT} FROM fulfillments WHERE shop_id = ? "
        "AND status NOT IN (?, ?) ORDER BY id",
        (shop_id, *_FINAL_SHIPMENT),
    )
    return [_shipment(row) for row in rows]


# --- cancellations -------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationRow:
    shop_id: str
    tiktok_order_id: str
    origin: str  # "tiktok" or "store"
    tiktok_cancel_id: str | None
    role: str | None
    reason: str | None
    status: str
    refund_amount: Decimal | None
    refund_currency: str | None
    units: int
    attempts: int
    updated_at: str


_CANCELLATION = (
    "shop_id, tiktok_order_id, origin, tiktok_cancel_id, role, reason, status, refund_amount, "
    "refund_currency, units, attempts, updated_at"
)


def _cancellation(row: Sequence[object]) -> CancellationRow:
    return CancellationRow(
        shop_id=str(row[0]),
        tiktok_order_id=str(row[1]),
        origin=str(row[2]),
        tiktok_cancel_id=None if row[3] is None else str(row[3]),
        role=None if row[4] is None else str(row[4]),
        reason=None if row[5] is None else str(row[5]),
        status=str(row[6]),
        refund_amount=None if row[7] is None else Decimal(str(row[7])),
        refund_currency=None if row[8] is None else str(row[8]),
        units=int(str(row[9])),
        attempts=int(str(row[10])),
        updated_at=str(row[11]),
    )


async def get_cancellation(tx: Tx, tiktok_order_id: str, origin: str) -> CancellationRow | None:
    row = await tx.fetchone(
        f"SELECT {_CANCELLATION} FROM cancellations WHERE tiktok_order_id = ? AND origin = ?",
        (tiktok_order_id, origin),
    )
    return None if row is None else _cancellation(row)


async def note_tiktok_cancellation(
    tx: Tx,
    *,
    shop_id: str,
    tiktok_order_id: str,
    cancel_id: str,
    role: str,
    reason: str | None,
    status: str,
    refund: tuple[Decimal, str] | None,
    units: int,
    now: datetime,
) -> None:
    """The latest TikTok cancellation record of the order, with its refund."""
    await tx.execute(
        "INSERT INTO cancellations (shop_id, tiktok_order_id, origin, tiktok_cancel_id, role, "
        "reason, status, refund_amount, refund_currency, units, created_at, updated_at) "
        "VALUES (?, ?, 'tiktok', ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (shop_id, tiktok_order_id, origin) DO UPDATE SET "
        "tiktok_cancel_id = excluded.tiktok_cancel_id, role = excluded.role, "
        "reason = coalesce(excluded.reason, cancellations.reason), status = excluded.status, "
        "refund_amount = coalesce(excluded.refund_amount, cancellations.refund_amount), "
        "refund_currency = coalesce(excluded.refund_currency, cancellations.refund_currency), "
        "units = excluded.units, updated_at = excluded.updated_at",
        (
            shop_id,
            tiktok_order_id,
            cancel_id,
            role,
            reason,
            status,
            None if refund is None else str(refund[0]),
            None if refund is None else refund[1],
            units,
            stamp(now),
            stamp(now),
        ),
    )


async def set_store_cancellation(
    tx: Tx,
    *,
    shop_id: str,
    tiktok_order_id: str,
    status: str,
    reason: str | None,
    now: datetime,
    cancel_id: str | None = None,
    count_attempt: bool = False,
) -> int:
    """Note (or move) the store-side cancellation of an order; the attempts made before."""
    before = await get_cancellation(tx, tiktok_order_id, "store")
    await tx.execute(
        "INSERT INTO cancellations (shop_id, tiktok_order_id, origin, tiktok_cancel_id, role, "
        "reason, status, attempts, created_at, updated_at) "
        "VALUES (?, ?, 'store', ?, 'STORE', ?, ?, ?, ?, ?) "
        "ON CONFLICT (shop_id, tiktok_order_id, origin) DO UPDATE SET status = excluded.status, "
        "reason = excluded.reason, "
        "tiktok_cancel_id = coalesce(excluded.tiktok_cancel_id, cancellations.tiktok_cancel_id), "
        "attempts = cancellations.attempts + ?, updated_at = excluded.updated_at",
        (
            shop_id,
            tiktok_order_id,
            cancel_id,
            reason,
            status,
            int(count_attempt),
            stamp(now),
            stamp(now),
            int(count_attempt),
        ),
    )
    return 0 if before is None else before.attempts


async def cancellations_for_report(tx: Tx, shop_id: str | None) -> list[CancellationRow]:
    rows = await tx.fetchall(
        f"SELECT {_CANCELLATION} FROM cancellations WHERE ? IS NULL OR shop_id = ? "
        "ORDER BY updated_at DESC LIMIT 200",
        (shop_id, shop_id),
    )
    return [_cancellation(row) for row in rows]


async def shipments_for_report(tx: Tx, shop_id: str | None) -> list[ShipmentRow]:
    """Shipments that fell back to the default carrier or were not sent, newest first."""
    rows = await tx.fetchall(
        f"SELECT {_SHIPMENT} FROM fulfillments WHERE (? IS NULL OR shop_id = ?) "
        "AND (carrier_fallback = 1 OR status != 'sent') ORDER BY updated_at DESC LIMIT 200",
        (shop_id, shop_id),
    )
    return [_shipment(row) for row in rows]


async def shipments_of_order(tx: Tx, tiktok_order_id: str) -> list[ShipmentRow]:
    """Every shipment of one order, oldest first (`ttsync orders ID`)."""
    rows = await tx.fetchall(
        f"SELECT {_SHIPMENT} FROM fulfillments WHERE tiktok_order_id = ? ORDER BY created_at, id",
        (tiktok_order_id,),
    )
    return [_shipment(row) for row in rows]


async def cancellations_of_order(tx: Tx, tiktok_order_id: str) -> list[CancellationRow]:
    rows = await tx.fetchall(
        f"SELECT {_CANCELLATION} FROM cancellations WHERE tiktok_order_id = ? "
        "ORDER BY created_at, id",
        (tiktok_order_id,),
    )
    return [_cancellation(row) for row in rows]
