"""Listings whose store product left the shop window (DOMAIN.md section 1).

- Deleted in the store (its deletion feed says so, or a full pass no longer finds it): the
  listing is deactivated on TikTok and the product marked Deleted.
- No longer for sale there (a draft, archived, unpublished): the listing is deactivated and the
  product marked Not for sale, with the store's reason; a product the store sells again gets its
  listing reactivated, and TikTok's status for it recorded.

In a dry run nothing changes: what would be deactivated is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from daemon.connectors.base import Marketplace
from daemon.domain import ProductStatus
from daemon.domain.listing import status_of
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, products
from daemon.ledger.products import ProductRecord

ENTITY = "product"
_DELETED = "deleted in the store"


@dataclass(frozen=True)
class Withdrawals:
    ledger: Ledger
    marketplace: Marketplace
    dry_run: bool = False

    async def deleted(self, ctx: RunContext, deleted: set[str]) -> None:
        """Products deleted in the store: deactivate their listings, mark them Deleted."""
        if not deleted:
            return
        async with self.ledger.read() as tx:
            known = await products.by_tiktok_id(tx, ctx.shop_id)
            unlisted = [
                record
                for product_id in sorted(deleted)
                if (record := await products.get_product(tx, ctx.shop_id, product_id))
                and record.tiktok_product_id is None
                and record.status is not ProductStatus.DELETED
            ]
        listed = {
            tiktok_id: product
            for tiktok_id, product in known.items()
            if product.store_product_id in deleted and product.status is not ProductStatus.DELETED
        }
        if unlisted and not self.dry_run:
            async with self.ledger.transaction() as tx:
                for record in unlisted:
                    await products.set_product_status(
                        tx,
                        shop_id=ctx.shop_id,
                        store_product_id=record.store_product_id,
                        status=ProductStatus.DELETED,
                        reason=_DELETED,
                        now=ctx.now(),
                    )
        if not listed or self.dry_run:
            ctx.counts["would_deactivate"] += len(listed) if self.dry_run else 0
            return
        refused = {r.product_id for r in await self.marketplace.deactivate(sorted(listed))}
        async with self.ledger.transaction() as tx:
            for tiktok_id, product in listed.items():
                reason = f"{_DELETED}; deactivated on TikTok"
                await products.set_product_status(
                    tx,
                    shop_id=ctx.shop_id,
                    store_product_id=product.store_product_id,
                    status=ProductStatus.DELETED,
                    reason=reason if tiktok_id not in refused else f"{reason} (TikTok refused)",
                    now=ctx.now(),
                )
                ctx.ok(ENTITY, product.store_product_id)
        ctx.counts["deactivated"] += len(listed)

    async def follow(self, ctx: RunContext, record: ProductRecord, withheld: str | None) -> bool:
        """Keep a product's listing in step with whether the store sells it (`withheld` says
        why it does not); True when it does not, so there is nothing to publish."""
        if withheld is None:
            if record.tiktok_product_id and record.status is ProductStatus.NOT_FOR_SALE:
                await self.restore(ctx, record)
            return False
        if record.tiktok_product_id:
            await self.withdraw(ctx, record, withheld)
        else:
            ctx.counts["not_for_sale"] += 1
        return True

    async def withdraw(self, ctx: RunContext, record: ProductRecord, why: str) -> None:
        """The store no longer sells a listed product: deactivate its listing."""
        if record.status is ProductStatus.NOT_FOR_SALE:
            ctx.counts["not_for_sale"] += 1
            return
        assert record.tiktok_product_id is not None  # the catalog job asks only for listed ones
        if self.dry_run:
            ctx.counts["would_deactivate"] += 1
            return
        refused = await self.marketplace.deactivate([record.tiktok_product_id])
        reason = f"{why}; deactivated on TikTok"
        if refused:
            reason = f"{why}; TikTok refused to deactivate it: {refused[0]}"
        async with self.ledger.transaction() as tx:
            await products.set_product_status(
                tx,
                shop_id=ctx.shop_id,
                store_product_id=record.store_product_id,
                status=ProductStatus.NOT_FOR_SALE,
                reason=reason,
                now=ctx.now(),
            )
        ctx.log.info("product_withdrawn", product=record.store_product_id, reason=reason)
        ctx.ok(ENTITY, record.store_product_id)
        ctx.counts["deactivated"] += 1

    async def restore(self, ctx: RunContext, record: ProductRecord) -> None:
        """The store sells a withdrawn product again: reactivate its listing."""
        assert record.tiktok_product_id is not None
        if self.dry_run:
            ctx.counts["would_reactivate"] += 1
            return
        tiktok_id = record.tiktok_product_id
        refused = await self.marketplace.reactivate([tiktok_id])
        if refused:
            ctx.failed(
                ENTITY,
                record.store_product_id,
                f"on sale in the store again, but TikTok refused to reactivate listing "
                f"{tiktok_id}: {refused[0]}",
            )
            return
        listing = await self.marketplace.listing(tiktok_id)
        async with self.ledger.transaction() as tx:
            await products.set_product_status(
                tx,
                shop_id=ctx.shop_id,
                store_product_id=record.store_product_id,
                status=status_of(listing.status),
                reason=None,
                now=ctx.now(),
            )
        ctx.log.info("product_restored", product=record.store_product_id, listing=tiktok_id)
        ctx.counts["reactivated"] += 1
