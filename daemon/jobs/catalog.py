"""The catalog job: store products onto TikTok, then follow their review.

Each run reads the products the store changed since the bookmark (all of them on the first run
and at each reconciliation), maps each to a category, validates it, hosts its images and creates
the listing, or links an existing TikTok product with the same seller SKUs instead of creating a
duplicate. After creation only price and inventory follow the store (the price and inventory
jobs), unless content updates are on. Only what the store sells is published: drafts, archived
and unpublished products never are, and the listing of one that stops being for sale is
deactivated (`withdrawals`). Products deleted in the store are deactivated on TikTok: found by
the store's deletion feed, or, for a store without one, by each full pass. Finally the review
outcome of listings TikTok changed is polled (webhooks 5/37 only hint).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from daemon.connectors.base import LISTING_HINT, Marketplace, SourceStore
from daemon.domain import BadRecord, ProductStatus
from daemon.domain.bookmarks import read_from
from daemon.domain.categories import (
    CategoryAction,
    CategoryRef,
    CategoryRule,
    decide_category,
    match_category,
)
from daemon.domain.content import content_hash
from daemon.domain.listing import Listing, sku_links
from daemon.domain.models import Location, Product, StockLevel
from daemon.domain.publishable import not_for_sale
from daemon.domain.sku_claims import duplicate_sku_problems
from daemon.errors import (
    FatalError,
    LedgerError,
    QuotaExhaustedError,
    RetriableError,
    SkippableError,
    unwrap,
)
from daemon.jobs.failures import FailureQueue
from daemon.jobs.passes import Pass, begin, finish
from daemon.jobs.progress import PassProgress, ProgressBoard, read_ahead
from daemon.jobs.publish import Prepared, Publisher
from daemon.jobs.quota import QuotaGate
from daemon.jobs.recording import record_listing, record_store_product
from daemon.jobs.reviews import Reviews
from daemon.jobs.runner import RunContext
from daemon.jobs.withdrawals import Withdrawals
from daemon.ledger import Ledger, products, resync, stock

PRODUCTS_BOOKMARK = "catalog.products"
ENTITY = "product"


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
        run = _Run(self, ctx, await self.store.locations(), levels)
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
        run: _Run,
        current: Pass,
        listed: AsyncIterator[Product | BadRecord],
        queued: list[str],
        *,
        asked: dict[str, datetime],
    ) -> None:
        sweep = current.full and not self.options.deletion_feed
        seen: set[str] = set()
        await run.each(self._fetch(queued))
        await run.each(_noting(listed, seen))
        await self._resync(ctx, run, asked, seen)
        if sweep:
            await self._vanished(ctx, seen)
        elif current.bookmark is not None and self.options.deletion_feed:
            await self._deletions(ctx, read_from(current.bookmark, self.options.overlap))
        await self.reviews.poll(ctx)
        if not self.options.dry_run:
            await finish(self.ledger, ctx, current)

    def _settle_progress(self, ctx: RunContext, run: _Run) -> None:
        """The pass is over; while products wait for the quota, its progress stays shown."""
        if run.progress is None:
            return
        if ctx.counts["waiting_for_quota"] and self.gate.closed(ctx.now()):
            run.progress.waiting_until = self.gate.until
        else:
            self.progress.finish(ctx.shop_id, ctx.job)

    async def _resync(
        self, ctx: RunContext, run: _Run, asked: dict[str, datetime], seen: set[str]
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

    async def _targeted(self, ctx: RunContext, run: _Run) -> None:
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


@dataclass
class _Run:
    """One run's pass over products: each synced alone, a failure stays with its product."""

    job: Catalog
    ctx: RunContext
    locations: list[Location]
    levels: list[StockLevel]  # the store's stock as the ledger last read it
    existing: dict[str, Listing] | None = None  # TikTok listings by seller SKU, loaded once
    existing_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    progress: PassProgress | None = None  # a full pass's (or the quota backlog's)

    async def each(self, items: AsyncIterator[Product | BadRecord]) -> None:
        """Sync every item, `publish_concurrency` at a time (TikTok's limits pace the calls).

        A `FatalError` (an authorisation revoked, say) stops the whole pass and fails the run;
        so does an error reading the store (a 500 while paging), each with its own reason.
        """
        gate = asyncio.Semaphore(self.job.options.publish_concurrency)
        try:
            async with asyncio.TaskGroup() as group:
                async for item in items:
                    await gate.acquire()
                    task = group.create_task(self._one(item))
                    task.add_done_callback(lambda _: gate.release())
        except BaseExceptionGroup as group:  # the real cause, retriable or not
            raise unwrap(group) from None

    async def _one(self, item: Product | BadRecord) -> None:
        waited = self.ctx.counts["waiting_for_quota"]
        try:
            await self._settle(item)
        finally:
            if self.progress is not None and self.ctx.counts["waiting_for_quota"] == waited:
                self.progress.advance(self.ctx.now())

    async def _settle(self, item: Product | BadRecord) -> None:
        if isinstance(item, BadRecord):
            await self._failed(item.id, item.reason, field=None, retry=False)
            return
        try:
            await self._sync(item)
        except SkippableError as exc:
            await self._failed(item.id, str(exc), field=exc.field, retry=False, title=item.title)
        except RetriableError as exc:
            await self._failed(item.id, str(exc), field=None, retry=True, title=item.title)
        except (FatalError, LedgerError):  # the whole pass stops (a full disk, say)
            raise
        except Exception as exc:  # a bug met by one product fails that product, visibly
            self.ctx.log.exception("product_crashed", product=item.id)
            reason = f"unexpected {type(exc).__name__}: {exc}"
            await self._failed(item.id, reason, field=None, retry=True, title=item.title)

    async def _failed(
        self, product_id: str, reason: str, *, field: str | None, retry: bool, title: str = ""
    ) -> None:
        ctx = self.ctx
        async with self.job.ledger.transaction() as tx:
            await products.record_failure(
                tx,
                shop_id=ctx.shop_id,
                store_product_id=product_id,
                reason=f"{field}: {reason}"
                if field and not reason.startswith(f"{field}:")
                else reason,
                now=ctx.now(),
                title=title or "(unreadable)",
            )
            if retry:
                await self.job.failures.failed(
                    tx, ctx, ENTITY, product_id, reason, field_name=field
                )
            else:
                ctx.failed(ENTITY, product_id, reason, field_name=field)

    async def _sync(self, product: Product) -> None:
        ctx, job = self.ctx, self.job
        match = match_category(product, job.options.categories)
        withheld = not_for_sale(product)
        async with job.ledger.transaction() as tx:
            record = await record_store_product(tx, ctx, product, match, withheld)
            await job.failures.succeeded(tx, ctx, ENTITY, product.id)
        if await job.withdrawals.follow(ctx, record, withheld):
            return
        published = None  # a linked product without a known category: the rules decide
        if record.tiktok_product_id and record.category_id:
            published = CategoryRef(record.category_id)
        decision = decide_category(match, published)
        if decision.action is CategoryAction.UNMAPPED:
            ctx.counts["unmapped"] += 1
            return
        if decision.action is CategoryAction.CONFLICT:
            ctx.failed(
                ENTITY, product.id, decision.reason or "category conflict", field_name="category"
            )
            return
        assert decision.category is not None  # PUBLISH and KEEP carry one
        if record.tiktok_product_id:
            await self._maybe_update(
                product, record.tiktok_product_id, decision.category, record.content_hash
            )
            return
        await self._own_skus(product)
        if job.options.link_existing and await self._link(product):
            return
        await self._create(product, decision.category)

    async def _create(self, product: Product, category: CategoryRef) -> None:
        """A new listing, unless TikTok's listing quota is used up: then it waits for it."""
        ctx, job = self.ctx, self.job
        if job.gate.closed(ctx.now()) and not job.options.dry_run:
            await job.gate.wait_for_it(ctx, product.id)
            return
        prepared = await job.publisher.prepare(product, category, self.locations, self.levels)
        if job.options.dry_run:
            problems = await job.publisher.check(prepared)
            if problems:
                raise SkippableError("TikTok's listing check: " + "; ".join(problems))
            ctx.counts["would_create"] += 1
            ctx.ok(ENTITY, product.id)
            return
        try:
            listing = await job.publisher.publish(prepared)
        except QuotaExhaustedError as exc:
            until = await job.gate.reached(ctx, exc)
            if self.progress is not None:
                self.progress.waiting_until = until
            await job.gate.wait_for_it(ctx, product.id)
            return
        await self._record(product, listing, prepared, category)
        ctx.counts["created"] += 1

    async def _maybe_update(
        self, product: Product, tiktok_id: str, category: CategoryRef, last: str | None
    ) -> None:
        ctx, job = self.ctx, self.job
        if not job.options.content_updates or content_hash(product, category.id) == last:
            ctx.counts["unchanged"] += 1
            return
        prepared = await job.publisher.prepare(product, category, self.locations, self.levels)
        if job.options.dry_run:
            ctx.counts["would_update"] += 1
            return
        listing = await job.publisher.republish(tiktok_id, prepared)
        await self._record(product, listing, prepared, category)
        ctx.counts["updated"] += 1

    async def _own_skus(self, product: Product) -> None:
        """Refuse a product whose seller SKUs another store product holds, before publishing."""
        async with self.job.ledger.read() as tx:
            mine, others = await products.sku_claims(tx, self.ctx.shop_id, product.id)
        problems = duplicate_sku_problems(mine, others)
        if problems:
            raise SkippableError("; ".join(p.reason for p in problems), field="seller_sku")

    async def _link(self, product: Product) -> bool:
        """Adopt a TikTok product carrying this product's seller SKUs (DOMAIN.md section 2)."""
        wanted = {variant.sku for variant in product.variants if variant.sku}
        if not wanted:
            return False
        async with self.existing_lock:  # loaded once per run, by whichever product needs it
            if self.existing is None:
                existing: dict[str, Listing] = {}
                async for listing in self.job.marketplace.changed_listings(None):
                    for sku in listing.skus:
                        if sku.seller_sku:
                            existing[sku.seller_sku] = listing
                self.existing = existing
        found = {
            self.existing[sku].product_id: self.existing[sku]
            for sku in wanted & self.existing.keys()
        }
        if len(found) != 1:
            return False  # none, or the SKUs are spread over several listings: create
        (listing,) = found.values()
        if self.job.options.dry_run:
            self.ctx.counts["would_link"] += 1
            return True
        async with self.job.ledger.transaction() as tx:
            holder = await products.by_listing(tx, self.ctx.shop_id, listing.product_id)
            if holder is not None and holder.store_product_id != product.id:
                if holder.status is not ProductStatus.DELETED:
                    raise SkippableError(
                        f"TikTok product {listing.product_id} with these seller SKUs is already "
                        f"linked to store product {holder.store_product_id}; give the SKUs "
                        "unique values",
                        field="seller_sku",
                    )
                await products.release_listing(
                    tx,
                    shop_id=self.ctx.shop_id,
                    store_product_id=holder.store_product_id,
                    now=self.ctx.now(),
                )
            await record_listing(tx, self.ctx, product, listing, links=None, category=None)
        self.ctx.ok(ENTITY, product.id)
        self.ctx.counts["linked"] += 1
        return True

    async def _record(
        self, product: Product, listing: Listing, prepared: Prepared, category: CategoryRef
    ) -> None:
        links = sku_links(prepared.draft, listing.skus)
        async with self.job.ledger.transaction() as tx:
            await record_listing(
                tx, self.ctx, product, listing, links=links, category=category, prepared=prepared
            )
        self.ctx.ok(ENTITY, product.id)
        self.ctx.accepted()
        if prepared.notes:
            self.ctx.log.debug("product_notes", product=product.id, notes=prepared.notes)


async def _noting(
    items: AsyncIterator[Product | BadRecord], seen: set[str]
) -> AsyncIterator[Product | BadRecord]:
    """The items, each id noted in `seen` as it passes (a full pass's inventory)."""
    async for item in items:
        seen.add(item.id)
        yield item
