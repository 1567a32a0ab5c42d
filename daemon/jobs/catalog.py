"""The catalog job: store products onto TikTok, then follow their review.

Each run reads the products the store changed since the bookmark (all of them on the first run
and at each reconciliation), maps each to a category, validates it, hosts its images and creates
the listing, or links an existing TikTok product with the same seller SKUs instead of creating a
duplicate. After creation only price and inventory follow the store (the price and inventory
jobs), unless content updates are on. Only what the store sells is published: drafts, archived
and unpublished products never are, and the listing of one that stops being for sale is
deactivated (`withdrawals`). Products deleted in the store are deactivated on TikTok: found by
the store's deletion feed, or, for a store without one, by each full pass. A full pass also
records the stock its products carry, when the store's read includes it (`carried_stock`), so
that the inventory job need not read the whole store again. Finally the review outcome of
listings TikTok changed is polled (webhooks 5/37 only hint).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from daemon.connectors.base import LISTING_HINT, Marketplace, SourceStore
from daemon.domain import BadRecord
from daemon.domain.bookmarks import read_from
from daemon.domain.categories import (
    CategoryRule,
)
from daemon.domain.models import Product
from daemon.errors import (
    SkippableError,
)
from daemon.jobs.carried_stock import CarriedStock
from daemon.jobs.failures import FailureQueue
from daemon.jobs.passes import Pass, begin, finish
from daemon.jobs.product_pass import ENTITY, ProductPass
from daemon.jobs.progress import ProgressBoard, read_ahead
from daemon.jobs.publish import Publisher
from daemon.jobs.quota import QuotaGate
from daemon.jobs.reviews import Reviews
from daemon.jobs.runner import RunContext
from daemon.jobs.withdrawals import Withdrawals
from daemon.ledger import Ledger, products, resync, stock

PRODUCTS_BOOKMARK = "catalog.products"


@dataclass(frozen=True)
class CatalogOptions:
    categories: tuple[CategoryRule, ...]
    overlap: timedelta
    reconcile_every: timedelta = timedelta(days=1)
    content_updates: bool = False
    link_existing: bool = True
    dry_run: bool = False
    publish_concurrency: int = 8
    # The store lists deleted products since a time; without that, full passes find them.
    deletion_feed: bool = True
    # How long new listings pause after TikTok refuses one for the shop's listing quota.
    quota_wait: timedelta = timedelta(hours=1)
    # Read the whole catalog at every run of this process (`run --once --full`, a rules change
    # previewed by a dry run).
    full: bool = False


@dataclass
class Catalog:
    ledger: Ledger
    store: SourceStore
    marketplace: Marketplace
    publisher: Publisher
    failures: FailureQueue
    options: CatalogOptions
    progress: ProgressBoard = field(default_factory=ProgressBoard)

    def __post_init__(self) -> None:
        self.gate = QuotaGate(self.ledger, self.options.quota_wait)

    @property
    def withdrawals(self) -> Withdrawals:
        return Withdrawals(self.ledger, self.marketplace, self.options.dry_run)

    @property
    def reviews(self) -> Reviews:
        return Reviews(self.ledger, self.marketplace, self.options.overlap, self.options.dry_run)

    async def __call__(self, ctx: RunContext) -> None:
        current = await begin(
            self.ledger,
            ctx,
            PRODUCTS_BOOKMARK,
            self.options.reconcile_every,
            full=self.options.full,
        )
        if current.full:
            ctx.counts["full_pass"] = 1  # reported by dry runs too, which record no pass
        await self.gate.load(ctx)
        async with self.ledger.read() as tx:
            due = [] if ctx.targeted else await self.failures.due(tx, ctx, ENTITY)
            asked = {} if ctx.targeted else await resync.pending(tx, ctx.shop_id)
        async with self.ledger.read() as tx:
            levels = await stock.levels(tx, ctx.shop_id)
            known = sum((await products.status_counts(tx, ctx.shop_id)).values())
            stored = {} if ctx.targeted else await products.stored_facts(tx, ctx.shop_id)
        run = ProductPass(self, ctx, await self.store.locations(), levels, stored)
        if ctx.targeted:
            await self._targeted(ctx, run)
            return
        # A full pass lists the waiting products anyway; otherwise they are read by id.
        open_now = not self.gate.closed(ctx.now())
        waiting = await self.gate.waiting(ctx) if open_now and not current.full else []
        if current.full or waiting:
            run.progress = self.progress.start(ctx.shop_id, ctx.job, known, ctx.now())
            run.progress.extra = len(due) + len(waiting)
            run.progress.waiting_until = self.gate.until
        listed = self.store.products(updated_since=current.since(self.options.overlap))
        if run.progress is not None:
            listed = read_ahead(
                listed, run.progress.note_listed, run.progress.note_listing_complete
            )
        try:
            await self._passes(ctx, run, current, listed, [*waiting, *due], asked=asked)
        finally:
            self._settle_progress(ctx, run)

    async def _passes(
        self,
        ctx: RunContext,
        run: ProductPass,
        current: Pass,
        listed: AsyncIterator[Product | BadRecord],
        queued: list[str],
        *,
        asked: dict[str, datetime],
    ) -> None:
        sweep = current.full and not self.options.deletion_feed
        seen: set[str] = set()
        await run.each(self._fetch(queued))
        carried = (
            CarriedStock.over(self.ledger, ctx, run.levels, current.started)
            if current.full
            else None
        )
        await run.each(_noting(listed if carried is None else carried.passing(listed), seen))
        if carried is not None and not self.options.dry_run:
            await carried.settle(current.started)
        await self._resync(ctx, run, asked, seen)
        if sweep:
            await self._vanished(ctx, seen)
        elif current.bookmark is not None and self.options.deletion_feed:
            await self._deletions(ctx, read_from(current.bookmark, self.options.overlap))
        await self.reviews.poll(ctx)
        if not self.options.dry_run:
            await finish(self.ledger, ctx, current)

    def _settle_progress(self, ctx: RunContext, run: ProductPass) -> None:
        """The pass is over; while products wait for the quota, its progress stays shown."""
        if run.progress is None:
            return
        if ctx.counts["waiting_for_quota"] and self.gate.closed(ctx.now()):
            run.progress.waiting_until = self.gate.until
        else:
            self.progress.finish(ctx.shop_id, ctx.job)

    async def _resync(
        self, ctx: RunContext, run: ProductPass, asked: dict[str, datetime], seen: set[str]
    ) -> None:
        """The products an operator asked to resync (those the pass met are done already)."""
        if not asked:
            return
        missing: set[str] = set()
        await run.each(self._fetch([i for i in asked if i not in seen], missing))
        await self.withdrawals.deleted(ctx, missing)
        for product_id in sorted(missing):
            ctx.skipped(ENTITY, product_id, "resync: the store has no product with this id")
        ctx.counts["resynced"] += len(asked)
        if not self.options.dry_run:
            async with self.ledger.transaction() as tx:
                await resync.done(tx, ctx.shop_id, asked)

    async def _targeted(self, ctx: RunContext, run: ProductPass) -> None:
        """A webhook's look (or the status page's resync): store products (deleted ones
        included) and marketplace listings."""
        started = ctx.now()
        listings = sorted(
            h.removeprefix(LISTING_HINT) for h in ctx.hints if h.startswith(LISTING_HINT)
        )
        stored = sorted(h for h in ctx.hints if not h.startswith(LISTING_HINT))
        missing: set[str] = set()
        await run.each(self._fetch(stored, missing))
        await self.withdrawals.deleted(ctx, missing)
        if stored and not self.options.dry_run:  # a resync asked for them: done
            async with self.ledger.transaction() as tx:
                await resync.done(tx, ctx.shop_id, dict.fromkeys(stored, started))
        async with self.ledger.read() as tx:
            known = await products.by_tiktok_id(tx, ctx.shop_id)
        for product_id in listings:
            if product_id in known:
                await self.reviews.review(
                    ctx, known[product_id], await self.marketplace.listing(product_id)
                )

    async def _fetch(
        self, product_ids: Sequence[str], missing: set[str] | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        for product_id in product_ids:
            try:
                found = await self.store.product(product_id)
            except SkippableError as exc:  # unreadable: it fails alone, the others go on
                yield BadRecord("product", product_id, str(exc))
                continue
            if found is not None:
                yield found
            elif missing is not None:
                missing.add(product_id)

    async def _deletions(self, ctx: RunContext, since: datetime | None) -> None:
        if since is not None:
            await self.withdrawals.deleted(ctx, set(await self.store.deleted_product_ids(since)))

    async def _vanished(self, ctx: RunContext, seen: set[str]) -> None:
        """A full pass of a store without a deletion feed: what it no longer lists is gone."""
        async with self.ledger.read() as tx:
            known = await products.store_product_ids(tx, ctx.shop_id)
        await self.withdrawals.deleted(ctx, known - seen)


async def _noting(
    items: AsyncIterator[Product | BadRecord], seen: set[str]
) -> AsyncIterator[Product | BadRecord]:
    """The items, each id noted in `seen` as it passes (a full pass's inventory)."""
    async for item in items:
        seen.add(item.id)
        yield item
