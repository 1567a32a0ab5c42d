"""TikTok's review of published listings: Under review, Active, Failed review (with TikTok's
audit reasons verbatim). Polled after each catalog pass; review webhooks (5/37) only hint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from daemon.connectors.base import Marketplace
from daemon.domain import ProductStatus
from daemon.domain.bookmarks import advance, read_from
from daemon.domain.listing import Listing, status_of
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, cursors, products
from daemon.ledger.products import ProductRecord

REVIEW_BOOKMARK = "catalog.review"
_WITHDRAWN = frozenset({ProductStatus.DELETED, ProductStatus.NOT_FOR_SALE})


@dataclass(frozen=True)
class Reviews:
    ledger: Ledger
    marketplace: Marketplace
    overlap: timedelta
    dry_run: bool = False

    async def poll(self, ctx: RunContext) -> None:
        """Move published products along TikTok's review (Under review, Active, Failed review)."""
        started = ctx.now()
        async with self.ledger.read() as tx:
            review_text = await cursors.get_cursor(tx, ctx.shop_id, REVIEW_BOOKMARK)
            known = await products.by_tiktok_id(tx, ctx.shop_id)
        if not known:
            return
        review_mark = None if review_text is None else datetime.fromisoformat(review_text)
        since = read_from(review_mark, self.overlap)
        async for listing in self.marketplace.changed_listings(since):
            record = known.get(listing.product_id)
            if record is not None:
                await self.review(ctx, record, listing)
        if not self.dry_run:
            async with self.ledger.transaction() as tx:
                mark = advance(review_mark, started).isoformat()
                await cursors.set_cursor(tx, ctx.shop_id, REVIEW_BOOKMARK, mark, started)

    async def review(self, ctx: RunContext, record: ProductRecord, listing: Listing) -> None:
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
