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
from daemon.domain.bookmarks import advance, read_from
from daemon.domain.categories import (
    CategoryAction,
    CategoryRef,
    CategoryRule,
    decide_category,
    match_category,
)
from daemon.domain.content import content_hash
from daemon.domain.listing import Listing, sku_links, status_of
from daemon.domain.models import Location, Product, StockLevel
from daemon.domain.publishable import not_for_sale
from daemon.errors import FatalError, RetriableError, SkippableError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.passes import begin, finish
from daemon.jobs.publish import Prepared, Publisher
from daemon.jobs.recording import record_listing, record_store_product
from daemon.jobs.runner import RunContext
from daemon.jobs.withdrawals import Withdrawals
from daemon.ledger import Ledger, cursors, products, stock
from daemon.ledger.products import ProductRecord, StoredFacts

PRODUCTS_BOOKMARK = "catalog.products"
REVIEW_BOOKMARK = "catalog.review"
ENTITY = "product"
_WITHDRAWN = frozenset({ProductStatus.DELETED, ProductStatus.NOT_FOR_SALE})
# A linked product in one of these states with nothing changed needs no work in a pass.
_STEADY = frozenset({ProductStatus.ACTIVE, ProductStatus.UNDER_REVIEW})


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


@dataclass
class Catalog:
    ledger: Ledger
    store: SourceStore
    marketplace: Marketplace
    publisher: Publisher
    failures: FailureQueue
    options: CatalogOptions

    @property
    def withdrawals(self) -> Withdrawals:
        return Withdrawals(self.ledger, self.marketplace, self.options.dry_run)

    async def __call__(self, ctx: RunContext) -> None:
        current = await begin(self.ledger, ctx, PRODUCTS_BOOKMARK, self.options.reconcile_every)
        async with self.ledger.read() as tx:
            due = [] if ctx.targeted else await self.failures.due(tx, ctx, ENTITY)
        async with self.ledger.read() as tx:
            levels = await stock.levels(tx, ctx.shop_id)
            stored = {} if ctx.targeted else await products.stored_facts(tx, ctx.shop_id)
        run = _Run(self, ctx, await self.store.locations(), levels, stored)
        if ctx.targeted:
            await self._targeted(ctx, run)
            return
        sweep = current.full and not self.options.deletion_feed
        seen: set[str] = set()
        listed = self.store.products(updated_since=current.since(self.options.overlap))
        await run.each(_noting(listed, seen))
        await run.each(self._fetch(due))
        if sweep:
            await self._vanished(ctx, seen)
        elif current.bookmark is not None and self.options.deletion_feed:
            await self._deletions(ctx, read_from(current.bookmark, self.options.overlap))
        await self._reviews(ctx)
        if not self.options.dry_run:
            await finish(self.ledger, ctx, current)

    async def _targeted(self, ctx: RunContext, run: _Run) -> None:
        """A webhook's look: store products (deleted ones included) and marketplace listings."""
        listings = sorted(
            h.removeprefix(LISTING_HINT) for h in ctx.hints if h.startswith(LISTING_HINT)
        )
        stored = sorted(h for h in ctx.hints if not h.startswith(LISTING_HINT))
        missing: set[str] = set()
        await run.each(self._fetch(stored, missing))
        await self.withdrawals.deleted(ctx, missing)
        async with self.ledger.read() as tx:
            known = await products.by_tiktok_id(tx, ctx.shop_id)
        for product_id in listings:
            if product_id in known:
                await self._review(
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

    async def _reviews(self, ctx: RunContext) -> None:
        """Move published products along TikTok's review (Under review, Active, Failed review)."""
        started = ctx.now()
        async with self.ledger.read() as tx:
            review_text = await cursors.get_cursor(tx, ctx.shop_id, REVIEW_BOOKMARK)
            known = await products.by_tiktok_id(tx, ctx.shop_id)
        if not known:
            return
        review_mark = None if review_text is None else datetime.fromisoformat(review_text)
        since = read_from(review_mark, self.options.overlap)
        async for listing in self.marketplace.changed_listings(since):
            record = known.get(listing.product_id)
            if record is not None:
                await self._review(ctx, record, listing)
        if not self.options.dry_run:
            async with self.ledger.transaction() as tx:
                mark = advance(review_mark, started).isoformat()
                await cursors.set_cursor(tx, ctx.shop_id, REVIEW_BOOKMARK, mark, started)

    async def _review(self, ctx: RunContext, record: ProductRecord, listing: Listing) -> None:
        """Record a listing's review outcome (TikTok's audit reasons kept verbatim)."""
        status = status_of(listing.status)
        if status is record.status or record.status in _WITHDRAWN:
            return  # a listing we deactivated keeps saying why (the store's deletion or status)
        reason = record.reason  # e.g. which defaults were used: still true
        if status is ProductStatus.FAILED_REVIEW:
            if not listing.audit_reasons:  # search results carry no audit reasons
                listing = await self.marketplace.listing(listing.product_id)
            reason = "; ".join(listing.audit_reasons) or "TikTok gave no reason"
        elif record.status is ProductStatus.FAILED_REVIEW:
            reason = None  # the audit reasons no longer apply
        async with self.ledger.transaction() as tx:
            await products.set_product_status(
                tx,
                shop_id=ctx.shop_id,
                store_product_id=record.store_product_id,
                status=status,
                reason=reason,
                now=ctx.now(),
            )
        ctx.counts[f"review_{status}"] += 1


@dataclass
class _Run:
    """One run's pass over products: each synced alone, a failure stays with its product."""

    job: Catalog
    ctx: RunContext
    locations: list[Location]
    levels: list[StockLevel]  # the store's stock as the ledger last read it
    # Linked products as the ledger last recorded them: one read the same again is skipped.
    stored: dict[str, StoredFacts] = field(default_factory=dict)
    existing: dict[str, Listing] | None = None  # TikTok listings by seller SKU, loaded once
    existing_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def each(self, items: AsyncIterator[Product | BadRecord]) -> None:
        """Sync every item, `publish_concurrency` at a time (TikTok's limits pace the calls).

        A `FatalError` (an authorisation revoked, say) stops the whole pass and fails the run.
        """
        gate = asyncio.Semaphore(self.job.options.publish_concurrency)
        try:
            async with asyncio.TaskGroup() as group:
                async for item in items:
                    await gate.acquire()
                    task = group.create_task(self._one(item))
                    task.add_done_callback(lambda _: gate.release())
        except* FatalError as failures:
            raise failures.exceptions[0] from None

    async def _one(self, item: Product | BadRecord) -> None:
        if isinstance(item, BadRecord):
            await self._failed(item.id, item.reason, field=None, retry=False)
            return
        if self._unchanged(item):
            self.ctx.counts["unchanged"] += 1
            return
        try:
            await self._sync(item)
        except SkippableError as exc:
            await self._failed(item.id, str(exc), field=exc.field, retry=False, title=item.title)
        except RetriableError as exc:
            await self._failed(item.id, str(exc), field=None, retry=True, title=item.title)
        except FatalError:
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
        if job.options.link_existing and await self._link(product):
            return
        prepared = await job.publisher.prepare(
            product, decision.category, self.locations, self.levels
        )
        if job.options.dry_run:
            problems = await job.publisher.check(prepared)
            if problems:
                raise SkippableError("TikTok's listing check: " + "; ".join(problems))
            ctx.counts["would_create"] += 1
            ctx.ok(ENTITY, product.id)
            return
        listing = await job.publisher.publish(prepared)
        await self._record(product, listing, prepared, decision.category)
        ctx.counts["created"] += 1

    def _unchanged(self, product: Product) -> bool:
        """A linked product that reads exactly as the ledger recorded it: nothing to write,
        nothing to send (content updates off). Compared in memory, no transaction."""
        known = self.stored.get(product.id)
        if known is None or self.job.options.content_updates or not_for_sale(product):
            return False
        match = match_category(product, self.job.options.categories)
        record = known.record
        if record.status not in _STEADY:
            return False
        if record.store_updated_at != product.updated_at.isoformat() or record.title != (
            product.title
        ):
            return False
        if record.category_id != (match.category.id if match else None):
            return False
        fresh = {
            v.id: (
                v.sku,
                v.stock_key,
                v.tracked,
                v.continue_selling,
                str(v.price.amount),
                v.price.currency,
            )
            for v in product.variants
        }
        return fresh == known.skus

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
        if prepared.notes:
            self.ctx.log.debug("product_notes", product=product.id, notes=prepared.notes)


async def _noting(
    items: AsyncIterator[Product | BadRecord], seen: set[str]
) -> AsyncIterator[Product | BadRecord]:
    """The items, each id noted in `seen` as it passes (a full pass's inventory)."""
    async for item in items:
        seen.add(item.id)
        yield item
