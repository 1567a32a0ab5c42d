"""One TikTok order into the store, exactly once, resumable from any crash.

The protocol (each arrow a committed ledger write, DOMAIN.md section 6):

    SEEN ──► CREATING (attempt counted, committed BEFORE the store call)
                 ├─ attempts before > 0: look in the store for an order carrying the TikTok
                 │  id as its reference (each store keeps it its own way); found: adopt it
                 │  instead of creating
                 └─ else create it
             ──► CREATED (store order id) ──► external reference on TikTok ──► IMPORTED

A crash anywhere resumes from the committed phase: a crash between the store's create and the
CREATED commit leaves CREATING with an attempt counted, so the next try looks first. Orders that
cannot be created yet are BLOCKED with the reason; orders cancelled (or shipped elsewhere) before
import are SKIPPED and never created.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from daemon.connectors.base import StoreOrders
from daemon.domain import OrderPhase
from daemon.domain.order_import import (
    Blocked,
    Importability,
    ImportRules,
    SkuLink,
    importability,
    line_links,
    plan_import,
    sku_units,
)
from daemon.domain.orders import MarketplaceOrder, OrderDraft, StoreOrder, StoreOrderLink
from daemon.errors import AuthError, RetriableError, SyncError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.order_labels import StatusMirror
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, Tx, orders
from daemon.ledger import order_flow as flow
from daemon.ledger.orders import OrderRecord

ENTITY = "order"
_FINAL = (OrderPhase.IMPORTED, OrderPhase.SKIPPED)
_SKIP_REASONS = {
    Importability.CANCELLED: "cancelled on TikTok before it was imported; never created",
    Importability.SHIPPED_OUTSIDE: (
        "already shipped on TikTok (status {state}) before ttsync could import it; not "
        "created in the store, so it cannot be shipped twice (create it by hand if needed)"
    ),
}


def needs_work(record: OrderRecord | None, order: MarketplaceOrder) -> bool:
    """False when the ledger already holds this view of the order and a poll has nothing to
    add: unchanged orders mid-import come back through the retry queue or the stranded scan."""
    if record is None or record.tiktok_update_time < order.updated_at:
        return True
    if record.tiktok_status != order.state.value:  # changed within the same second
        return True
    if record.phase is OrderPhase.SEEN:  # noted, then the process died before it went on
        return importability(order) is not Importability.WAIT
    return record.phase is OrderPhase.IMPORTED and record.mirrored_status != order.state.value


@dataclass(frozen=True)
class OrderImporter:
    ledger: Ledger
    store: StoreOrders
    failures: FailureQueue
    rules: ImportRules
    mirror: StatusMirror
    # A create the store did not answer may still be under way there: the order is neither
    # looked for nor created again until this long after that attempt started.
    settle: timedelta = timedelta(seconds=90)
    # How far before the first create attempt to look for the store order: allows for the
    # store's clock and the marketplace's being that far apart.
    lookup_margin: timedelta = timedelta(days=1)

    async def handle(self, ctx: RunContext, order: MarketplaceOrder) -> StoreOrderLink | None:
        """Move the order as far as it goes now; the link to write back once it is CREATED."""
        try:
            return await self._handle(ctx, order)
        except AuthError:
            raise
        except SyncError as exc:
            await self.fail(ctx, order.id, f"{type(exc).__name__}: {exc}")
            return None

    async def _handle(self, ctx: RunContext, order: MarketplaceOrder) -> StoreOrderLink | None:
        async with self.ledger.transaction() as tx:
            record = await orders.upsert_order(
                tx,
                shop_id=ctx.shop_id,
                tiktok_order_id=order.id,
                tiktok_status=order.state.value,
                tiktok_update_time=order.updated_at,
                now=ctx.now(),
                shipping_type=order.shipped_by.value,
                tiktok_create_time=order.created_at,
            )
            if record.tiktok_update_time > order.updated_at:
                return None  # an older view of the order; the newer one was handled
            if record.phase not in _FINAL and record.phase is not OrderPhase.CREATED:
                await flow.set_order_skus(tx, order.id, sku_units(order.lines))
            links = await self._links(tx, ctx.shop_id, order)
        if record.phase is OrderPhase.IMPORTED:
            await self.mirror.show(ctx, record, order.state)
            return None
        if record.phase is OrderPhase.SKIPPED:
            return None
        if record.phase is OrderPhase.CREATED:
            assert record.store_order_id is not None
            return StoreOrderLink(order.id, record.store_order_id)
        return await self._import(ctx, record, order, links)

    async def _links(self, tx: Tx, shop_id: str, order: MarketplaceOrder) -> dict[str, SkuLink]:
        rows = await flow.sku_links(tx, shop_id, sorted({line.sku_id for line in order.lines}))
        return {row.tiktok_sku_id: SkuLink(row.store_variant_id, row.deleted) for row in rows}

    async def _import(
        self,
        ctx: RunContext,
        record: OrderRecord,
        order: MarketplaceOrder,
        links: Mapping[str, SkuLink],
    ) -> StoreOrderLink | None:
        decision = importability(order)
        if decision is Importability.WAIT:
            ctx.counts["orders_waiting"] += 1
            return None
        if self._settling(ctx, record):
            ctx.counts["orders_settling"] += 1
            return None
        plan = plan_import(order, links, self.rules) if decision is Importability.IMPORT else None
        if not isinstance(plan, OrderDraft) and record.create_attempts > 0:
            # An earlier attempt may have created it: never leave a store order behind unseen.
            found = await self._find(record, order)
            if found is not None:
                return await self._adopt(ctx, order, found, links)
        if plan is None:
            await self._skip(ctx, order, _SKIP_REASONS[decision].format(state=order.state.value))
            return None
        if isinstance(plan, Blocked):
            await self._block(ctx, record, plan)
            return None
        return await self._create(ctx, order, plan, links)

    def _settling(self, ctx: RunContext, record: OrderRecord) -> bool:
        """True while an unanswered create may still be completing in the store."""
        started = record.create_started_at
        return (
            record.phase is OrderPhase.CREATING
            and started is not None
            and ctx.now() - started < self.settle
        )

    async def _create(
        self,
        ctx: RunContext,
        order: MarketplaceOrder,
        draft: OrderDraft,
        links: Mapping[str, SkuLink],
    ) -> StoreOrderLink | None:
        async with self.ledger.transaction() as tx:
            before = await flow.begin_creating(tx, order.id, ctx.now())
            record = await orders.get_order(tx, order.id)
        if before is None or record is None:
            return None  # another job moved the order meanwhile (e.g. it was cancelled)
        if before > 0:
            found = await self._find(record, order)
            if found is not None and not found.unfinished:
                return await self._adopt(ctx, order, found, links)
        try:
            created = await self.store.create_order(draft)
        except AuthError:
            raise
        except RetriableError as exc:
            await self.fail(
                ctx,
                order.id,
                f"the store did not confirm the order ({exc}); it looks for it before "
                "creating again",
            )
            return None
        except SyncError as exc:
            await self._block(
                ctx, record, Blocked((f"the store refused the order: {exc}",), "order")
            )
            return None
        async with self.ledger.transaction() as tx:
            await flow.mark_created(tx, order.id, created.id, order.state.value, ctx.now())
        ctx.counts["orders_created"] += 1
        return StoreOrderLink(order.id, created.id, line_links(order, links, created))

    async def _find(self, record: OrderRecord, order: MarketplaceOrder) -> StoreOrder | None:
        """The store order an earlier attempt created, if there is one."""
        started = [datetime.fromtimestamp(order.created_at, UTC)]
        if record.creating_since is not None:
            started.append(record.creating_since)
        return await self.store.find_order(
            order.id, created_since=min(started) - self.lookup_margin
        )

    async def _adopt(
        self,
        ctx: RunContext,
        order: MarketplaceOrder,
        found: StoreOrder,
        links: Mapping[str, SkuLink],
    ) -> StoreOrderLink | None:
        async with self.ledger.transaction() as tx:
            moved = await flow.mark_created(
                tx, order.id, found.id, found.marketplace_status, ctx.now()
            )
        if not moved:
            return None
        ctx.counts["orders_adopted"] += 1
        ctx.log.info("order_adopted", order=order.id, store_order=found.id)
        return StoreOrderLink(order.id, found.id, line_links(order, links, found))

    async def _skip(self, ctx: RunContext, order: MarketplaceOrder, reason: str) -> None:
        async with self.ledger.transaction() as tx:
            moved = await flow.move_phase(
                tx,
                order.id,
                OrderPhase.SKIPPED,
                allowed_from=flow.STARTABLE,
                reason=reason,
                now=ctx.now(),
            )
            await self.failures.succeeded(tx, ctx, ENTITY, order.id)
        if moved:
            ctx.skipped(ENTITY, order.id, reason)
            ctx.log.info("order_skipped", order=order.id, reason=reason)

    async def _block(self, ctx: RunContext, record: OrderRecord, blocked: Blocked) -> None:
        kind = "unlinked" if blocked.by_links else "refused"
        async with self.ledger.transaction() as tx:
            moved = await flow.move_phase(
                tx,
                record.tiktok_order_id,
                OrderPhase.BLOCKED,
                allowed_from=flow.STARTABLE,
                reason=blocked.reason,
                now=ctx.now(),
                blocked_kind=kind,
            )
            if moved:
                await self.failures.failed(
                    tx,
                    ctx,
                    ENTITY,
                    record.tiktok_order_id,
                    blocked.reason,
                    field_name=blocked.field,
                )
        if moved and (record.phase is not OrderPhase.BLOCKED or record.reason != blocked.reason):
            ctx.log.warning("order_blocked", order=record.tiktok_order_id, reason=blocked.reason)

    async def fail(self, ctx: RunContext, order_id: str, reason: str) -> None:
        async with self.ledger.transaction() as tx:
            await self.failures.failed(tx, ctx, ENTITY, order_id, reason)
