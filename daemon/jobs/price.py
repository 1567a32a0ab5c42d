"""The price job: store prices to TikTok (DOMAIN.md section 5), only what changed.

It reads the products the store changed since its bookmark (the hinted ones after a webhook;
at reconciliation every product, unless the catalog job's full pass of the same reconciliation
has just recorded them all: then only what changed since that pass began, so a reconciliation
reads the catalog once), records their SKUs' prices in the ledger, and sends one call
per Active product whose prices differ from what was last pushed. A price TikTok would refuse
(outside the market's range) fails that SKU with the reason; it is not sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import Marketplace, SourceStore
from daemon.domain import BadRecord
from daemon.domain.diff import SkuPrice, price_updates
from daemon.domain.listing import ItemRefusal
from daemon.domain.markets import MarketFacts
from daemon.domain.models import Money, Product, Variant
from daemon.domain.pricing import price_problem, shop_price
from daemon.errors import SkippableError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.passes import begin, finish, shared_read
from daemon.jobs.progress import ProgressBoard
from daemon.jobs.pushing import Links, Pusher, planned
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, Tx, pushed, stock

BOOKMARK = "price.products"
# Set by the catalog job when a full pass (every product read and recorded) completes.
CATALOG_RECONCILED = "catalog.products.reconciled"
_BATCH = 250  # products recorded per transaction: memory stays flat whatever the catalog


@dataclass(frozen=True)
class Price:
    ledger: Ledger
    store: SourceStore
    marketplace: Marketplace
    failures: FailureQueue
    market: MarketFacts
    overlap: timedelta
    reconcile_every: timedelta = timedelta(days=1)
    dry_run: bool = False
    progress: ProgressBoard | None = None  # where a long push shows how far it got

    async def __call__(self, ctx: RunContext) -> None:
        current = await begin(self.ledger, ctx, BOOKMARK, self.reconcile_every)
        if ctx.targeted:
            items = self._fetch(sorted(ctx.hints))
        else:
            since = current.since(self.overlap) or await shared_read(
                self.ledger,
                ctx,
                CATALOG_RECONCILED,
                current,
                reconcile_every=self.reconcile_every,
                overlap=self.overlap,
            )
            items = self.store.products(updated_since=since)
        batch: list[Product] = []
        async for product in items:
            if isinstance(product, BadRecord):  # its price cannot be read: say so, carry on
                ctx.failed("product", product.id, product.reason)
                continue
            batch.append(product)
            if len(batch) >= _BATCH:
                await self._record(ctx, batch)
                batch = []
        await self._record(ctx, batch)
        await self.push_changes(ctx)
        if not (ctx.targeted or self.dry_run):
            await finish(self.ledger, ctx, current)

    async def _fetch(self, product_ids: list[str]) -> AsyncIterator[Product | BadRecord]:
        for product_id in product_ids:
            try:
                found = await self.store.product(product_id)
            except SkippableError as exc:  # unreadable: it fails alone, the others go on
                yield BadRecord("product", product_id, str(exc))
                continue
            if found is not None:
                yield found

    async def _record(self, ctx: RunContext, products: list[Product]) -> None:
        """The store's prices and stock flags of a page of products, into the ledger."""
        facts = [
            (v.id, v.stock_key, v.tracked, v.continue_selling, v.price)
            for product in products
            for v in product.variants
        ]
        async with self.ledger.transaction() as tx:
            await stock.record_sku_facts(tx, ctx.shop_id, facts, ctx.now())
        ctx.counts["products_read"] += len(products)

    async def push_changes(self, ctx: RunContext) -> None:
        async with self.ledger.read() as tx:
            linked = await stock.linked_skus(tx, ctx.shop_id)
            last = {
                variant: Money(amount, currency)
                for variant, (amount, currency) in (
                    await pushed.pushed_prices(tx, ctx.shop_id)
                ).items()
            }
        desired: dict[str, Money] = {}
        for sku in linked:
            if sku.price is None:
                continue
            variant = Variant(sku.store_variant_id, sku.seller_sku, None, sku.price)
            problem = price_problem(variant, self.market)
            if problem is None:
                desired[sku.store_variant_id] = shop_price(variant, self.market)
            elif last.get(sku.store_variant_id) != sku.price:
                ctx.failed("sku", sku.store_variant_id, problem.reason, field_name="price")
        links = Links.of(linked)
        updates = price_updates(desired, last, links.product_of)
        changed = sum(len(update.skus) for update in updates)
        if not planned(ctx, len(linked), updates, changed, dry_run=self.dry_run):
            return
        sku_id = links.sku_id

        async def send(product_id: str, skus: tuple[SkuPrice, ...]) -> list[ItemRefusal]:
            prices = {sku_id[sku.variant_id]: sku.price for sku in skus}
            return await self.marketplace.set_prices(product_id, prices)

        async def record(
            tx: Tx, _: str, skus: tuple[SkuPrice, ...], refused: frozenset[str]
        ) -> None:
            accepted = [
                (sku.variant_id, sku.price.amount, sku.price.currency)
                for sku in skus
                if sku_id[sku.variant_id] not in refused
            ]
            await pushed.record_prices(tx, ctx.shop_id, accepted, ctx.now())
            ctx.counts["skus_pushed"] += len(accepted)

        pusher = Pusher(self.ledger, self.failures, send, record, links, self.progress)
        await pusher.push(ctx, [(update.product_id, update.skus) for update in updates])
