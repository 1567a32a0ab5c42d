"""The cancellation job: TikTok cancellations mirrored into the store (DOMAIN.md section 8).

A scheduled run reads TikTok's cancellation records changed since the cursor less the overlap
(both spellings of the withdrawn status are understood), records each with its refund, and
re-reads the orders they cancelled. Then every order TikTok shows as cancelled is mirrored:
not yet imported → SKIPPED, never created; imported → the store order is cancelled with
restock and a reason. Partial cancellations (some units) and refunds are recorded and shown,
not mirrored. Then cancellations made in the store are handled by `StoreCancellations`, and
last TikTok's returns are recorded by `RecordReturns` (shown, never mirrored).

A targeted run takes ``ctx.hints`` as TikTok order ids (webhooks 11 and 12) or store order ids
(the store's ``orders/cancelled``); the ledger tells which is which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import OrderChannel, StoreOrders
from daemon.domain import OrderPhase
from daemon.domain.bookmarks import poll_from_seconds
from daemon.domain.order_status import store_cancel_reason
from daemon.domain.orders import CancellationState, MarketplaceCancellation, MarketplaceOrder
from daemon.errors import AuthError, SyncError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.returns import RecordReturns
from daemon.jobs.runner import RunContext
from daemon.jobs.store_cancellations import StoreCancellations
from daemon.ledger import Ledger, aftersales, cursors, orders, retry
from daemon.ledger import order_flow as flow
from daemon.ledger.orders import OrderRecord

ENTITY = "order"
CURSOR = "cancellations"
IMPORT_JOB = "orders"  # whose retry entries a skipped order no longer needs
_DONE = (CancellationState.ACCEPTED, CancellationState.COMPLETE)
NEVER_CREATED = "cancelled on TikTok before it was imported; never created"


@dataclass(frozen=True)
class MirrorCancellations:
    ledger: Ledger
    channel: OrderChannel
    store: StoreOrders
    failures: FailureQueue
    store_side: StoreCancellations
    overlap: timedelta
    backfill: timedelta
    returns: RecordReturns

    async def __call__(self, ctx: RunContext) -> None:
        if ctx.targeted:
            tiktok_ids, store_ids = await self._sort_hints(ctx)
            if tiktok_ids:
                await self._read_tiktok(ctx, order_ids=tiktok_ids)
                await self._mirror(ctx, only=set(tiktok_ids))
            for store_order_id in store_ids:
                await self.store_side.consider_id(ctx, store_order_id)
            if tiktok_ids:
                await self.returns(ctx, order_ids=tiktok_ids)
            return
        await self._read_tiktok(ctx)
        await self._mirror(ctx, only=None)
        await self.store_side.poll(ctx)
        await self.returns(ctx)

    async def _sort_hints(self, ctx: RunContext) -> tuple[list[str], list[str]]:
        tiktok_ids, store_ids = [], []
        async with self.ledger.read() as tx:
            for hint in sorted(ctx.hints):
                if await orders.get_order(tx, hint) is not None:
                    tiktok_ids.append(hint)
                elif await orders.get_by_store_id(tx, ctx.shop_id, hint) is not None:
                    store_ids.append(hint)
                else:
                    tiktok_ids.append(hint)  # an order TikTok cancelled before we saw it
        return tiktok_ids, store_ids

    async def _read_tiktok(self, ctx: RunContext, order_ids: Sequence[str] = ()) -> None:
        """Record TikTok's cancellation records and refresh the orders they touch."""
        cursor = None
        since = None
        if not order_ids:
            async with self.ledger.read() as tx:
                cursor = await cursors.get_cursor(tx, ctx.shop_id, CURSOR)
            since = poll_from_seconds(
                int(cursor) if cursor else None,
                overlap=self.overlap,
                now=ctx.now(),
                backfill=self.backfill,
            )
        newest = int(cursor) if cursor else None
        async for page in self.channel.cancellations(since=since, order_ids=order_ids):
            await self._record(ctx, page)
            touched = [record.order_id for record in page if record.state in _DONE]
            await self._refresh(ctx, touched)
            times = [record.updated_at for record in page]
            if since is not None and times and (newest is None or max(times) > newest):
                newest = max(times)
                async with self.ledger.transaction() as tx:
                    await cursors.set_cursor(tx, ctx.shop_id, CURSOR, str(newest), ctx.now())
        if order_ids:
            await self._refresh(ctx, order_ids)

    async def _record(self, ctx: RunContext, page: Sequence[MarketplaceCancellation]) -> None:
        async with self.ledger.transaction() as tx:
            for record in page:
                before = await aftersales.get_cancellation(tx, record.order_id, "tiktok")
                refund = (record.refund.amount, record.refund.currency) if record.refund else None
                await aftersales.note_tiktok_cancellation(
                    tx,
                    shop_id=ctx.shop_id,
                    tiktok_order_id=record.order_id,
                    cancel_id=record.id,
                    role=record.role,
                    reason=record.reason or None,
                    status=record.state.value,
                    refund=refund,
                    units=len(record.line_ids),
                    now=ctx.now(),
                )
                if before is None or (before.tiktok_cancel_id, before.status) != (
                    record.id,
                    record.state.value,
                ):
                    ctx.counts["cancellations_recorded"] += 1
                    ctx.log.info(
                        "tiktok_cancellation",
                        order=record.order_id,
                        state=record.state.value,
                        role=record.role,
                        refund=str(record.refund) if record.refund else None,
                    )

    async def _refresh(self, ctx: RunContext, order_ids: Sequence[str]) -> None:
        """Read the orders again, so the ledger knows which are now wholly cancelled."""
        if not order_ids:
            return
        found = await self.channel.orders(list(dict.fromkeys(order_ids)))
        async with self.ledger.transaction() as tx:
            for order in found:
                if not isinstance(order, MarketplaceOrder):
                    ctx.counts["cancellations_order_unknown"] += 1
                    continue
                await orders.upsert_order(
                    tx,
                    shop_id=ctx.shop_id,
                    tiktok_order_id=order.id,
                    tiktok_status=order.state.value,
                    tiktok_update_time=order.updated_at,
                    now=ctx.now(),
                    shipping_type=order.shipped_by.value,
                    tiktok_create_time=order.created_at,
                )

    async def _mirror(self, ctx: RunContext, only: set[str] | None) -> None:
        async with self.ledger.read() as tx:
            candidates = await flow.cancel_candidates(tx, ctx.shop_id)
            due = set(await self.failures.due(tx, ctx, ENTITY))
            queued = {
                entry.entity_id
                for entry in await retry.list_entries(tx, ctx.shop_id)
                if entry.job == ctx.job and entry.entity_kind == ENTITY
            }
        for record in candidates:
            order_id = record.tiktok_order_id
            if only is not None and order_id not in only:
                continue
            if only is None and order_id in queued and order_id not in due:
                continue  # waiting out its backoff
            if record.phase in (OrderPhase.SEEN, OrderPhase.BLOCKED):
                await self._never_created(ctx, order_id)
            else:
                await self._cancel_in_store(ctx, record)

    async def _never_created(self, ctx: RunContext, order_id: str) -> None:
        async with self.ledger.transaction() as tx:
            moved = await flow.move_phase(
                tx,
                order_id,
                OrderPhase.SKIPPED,
                allowed_from=(OrderPhase.SEEN, OrderPhase.BLOCKED),
                reason=NEVER_CREATED,
                now=ctx.now(),
            )
            await retry.resolve(
                tx, shop_id=ctx.shop_id, job=IMPORT_JOB, entity_kind=ENTITY, entity_id=order_id
            )
        if moved:
            ctx.skipped(ENTITY, order_id, NEVER_CREATED)
            ctx.counts["orders_never_created"] += 1

    async def _cancel_in_store(self, ctx: RunContext, record: OrderRecord) -> None:
        assert record.store_order_id is not None  # CREATED and IMPORTED orders have one
        async with self.ledger.read() as tx:
            why = await aftersales.get_cancellation(tx, record.tiktok_order_id, "tiktok")
        reason = store_cancel_reason(why.role if why else None, why.reason if why else None)
        try:
            await self.store.cancel_order(record.store_order_id, reason=reason, restock=True)
        except AuthError:
            raise
        except SyncError as exc:
            async with self.ledger.transaction() as tx:
                await self.failures.failed(
                    tx,
                    ctx,
                    ENTITY,
                    record.tiktok_order_id,
                    f"TikTok cancelled the order but store order {record.store_order_id} could "
                    f"not be cancelled: {exc}",
                )
            return
        async with self.ledger.transaction() as tx:
            await flow.set_store_cancelled(tx, record.tiktok_order_id, ctx.now())
            await self.failures.succeeded(tx, ctx, ENTITY, record.tiktok_order_id)
        ctx.ok(ENTITY, record.tiktok_order_id)
        ctx.counts["store_orders_cancelled"] += 1
        ctx.log.info(
            "store_order_cancelled",
            order=record.tiktok_order_id,
            store_order=record.store_order_id,
            reason=reason.value,
        )
