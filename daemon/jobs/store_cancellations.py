"""Cancellations made in the store, for orders that came from TikTok (DOMAIN.md section 8).

They go to TikTok only when ``rules.push_store_cancellations`` is on, with the store's reason
mapped to a TikTok cancel reason (``orders.cancel_reason`` when there is no counterpart). When
it is off, the cancellation is still recorded and shown, with a line saying it was not pushed.
The cancel call is not repeated blindly: ``pushing`` (with the attempt counted) is committed
first, and a later attempt looks for a seller cancellation TikTok already holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import OrderChannel, StoreOrders
from daemon.domain.bookmarks import poll_from
from daemon.domain.order_status import tiktok_cancel_reason
from daemon.domain.orders import CancellationState, StoreOrder
from daemon.errors import AuthError, SyncError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, aftersales, cursors, orders, retry
from daemon.ledger.orders import OrderRecord
from daemon.ledger.times import parse, stamp

ENTITY = "store_cancellation"
CURSOR = "store_cancellations"
_SETTLED = ("pushed", "not_pushed")
_DONE = (CancellationState.ACCEPTED, CancellationState.COMPLETE)
NOT_PUSHED = (
    "cancelled in the store; not sent to TikTok because rules.push_store_cancellations is off "
    "(cancel it in TikTok Seller Center, or turn the rule on)"
)


@dataclass(frozen=True)
class StoreCancellations:
    ledger: Ledger
    store: StoreOrders
    channel: OrderChannel
    failures: FailureQueue
    push: bool
    market: str
    default_reason: str
    overlap: timedelta
    backfill: timedelta

    async def poll(self, ctx: RunContext) -> None:
        """Store orders cancelled since the cursor (less the overlap), then due retries."""
        async with self.ledger.read() as tx:
            cursor = await cursors.get_cursor(tx, ctx.shop_id, CURSOR)
        since = poll_from(
            parse(cursor) if cursor else None,
            overlap=self.overlap,
            now=ctx.now(),
            backfill=self.backfill,
        )
        found = await self.store.cancelled_orders_since(since)
        newest = None
        for each in found:
            if isinstance(each, StoreOrder):
                await self.consider(ctx, each, forced=False)
                newest = each.updated_at if newest is None else max(newest, each.updated_at)
            else:
                ctx.failed("order", each.id, f"the store sent an unreadable order: {each.reason}")
        if newest is not None and (cursor is None or newest > parse(cursor)):
            async with self.ledger.transaction() as tx:
                await cursors.set_cursor(tx, ctx.shop_id, CURSOR, stamp(newest), ctx.now())
        async with self.ledger.read() as tx:
            due = await self.failures.due(tx, ctx, ENTITY)
            records = [await orders.get_order(tx, order_id) for order_id in due]
        for record in records:
            if record is not None and record.store_order_id is not None:
                await self.consider_id(ctx, record.store_order_id)

    async def consider_id(self, ctx: RunContext, store_order_id: str) -> None:
        """A store order a webhook (or a retry) names: acted on if it is cancelled."""
        current = await self.store.order(store_order_id)
        if current is not None and current.cancelled:
            await self.consider(ctx, current, forced=True)

    async def consider(self, ctx: RunContext, store_order: StoreOrder, *, forced: bool) -> None:
        async with self.ledger.read() as tx:
            record = await orders.get_by_store_id(tx, ctx.shop_id, store_order.id)
            row = (
                None
                if record is None
                else await aftersales.get_cancellation(tx, record.tiktok_order_id, "store")
            )
            entry = (
                None
                if record is None
                else await retry.get_entry(tx, ctx.shop_id, ctx.job, ENTITY, record.tiktok_order_id)
            )
        if record is None:
            ctx.counts["cancellations_not_tiktok"] += 1
            return
        if record.tiktok_status == "CANCELLED" and row is not None and row.status == "pushing":
            await self._pushed(ctx, record.tiktok_order_id, None, "TikTok shows it cancelled")
            return
        if record.store_cancelled_at is not None or record.tiktok_status == "CANCELLED":
            return  # our own mirror of a TikTok cancellation, or TikTok has it already
        if row is not None and row.status in _SETTLED:
            return
        if not self.push:
            await self._not_pushed(ctx, record)
            return
        waiting = entry is not None and (entry.parked or entry.next_attempt_at > ctx.now())
        if waiting and not forced:
            return
        try:
            await self._push(ctx, record, store_order)
        except AuthError:
            raise
        except SyncError as exc:
            await self._failed(ctx, record, f"TikTok did not cancel the order: {exc}")

    async def _push(self, ctx: RunContext, record: OrderRecord, store_order: StoreOrder) -> None:
        code = tiktok_cancel_reason(store_order.cancel_reason, self.market, self.default_reason)
        order_id = record.tiktok_order_id
        async with self.ledger.transaction() as tx:
            before = await aftersales.set_store_cancellation(
                tx,
                shop_id=ctx.shop_id,
                tiktok_order_id=order_id,
                status="pushing",
                reason=f"sending to TikTok with reason {code}",
                now=ctx.now(),
                count_attempt=True,
            )
        cancel_id = await self._already(order_id) if before > 0 else None
        if cancel_id is None:
            cancel_id = await self.channel.cancel(order_id, code)
        await self._pushed(ctx, order_id, cancel_id, f"cancelled on TikTok with reason {code}")

    async def _pushed(
        self, ctx: RunContext, order_id: str, cancel_id: str | None, reason: str
    ) -> None:
        async with self.ledger.transaction() as tx:
            await aftersales.set_store_cancellation(
                tx,
                shop_id=ctx.shop_id,
                tiktok_order_id=order_id,
                status="pushed",
                reason=reason,
                now=ctx.now(),
                cancel_id=cancel_id,
            )
            await self.failures.succeeded(tx, ctx, ENTITY, order_id)
        ctx.ok(ENTITY, order_id)
        ctx.counts["store_cancellations_pushed"] += 1
        ctx.log.info("store_cancellation_pushed", order=order_id, reason=reason)

    async def _already(self, order_id: str) -> str | None:
        """A seller cancellation TikTok already holds for the order (an earlier attempt)."""
        async for page in self.channel.cancellations(order_ids=[order_id]):
            for record in page:
                if record.role == "SELLER" and record.state in _DONE:
                    return record.id
        return None

    async def _not_pushed(self, ctx: RunContext, record: OrderRecord) -> None:
        async with self.ledger.transaction() as tx:
            await aftersales.set_store_cancellation(
                tx,
                shop_id=ctx.shop_id,
                tiktok_order_id=record.tiktok_order_id,
                status="not_pushed",
                reason=NOT_PUSHED,
                now=ctx.now(),
            )
        ctx.skipped(ENTITY, record.tiktok_order_id, NOT_PUSHED)
        ctx.log.warning(
            "store_cancellation_not_pushed",
            order=record.tiktok_order_id,
            store_order=record.store_order_id,
        )

    async def _failed(self, ctx: RunContext, record: OrderRecord, reason: str) -> None:
        async with self.ledger.transaction() as tx:
            await aftersales.set_store_cancellation(
                tx,
                shop_id=ctx.shop_id,
                tiktok_order_id=record.tiktok_order_id,
                status="failed",
                reason=reason,
                now=ctx.now(),
            )
            await self.failures.failed(tx, ctx, ENTITY, record.tiktok_order_id, reason)
