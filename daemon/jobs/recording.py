"""What the catalog job writes to the ledger about a product: the store's facts, and the listing
that came of it (ids, status, SKU links, and the stock and prices it was created with)."""

from __future__ import annotations

from collections.abc import Mapping

from daemon.domain import ProductStatus
from daemon.domain.categories import CategoryMatch, CategoryRef
from daemon.domain.listing import Listing, status_of
from daemon.domain.models import Product
from daemon.jobs.publish import Prepared
from daemon.jobs.runner import RunContext
from daemon.ledger import Tx, products, pushed, stock
from daemon.ledger.products import ProductRecord


async def record_store_product(
    tx: Tx,
    ctx: RunContext,
    product: Product,
    match: CategoryMatch | None,
    withheld: str | None = None,
) -> ProductRecord:
    """Upsert the product, its SKUs and their stock facts; map it if it is not on TikTok, or,
    when the store does not sell it (`withheld` says why), mark it Not for sale."""
    now = ctx.now()
    category = match.category.id if match else None
    await products.upsert_product(
        tx,
        shop_id=ctx.shop_id,
        store_product_id=product.id,
        title=product.title,
        category_id=category,
        store_updated_at=product.updated_at.isoformat(),
        now=now,
    )
    for variant in product.variants:
        await products.upsert_sku(
            tx,
            shop_id=ctx.shop_id,
            store_variant_id=variant.id,
            store_product_id=product.id,
            seller_sku=variant.sku,
            now=now,
        )
    await stock.record_sku_facts(
        tx,
        ctx.shop_id,
        [(v.id, v.stock_key, v.tracked, v.continue_selling, v.price) for v in product.variants],
        now,
    )
    record = await products.get_product(tx, ctx.shop_id, product.id)
    assert record is not None  # just written
    if record.tiktok_product_id is None and (withheld or record.status in _MAPPABLE):
        status = ProductStatus.NOT_SYNCED if category else ProductStatus.UNMAPPED
        reason = None if category else _unmapped_reason(product)
        if withheld is not None:
            status, reason = ProductStatus.NOT_FOR_SALE, f"{withheld}: not published"
        if (record.category_id, record.status, record.reason) != (category, status, reason):
            await products.set_mapping(
                tx,
                shop_id=ctx.shop_id,
                store_product_id=product.id,
                category_id=category,
                status=status,
                reason=reason,
                now=now,
            )
            record = await products.get_product(tx, ctx.shop_id, product.id)
            assert record is not None
    return record


# Not on TikTok and not failed: the rules (and whether the store sells it) alone decide between
# Unmapped, Not synced and Not for sale. A product that failed keeps its reason until the next
# attempt replaces it.
_MAPPABLE = frozenset(
    {ProductStatus.UNMAPPED, ProductStatus.NOT_SYNCED, ProductStatus.NOT_FOR_SALE}
)


def _unmapped_reason(product: Product) -> str:
    facts = [f"product type {product.product_type!r}"] if product.product_type else []
    if product.tags:
        facts.append("tags " + ", ".join(sorted(product.tags)))
    known = "; ".join(facts) or "no product type or tags"
    return f"no category rule matches ({known}); add one under [shops.catalog]"


async def record_listing(
    tx: Tx,
    ctx: RunContext,
    product: Product,
    listing: Listing,
    *,
    links: Mapping[str, str] | None,
    category: CategoryRef | None,
    prepared: Prepared | None = None,
) -> None:
    """A listing created, edited or linked for `product`: ids, status, SKU links, pushed state."""
    now = ctx.now()
    status = status_of(listing.status)
    if links is None:  # linked: match by seller SKU
        by_seller = {sku.seller_sku: sku.sku_id for sku in listing.skus if sku.seller_sku}
        links = {v.id: by_seller[v.sku] for v in product.variants if v.sku in by_seller}
    notes = prepared.notes if prepared else ()
    await products.set_product_status(
        tx,
        shop_id=ctx.shop_id,
        store_product_id=product.id,
        status=status,
        # TikTok's audit reasons, else what we changed on the way (defaults used, conversions)
        reason="; ".join(listing.audit_reasons or notes) or None,
        now=now,
        tiktok_product_id=listing.product_id,
        content_hash=prepared.content_hash if prepared else None,
    )
    if category is not None:
        await products.set_category(
            tx, shop_id=ctx.shop_id, store_product_id=product.id, category_id=category.id
        )
    for variant_id, sku_id in links.items():
        await products.link_sku(
            tx,
            shop_id=ctx.shop_id,
            store_variant_id=variant_id,
            tiktok_sku_id=sku_id,
            status=status,
            now=now,
        )
    if prepared is None:
        return
    draft = prepared.draft
    await pushed.record_quantities(
        tx,
        ctx.shop_id,
        {
            (sku.variant_id, w): q
            for sku in draft.skus
            if sku.variant_id in links
            for w, q in sku.stock
        },
        now,
    )
    await pushed.record_prices(
        tx,
        ctx.shop_id,
        [
            (sku.variant_id, sku.price.amount, sku.price.currency)
            for sku in draft.skus
            if sku.variant_id in links
        ],
        now,
    )
