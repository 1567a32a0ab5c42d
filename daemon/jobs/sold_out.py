"""Stopping sales of sold-out products where the marketplace takes no stock of 0.

TikTok's docs disagree on whether a quantity of 0 is accepted (DOMAIN.md section 4). Where it
is, the inventory job's 0 stops sales and nothing here acts. Where it is refused, a product
whose SKUs are all out is deactivated instead, with the reason recorded (`SOLD_OUT`), and
reactivated once any of its SKUs has stock again (TikTok reviews a relisted product; the
inventory job pushes its quantities once it is Active). A product with only some SKUs out
keeps those SKUs' refusals in the retry queue, with TikTok's reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from daemon.connectors.base import Marketplace
from daemon.domain import ProductStatus
from daemon.domain.inventory import StockKey
from daemon.domain.listing import ItemRefusal, status_of
from daemon.jobs.failures import FailureQueue
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, products
from daemon.ledger.stock import LinkedSku

SOLD_OUT = (
    "sold out: every SKU is out of stock and TikTok takes no stock of 0, so the listing is "
    "deactivated on TikTok until stock returns"
)
RESTOCKED = "back in stock: the listing was reactivated on TikTok"


def stock_of(linked: Iterable[LinkedSku], desired: Mapping[StockKey, int]) -> dict[str, int]:
    """The total desired quantity of each marketplace product."""
    variants = {sku.store_variant_id: sku.tiktok_product_id for sku in linked}
    totals = dict.fromkeys(variants.values(), 0)
    for key, quantity in desired.items():
        owner = variants.get(key.variant_id)
        if owner is not None:
            totals[owner] += quantity
    return totals


@dataclass(frozen=True)
class SoldOut:
    ledger: Ledger
    marketplace: Marketplace
    failures: FailureQueue

    async def deactivate(
        self,
        ctx: RunContext,
        refusals: Mapping[str, list[ItemRefusal]],
        linked: list[LinkedSku],
        totals: Mapping[str, int],
    ) -> None:
        """Deactivate each product whose 0 was refused and whose SKUs are all out."""
        out = sorted(
            product_id
            for product_id, refused in refusals.items()
            if any(r.zero_stock_refused for r in refused) and totals.get(product_id, 1) == 0
        )
        if not out:
            return
        refused_again = {r.product_id for r in await self.marketplace.deactivate(out)}
        store_of = {sku.tiktok_product_id: sku.store_product_id for sku in linked}
        async with self.ledger.transaction() as tx:
            for product_id in out:
                if product_id in refused_again:
                    continue  # its SKUs' refusals stay in the retry queue
                await products.set_product_status(
                    tx,
                    shop_id=ctx.shop_id,
                    store_product_id=store_of[product_id],
                    status=ProductStatus.UNLISTED,
                    reason=SOLD_OUT,
                    now=ctx.now(),
                )
                for sku in linked:
                    if sku.tiktok_product_id == product_id:
                        await self.failures.succeeded(tx, ctx, "sku", sku.store_variant_id)
                ctx.log.info("product_sold_out", product=store_of[product_id], listing=product_id)
                ctx.counts["sold_out_deactivated"] += 1

    async def restock(
        self, ctx: RunContext, linked: list[LinkedSku], totals: Mapping[str, int]
    ) -> None:
        """Reactivate each product deactivated as sold out that has stock again."""
        store_of = {sku.tiktok_product_id: sku.store_product_id for sku in linked}
        back = sorted(product_id for product_id, total in totals.items() if total > 0)
        if not back:
            return
        refused = {r.product_id: r for r in await self.marketplace.reactivate(back)}
        for product_id in back:
            store_id = store_of[product_id]
            if product_id in refused:
                reason = (
                    f"back in stock, but TikTok refused to reactivate it: {refused[product_id]}"
                )
                ctx.failed("product", store_id, reason)
                continue
            listing = await self.marketplace.listing(product_id)
            async with self.ledger.transaction() as tx:
                await products.set_product_status(
                    tx,
                    shop_id=ctx.shop_id,
                    store_product_id=store_id,
                    status=status_of(listing.status),
                    reason=RESTOCKED,
                    now=ctx.now(),
                )
            ctx.log.info("product_restocked", product=store_id, listing=product_id)
            ctx.counts["restocked_reactivated"] += 1
