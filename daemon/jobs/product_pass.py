"""One catalog pass over products (`ProductPass`): each product synced alone, so a failure
stays with its product: mapped to a category, validated, created on TikTok or linked to the
listing that already carries its seller SKUs, recorded in the ledger. Read unchanged (content
updates off), a linked product is skipped without a transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from daemon.domain import BadRecord, ProductStatus
from daemon.domain.categories import (
    CategoryAction,
    CategoryRef,
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
from daemon.jobs.progress import PassProgress
from daemon.jobs.publish import Prepared
from daemon.jobs.recording import record_listing, record_store_product
from daemon.jobs.runner import RunContext
from daemon.ledger import products
from daemon.ledger.products import StoredFacts

if TYPE_CHECKING:
    from daemon.jobs.catalog import Catalog

ENTITY = "product"
# A linked product in one of these states with nothing changed needs no work in a pass.
_STEADY = frozenset({ProductStatus.ACTIVE, ProductStatus.UNDER_REVIEW})


@dataclass
class ProductPass:
    """One run's pass over products: each synced alone, a failure stays with its product."""

    job: Catalog
    ctx: RunContext
    locations: list[Location]
    levels: list[StockLevel]  # the store's stock as the ledger last read it
    # Linked products as the ledger last recorded them: one read the same again is skipped.
    stored: dict[str, StoredFacts] = field(default_factory=dict)
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
        if self._unchanged(item):
            self.ctx.counts["unchanged"] += 1
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
        levels = self._levels(product)
        prepared = await job.publisher.prepare(product, category, self.locations, levels)
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

    def _levels(self, product: Product) -> Sequence[StockLevel]:
        """The product's stock: as its read carried it, else as the ledger last read it."""
        return self.levels if product.levels is None else product.levels

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
        levels = self._levels(product)
        prepared = await job.publisher.prepare(product, category, self.locations, levels)
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
