"""The order import job: TikTok orders into the store, exactly once (DOMAIN.md section 6).

A scheduled run:

1. polls TikTok's order search by ``update_time`` from the cursor less the overlap, page by
   page, oldest change first; the cursor moves to the newest update of a page only after every
   order of that page is committed (so a crash re-reads, never skips);
2. retries the orders whose retry-queue entry is due (or was re-queued with ``ttsync retry``);
3. imports blocked orders whose SKUs have since been linked, without waiting for their backoff;
4. finishes orders a crash left mid-import that no retry entry would bring back.

A webhook's targeted run (``ctx.hints`` = TikTok order ids) looks at just those orders.
Each order moves through `OrderImporter`; a page's store order ids are written back to TikTok
as external order references in one call, after which the orders are IMPORTED.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import OrderChannel
from daemon.domain import OrderPhase
from daemon.domain.bookmarks import poll_from_seconds
from daemon.domain.models import BadRecord
from daemon.domain.orders import MarketplaceOrder, StoreOrderLink
from daemon.errors import AuthError, SyncError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.order_import import ENTITY, OrderImporter, needs_work
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, cursors, orders
from daemon.ledger import order_flow as flow

CURSOR = "orders"


@dataclass(frozen=True)
class ImportOrders:
    ledger: Ledger
    channel: OrderChannel
    importer: OrderImporter
    failures: FailureQueue
    overlap: timedelta
    # How far back the very first poll looks (no cursor yet).
    backfill: timedelta
    # Orders of one page handled side by side (store calls overlap; the ledger serialises).
    concurrency: int = 4

    async def __call__(self, ctx: RunContext) -> None:
        if ctx.targeted:
            await self._look_at(ctx, sorted(ctx.hints))
            return
        await self._poll(ctx)
        async with self.ledger.read() as tx:
            due = await self.failures.due(tx, ctx, ENTITY)
            unblocked = await flow.unblockable(tx, ctx.shop_id)
            stranded = await flow.stranded(tx, ctx.shop_id, ctx.job)
        await self._look_at(ctx, due)
        if unblocked:
            ctx.log.info("orders_unblocked", count=len(unblocked))
            await self._look_at(ctx, unblocked)
        await self._look_at(ctx, [record.tiktok_order_id for record in stranded])

    async def _poll(self, ctx: RunContext) -> None:
        async with self.ledger.read() as tx:
            cursor = await cursors.get_cursor(tx, ctx.shop_id, CURSOR)
        newest = int(cursor) if cursor else None
        since = poll_from_seconds(
            newest, overlap=self.overlap, now=ctx.now(), backfill=self.backfill
        )
        async for page in self.channel.updated_orders(since):
            await self._batch(ctx, page, only_changed=True)
            times = [order.updated_at for order in page if isinstance(order, MarketplaceOrder)]
            if times and (newest is None or max(times) > newest):
                newest = max(times)
                async with self.ledger.transaction() as tx:
                    await cursors.set_cursor(tx, ctx.shop_id, CURSOR, str(newest), ctx.now())

    async def _look_at(self, ctx: RunContext, order_ids: Sequence[str]) -> None:
        wanted = list(dict.fromkeys(order_ids))
        if wanted:
            await self._batch(ctx, await self.channel.orders(wanted), only_changed=False)

    async def _batch(
        self,
        ctx: RunContext,
        page: Sequence[MarketplaceOrder | BadRecord],
        *,
        only_changed: bool,
    ) -> None:
        found = [order for order in page if isinstance(order, MarketplaceOrder)]
        for bad in (order for order in page if isinstance(order, BadRecord)):
            await self.importer.fail(
                ctx, bad.id, f"TikTok sent an order that cannot be read: {bad.reason}"
            )
        if only_changed:
            async with self.ledger.read() as tx:
                known = {order.id: await orders.get_order(tx, order.id) for order in found}
            found = [order for order in found if needs_work(known[order.id], order)]
        gate = asyncio.Semaphore(self.concurrency)

        async def one(order: MarketplaceOrder) -> StoreOrderLink | None:
            async with gate:
                return await self.importer.handle(ctx, order)

        # Every order finishes (or fails) before an error ends the run: no import is left
        # running behind a finished run.
        done = await asyncio.gather(*map(one, found), return_exceptions=True)
        links = [link for link in done if isinstance(link, StoreOrderLink)]
        if links:
            await self._write_back(ctx, links)
        for outcome in done:
            if isinstance(outcome, BaseException):
                raise outcome

    async def _write_back(self, ctx: RunContext, links: list[StoreOrderLink]) -> None:
        """Store order ids to TikTok as external references; then the orders are IMPORTED."""
        try:
            refused = await self.channel.link_store_orders(links)
        except AuthError:
            raise
        except SyncError as exc:
            refused = {link.order_id: f"{type(exc).__name__}: {exc}" for link in links}
        imported = 0
        async with self.ledger.transaction() as tx:
            for link in links:
                if link.order_id in refused:
                    reason = (
                        f"store order {link.store_order_id} exists, but TikTok did not take it "
                        f"as the external reference: {refused[link.order_id]}"
                    )
                    await self.failures.failed(tx, ctx, ENTITY, link.order_id, reason)
                    continue
                await flow.move_phase(
                    tx,
                    link.order_id,
                    OrderPhase.IMPORTED,
                    allowed_from=(OrderPhase.CREATED,),
                    reason=None,
                    now=ctx.now(),
                )
                await self.failures.succeeded(tx, ctx, ENTITY, link.order_id)
                ctx.ok(ENTITY, link.order_id)
                imported += 1
        ctx.counts["orders_imported"] += imported
