"""The fulfilment job: store fulfilments (carrier and tracking) to TikTok (DOMAIN.md section 7).

A scheduled run reads the store's fulfilments changed since the cursor less the overlap (the
cursor moves only after they are all handled), then the ones whose retry is due, then any a
crash left noticed but unsent. A webhook's targeted run (``ctx.hints`` = store order ids)
reads just those orders' fulfilments. Fulfilments of orders that did not come from TikTok are
counted and left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import OrderChannel, StoreOrders
from daemon.domain.bookmarks import poll_from
from daemon.domain.models import BadRecord
from daemon.domain.orders import FulfillmentStatus, MarketplaceOrder, StoreFulfillment
from daemon.jobs.failures import FailureQueue
from daemon.jobs.runner import RunContext
from daemon.jobs.shipment import ENTITY, ProviderCache, ShipmentSender
from daemon.ledger import Ledger, Tx, aftersales, cursors, orders, retry
from daemon.ledger.aftersales import ShipmentRow
from daemon.ledger.times import parse, stamp

CURSOR = "fulfillments"


@dataclass(frozen=True)
class SendFulfillments:
    ledger: Ledger
    store: StoreOrders
    channel: OrderChannel
    sender: ShipmentSender
    failures: FailureQueue
    overlap: timedelta
    backfill: timedelta
    # A ship call TikTok did not answer may still be under way there: the shipment is not
    # tried again (not even for a webhook) until this long after that attempt.
    settle: timedelta = timedelta(seconds=90)

    async def __call__(self, ctx: RunContext) -> None:
        cache = ProviderCache(self.channel)
        if ctx.targeted:
            for store_order_id in sorted(ctx.hints):
                of_order = await self.store.order_fulfillments(store_order_id)
                await self._handle(ctx, of_order, cache, forced=True)
            return
        async with self.ledger.read() as tx:
            cursor = await cursors.get_cursor(tx, ctx.shop_id, CURSOR)
        since = poll_from(
            parse(cursor) if cursor else None,
            overlap=self.overlap,
            now=ctx.now(),
            backfill=self.backfill,
        )
        found = await self.store.fulfillments_since(since)
        good: list[StoreFulfillment] = []
        for each in found:
            if isinstance(each, BadRecord):
                ctx.failed("order", each.id, f"the store sent an unreadable order: {each.reason}")
            else:
                good.append(each)
        await self._handle(ctx, good, cache, forced=False)
        newest = max((record.updated_at for record in good), default=None)
        if newest is not None and (cursor is None or newest > parse(cursor)):
            async with self.ledger.transaction() as tx:
                await cursors.set_cursor(tx, ctx.shop_id, CURSOR, stamp(newest), ctx.now())
        await self._again(ctx, cache)

    async def _again(self, ctx: RunContext, cache: ProviderCache) -> None:
        """Due retries, and shipments a crash left noticed but unsent (no retry entry)."""
        async with self.ledger.read() as tx:
            due = set(await self.failures.due(tx, ctx, ENTITY))
            unsent = await aftersales.unsent_shipments(tx, ctx.shop_id)
            queued = {
                entry.entity_id
                for entry in await retry.list_entries(tx, ctx.shop_id)
                if entry.job == ctx.job and entry.entity_kind == ENTITY
            }
        rows = [
            row
            for row in unsent
            if row.store_fulfillment_id in due or row.store_fulfillment_id not in queued
        ]
        for store_order_id in sorted({row.store_order_id for row in rows if row.store_order_id}):
            wanted = {r.store_fulfillment_id for r in rows if r.store_order_id == store_order_id}
            found = await self.store.order_fulfillments(store_order_id)
            mine = [record for record in found if record.id in wanted]
            await self._handle(ctx, mine, cache, forced=True)

    async def _handle(
        self,
        ctx: RunContext,
        found: Sequence[StoreFulfillment],
        cache: ProviderCache,
        *,
        forced: bool,
    ) -> None:
        work: list[tuple[StoreFulfillment, ShipmentRow]] = []
        async with self.ledger.transaction() as tx:
            for record in found:
                if record.status is not FulfillmentStatus.SUCCESS:
                    ctx.counts["fulfillments_ignored"] += 1
                    continue
                order = await orders.get_by_store_id(tx, ctx.shop_id, record.order_id)
                if order is None:
                    ctx.counts["fulfillments_not_tiktok"] += 1
                    continue
                row = await aftersales.note_shipment(
                    tx,
                    shop_id=ctx.shop_id,
                    tiktok_order_id=order.tiktok_order_id,
                    store_order_id=record.order_id,
                    store_fulfillment_id=record.id,
                    carrier=record.tracking_company or "",
                    tracking_number=record.tracking_number or "",
                    now=ctx.now(),
                )
                if await self._wanted(tx, ctx, row, record, forced=forced):
                    work.append((record, row))
        if not work:
            return
        tiktok = await self.channel.orders(sorted({row.tiktok_order_id for _, row in work}))
        by_id = {order.id: order for order in tiktok}
        for record, row in work:
            tiktok_order = by_id.get(row.tiktok_order_id)
            if not isinstance(tiktok_order, MarketplaceOrder):
                reason = tiktok_order.reason if tiktok_order else "TikTok returned no such order"
                await self.sender.fail(ctx, row, f"the TikTok order cannot be read: {reason}")
            elif row.status == "sent":
                await self.sender.retrack(ctx, record, row, tiktok_order, cache)
            else:
                await self.sender.send(ctx, record, row, tiktok_order, cache)

    async def _wanted(
        self,
        tx: Tx,
        ctx: RunContext,
        row: ShipmentRow,
        record: StoreFulfillment,
        *,
        forced: bool,
    ) -> bool:
        """Whether to act on this fulfilment now (respecting its retry backoff)."""
        if row.status == "not_sent":
            return False
        if row.status == "sent":
            return bool(record.tracking_number) and record.tracking_number != row.tracking_number
        if row.attempts > 0 and ctx.now() - parse(row.updated_at) < self.settle:
            ctx.counts["shipments_settling"] += 1
            return False
        if forced:
            return True
        entry = await retry.get_entry(tx, ctx.shop_id, ctx.job, ENTITY, row.store_fulfillment_id)
        return entry is None or (not entry.parked and entry.next_attempt_at <= ctx.now())
