"""The inventory job: store stock to TikTok by the merchant's rules (DOMAIN.md section 4).

It reads the stock levels the store changed since the bookmark (at each reconciliation every
level, unless the catalog job's full pass of the same reconciliation has just recorded them all
from its products' read: then only what changed since that pass began, so a reconciliation
reads the store once; only the hinted inventory items after a webhook) into the ledger, works
out the desired quantity of every (SKU, warehouse) of every Active product, and sends one call
per product whose desired quantities differ from what was last pushed, listing every warehouse
of each changed SKU. A product with nothing changed costs no call. Where TikTok takes no stock of
0, a sold-out product is deactivated and reactivated when stock returns (`daemon.jobs.sold_out`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from daemon.connectors.base import Marketplace, SourceStore
from daemon.domain import ProductStatus
from daemon.domain.diff import SkuQuantities, inventory_updates
from daemon.domain.inventory import InventoryRules, StockKey, desired_quantities
from daemon.domain.listing import ItemRefusal
from daemon.domain.models import Location, Money, Product, ProductState, StockLevel, Variant
from daemon.jobs.carried_stock import LEVELS_RECONCILED
from daemon.jobs.failures import FailureQueue
from daemon.jobs.passes import begin, finish, shared_read
from daemon.jobs.progress import ProgressBoard
from daemon.jobs.pushing import Links, Pusher, planned
from daemon.jobs.runner import RunContext
from daemon.jobs.sold_out import SOLD_OUT, SoldOut, stock_of
from daemon.ledger import Ledger, Tx, products, pushed, stock
from daemon.ledger.stock import LinkedSku

BOOKMARK = "inventory.levels"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # never read either
_NO_PRICE = Money(Decimal(0), "XXX")  # ISO 4217 "no currency": inventory rules ignore prices


@dataclass(frozen=True)
class Inventory:
    ledger: Ledger
    store: SourceStore
    marketplace: Marketplace
    failures: FailureQueue
    rules: InventoryRules
    overlap: timedelta
    reconcile_every: timedelta = timedelta(days=1)
    dry_run: bool = False
    progress: ProgressBoard | None = None  # where a long push shows how far it got

    async def __call__(self, ctx: RunContext) -> None:
        current = await begin(self.ledger, ctx, BOOKMARK, self.reconcile_every)
        whole = False  # every level of the store read: those it no longer gives are forgotten
        if ctx.targeted:
            levels = await self.store.stock_levels(sorted(ctx.hints))
        else:
            since = current.since(self.overlap) or await shared_read(
                self.ledger,
                ctx,
                LEVELS_RECONCILED,
                current,
                reconcile_every=self.reconcile_every,
                overlap=self.overlap,
            )
            levels = await self.store.stock_changes(since)
            whole = since is None
        locations = await self.store.locations()
        async with self.ledger.transaction() as tx:
            ctx.counts["levels_read"] = await stock.record_levels(
                tx, ctx.shop_id, levels, ctx.now()
            )
            if whole:
                await self._forget_missing(tx, ctx, levels, current.started)
        await self.push_changes(ctx, locations)
        if not (ctx.targeted or self.dry_run):
            await finish(self.ledger, ctx, current)

    @staticmethod
    async def _forget_missing(
        tx: Tx, ctx: RunContext, levels: list[StockLevel], started: datetime
    ) -> None:
        """After a whole read: the store keeps no stock where it gave no level, so the
        ledger's earlier level there is forgotten (unless recorded since the read began)."""
        given = {(level.stock_key, level.location_id) for level in levels}
        gone = [
            (level.stock_key, level.location_id)
            for level in await stock.levels(tx, ctx.shop_id)
            if (level.stock_key, level.location_id) not in given
        ]
        if gone:
            ctx.counts["levels_forgotten"] = await stock.forget_levels(
                tx, ctx.shop_id, gone, read_since=started
            )

    async def push_changes(self, ctx: RunContext, locations: list[Location]) -> None:
        """Diff every Active SKU's desired quantities against the ledger and send the changes."""
        async with self.ledger.read() as tx:
            linked = await stock.linked_skus(tx, ctx.shop_id)
            resting = await _sold_out_skus(tx, ctx.shop_id)
            levels = await stock.levels(tx, ctx.shop_id)
            last = {
                StockKey(*key): qty
                for key, qty in (await pushed.pushed_quantities(tx, ctx.shop_id)).items()
            }
        desired = _desired(linked, levels, locations, self.rules)
        sold_out = SoldOut(self.ledger, self.marketplace, self.failures)
        if resting and not self.dry_run:
            back = _desired(resting, levels, locations, self.rules)
            await sold_out.restock(ctx, resting, stock_of(resting, back))
        links = Links.of(linked)
        updates = inventory_updates(desired, last, links.product_of)
        changed = sum(len(update.skus) for update in updates)
        if not planned(ctx, len(linked), updates, changed, dry_run=self.dry_run):
            return
        sku_id = links.sku_id
        refused: dict[str, list[ItemRefusal]] = {}

        async def send(product_id: str, skus: tuple[SkuQuantities, ...]) -> list[ItemRefusal]:
            cells = {sku_id[sku.variant_id]: dict(sku.quantities) for sku in skus}
            refused[product_id] = await self.marketplace.set_stock(product_id, cells)
            return refused[product_id]

        async def record(
            tx: Tx, _: str, skus: tuple[SkuQuantities, ...], refused: frozenset[str]
        ) -> None:
            accepted = {
                (sku.variant_id, warehouse): quantity
                for sku in skus
                if sku_id[sku.variant_id] not in refused
                for warehouse, quantity in sku.quantities
            }
            await pushed.record_quantities(tx, ctx.shop_id, accepted, ctx.now())
            ctx.counts["skus_pushed"] += len({variant for variant, _ in accepted})

        pusher = Pusher(self.ledger, self.failures, send, record, links, self.progress)
        await pusher.push(ctx, [(update.product_id, update.skus) for update in updates])
        await sold_out.deactivate(ctx, refused, linked, stock_of(linked, desired))


async def _sold_out_skus(tx: Tx, shop_id: str) -> list[LinkedSku]:
    """The linked SKUs of products deactivated as sold out."""
    resting = await stock.linked_skus(tx, shop_id, (ProductStatus.UNLISTED,))
    if not resting:
        return []
    unlisted = await products.products_with_status(tx, shop_id, [ProductStatus.UNLISTED])
    sold_out = {record.store_product_id for record in unlisted if record.reason == SOLD_OUT}
    return [sku for sku in resting if sku.store_product_id in sold_out]


def _desired(
    linked: list[LinkedSku],
    levels: list[StockLevel],
    locations: list[Location],
    rules: InventoryRules,
) -> dict[StockKey, int]:
    """Desired quantities of the linked SKUs, product by product (rules work per product)."""
    variants: dict[str, list[Variant]] = defaultdict(list)
    for sku in linked:
        variants[sku.tiktok_product_id].append(
            Variant(
                id=sku.store_variant_id,
                sku=sku.seller_sku,
                barcode=None,
                price=sku.price or _NO_PRICE,
                stock_key=sku.stock_key,
                tracked=sku.tracked,
                continue_selling=sku.continue_selling,
            )
        )
    by_key: dict[str, list[StockLevel]] = defaultdict(list)
    for level in levels:
        by_key[level.stock_key].append(level)
    desired: dict[StockKey, int] = {}
    for product_id, product_variants in variants.items():
        relevant = [
            level
            for variant in product_variants
            if variant.stock_key
            for level in by_key.get(variant.stock_key, ())
        ]
        product = Product(
            id=product_id,
            title="",
            description_html="",
            state=ProductState.ACTIVE,
            updated_at=_EPOCH,
            variants=tuple(product_variants),
        )
        desired.update(desired_quantities(product, relevant, locations, rules))
    return desired
