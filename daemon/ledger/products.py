"""Products and SKUs: store ids, TikTok ids, sync status, reason, last published content."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from daemon.domain import ProductStatus
from daemon.domain.sku_claims import SkuClaim
from daemon.errors import LedgerError
from daemon.ledger.db import Tx
from daemon.ledger.times import stamp


@dataclass(frozen=True)
class ProductRecord:
    shop_id: str
    store_product_id: str
    tiktok_product_id: str | None
    title: str
    category_id: str | None
    status: ProductStatus
    reason: str | None
    content_hash: str | None
    store_updated_at: str | None


@dataclass(frozen=True)
class SkuRecord:
    shop_id: str
    store_variant_id: str
    store_product_id: str
    seller_sku: str | None
    tiktok_sku_id: str | None
    status: ProductStatus
    reason: str | None


_PRODUCT = (
    "shop_id, store_product_id, tiktok_product_id, title, category_id, status, reason, "
    "content_hash, store_updated_at"
)
_SKU = "shop_id, store_variant_id, store_product_id, seller_sku, tiktok_sku_id, status, reason"


def _product(row: Sequence[object]) -> ProductRecord:
    values = list(row)
    values[5] = ProductStatus(str(values[5]))
    return ProductRecord(*values)  # type: ignore[arg-type]  # columns match the field order


def _sku(row: Sequence[object]) -> SkuRecord:
    values = list(row)
    values[5] = ProductStatus(str(values[5]))
    return SkuRecord(*values)  # type: ignore[arg-type]  # columns match the field order


async def upsert_product(
    tx: Tx,
    *,
    shop_id: str,
    store_product_id: str,
    title: str,
    category_id: str | None,
    store_updated_at: str | None,
    now: datetime,
) -> None:
    """Record what the store says about a product; a new one starts Unmapped or Not synced."""
    initial = ProductStatus.NOT_SYNCED if category_id else ProductStatus.UNMAPPED
    await tx.execute(
        f"INSERT INTO products ({_PRODUCT}, updated_at) "
        "VALUES (?, ?, NULL, ?, ?, ?, NULL, NULL, ?, ?) "
        "ON CONFLICT (shop_id, store_product_id) DO UPDATE SET title = excluded.title, "
        "category_id = coalesce(products.category_id, excluded.category_id), "
        "store_updated_at = excluded.store_updated_at, updated_at = excluded.updated_at",
        (
            shop_id,
            store_product_id,
            title,
            category_id,
            initial,
            store_updated_at,
            stamp(now),
        ),
    )


async def set_product_status(
    tx: Tx,
    *,
    shop_id: str,
    store_product_id: str,
    status: ProductStatus,
    reason: str | None,
    now: datetime,
    tiktok_product_id: str | None = None,
    content_hash: str | None = None,
) -> None:
    """Move a product to `status` with its reason; ids and hash are kept unless given."""
    await tx.execute(
        "UPDATE products SET status = ?, reason = ?, "
        "tiktok_product_id = coalesce(?, tiktok_product_id), "
        "content_hash = coalesce(?, content_hash), updated_at = ? "
        "WHERE shop_id = ? AND store_product_id = ?",
        (status, reason, tiktok_product_id, content_hash, stamp(now), shop_id, store_product_id),
    )


async def get_product(tx: Tx, shop_id: str, store_product_id: str) -> ProductRecord | None:
    row = await tx.fetchone(
        f"SELECT {_PRODUCT} FROM products WHERE shop_id = ? AND store_product_id = ?",
        (shop_id, store_product_id),
    )
    return None if row is None else _product(row)


async def products_with_status(
    tx: Tx, shop_id: str, statuses: Sequence[ProductStatus]
) -> list[ProductRecord]:
    marks = ", ".join("?" for _ in statuses)
    rows = await tx.fetchall(
        f"SELECT {_PRODUCT} FROM products WHERE shop_id = ? AND status IN ({marks}) "
        "ORDER BY store_product_id",
        (shop_id, *statuses),
    )
    return [_product(row) for row in rows]


async def status_counts(tx: Tx, shop_id: str) -> dict[ProductStatus, int]:
    rows = await tx.fetchall(
        "SELECT status, count(*) FROM products WHERE shop_id = ? GROUP BY status", (shop_id,)
    )
    return {ProductStatus(str(r[0])): int(r[1]) for r in rows}


async def upsert_sku(
    tx: Tx,
    *,
    shop_id: str,
    store_variant_id: str,
    store_product_id: str,
    seller_sku: str | None,
    now: datetime,
) -> None:
    await tx.execute(
        f"INSERT INTO skus ({_SKU}, updated_at) VALUES (?, ?, ?, ?, NULL, ?, NULL, ?) "
        "ON CONFLICT (shop_id, store_variant_id) DO UPDATE SET "
        "seller_sku = excluded.seller_sku, updated_at = excluded.updated_at",
        (
            shop_id,
            store_variant_id,
            store_product_id,
            seller_sku,
            ProductStatus.NOT_SYNCED,
            stamp(now),
        ),
    )


async def link_sku(
    tx: Tx,
    *,
    shop_id: str,
    store_variant_id: str,
    tiktok_sku_id: str,
    status: ProductStatus,
    now: datetime,
) -> None:
    await tx.execute(
        "UPDATE skus SET tiktok_sku_id = ?, status = ?, reason = NULL, updated_at = ? "
        "WHERE shop_id = ? AND store_variant_id = ?",
        (tiktok_sku_id, status, stamp(now), shop_id, store_variant_id),
    )


async def skus_of(tx: Tx, shop_id: str, store_product_id: str) -> list[SkuRecord]:
    rows = await tx.fetchall(
        f"SELECT {_SKU} FROM skus WHERE shop_id = ? AND store_product_id = ? "
        "ORDER BY store_variant_id",
        (shop_id, store_product_id),
    )
    return [_sku(row) for row in rows]


async def sku_by_tiktok_id(tx: Tx, shop_id: str, tiktok_sku_id: str) -> SkuRecord | None:
    row = await tx.fetchone(
        f"SELECT {_SKU} FROM skus WHERE shop_id = ? AND tiktok_sku_id = ?",
        (shop_id, tiktok_sku_id),
    )
    return None if row is None else _sku(row)


async def by_tiktok_id(tx: Tx, shop_id: str) -> dict[str, ProductRecord]:
    """Every product on the marketplace, by its marketplace product id."""
    rows = await tx.fetchall(
        f"SELECT {_PRODUCT} FROM products WHERE shop_id = ? AND tiktok_product_id IS NOT NULL",
        (shop_id,),
    )
    return {str(row[2]): _product(row) for row in rows}


async def record_failure(
    tx: Tx,
    *,
    shop_id: str,
    store_product_id: str,
    reason: str,
    now: datetime,
    title: str = "(unreadable)",
) -> None:
    """A product that could not be synced: Failed to sync, with the reason (row made if new)."""
    await tx.execute(
        f"INSERT INTO products ({_PRODUCT}, updated_at) "
        "VALUES (?, ?, NULL, ?, NULL, ?, ?, NULL, NULL, ?) "
        "ON CONFLICT (shop_id, store_product_id) DO UPDATE SET reason = excluded.reason, "
        "status = CASE WHEN products.tiktok_product_id IS NULL THEN excluded.status "
        "ELSE products.status END, updated_at = excluded.updated_at",
        (
            shop_id,
            store_product_id,
            title,
            ProductStatus.FAILED_TO_SYNC,
            reason,
            stamp(now),
        ),
    )


async def set_mapping(
    tx: Tx,
    *,
    shop_id: str,
    store_product_id: str,
    category_id: str | None,
    status: ProductStatus,
    reason: str | None,
    now: datetime,
) -> None:
    """The category the rules give a product not yet on the marketplace, and its status."""
    await tx.execute(
        "UPDATE products SET category_id = ?, status = ?, reason = ?, updated_at = ? "
        "WHERE shop_id = ? AND store_product_id = ? AND tiktok_product_id IS NULL",
        (category_id, status, reason, stamp(now), shop_id, store_product_id),
    )


async def set_category(tx: Tx, *, shop_id: str, store_product_id: str, category_id: str) -> None:
    await tx.execute(
        "UPDATE products SET category_id = ? WHERE shop_id = ? AND store_product_id = ?",
        (category_id, shop_id, store_product_id),
    )


async def release_listing(tx: Tx, *, shop_id: str, store_product_id: str, now: datetime) -> None:
    """Forget a deleted product's marketplace ids, so another product may link that listing."""
    await tx.execute(
        "UPDATE products SET tiktok_product_id = NULL, updated_at = ? "
        "WHERE shop_id = ? AND store_product_id = ?",
        (stamp(now), shop_id, store_product_id),
    )
    await tx.execute(
        "UPDATE skus SET tiktok_sku_id = NULL, updated_at = ? "
        "WHERE shop_id = ? AND store_product_id = ?",
        (stamp(now), shop_id, store_product_id),
    )


async def by_listing(tx: Tx, shop_id: str, tiktok_product_id: str) -> ProductRecord | None:
    """The product linked to one marketplace listing, if any."""
    row = await tx.fetchone(
        f"SELECT {_PRODUCT} FROM products WHERE shop_id = ? AND tiktok_product_id = ?",
        (shop_id, tiktok_product_id),
    )
    return None if row is None else _product(row)


async def store_product_ids(tx: Tx, shop_id: str) -> set[str]:
    """Every store product the ledger knows for the shop and has not seen deleted."""
    rows = await tx.fetchall(
        "SELECT store_product_id FROM products WHERE shop_id = ? AND status != ?",
        (shop_id, ProductStatus.DELETED.value),
    )
    return {str(row[0]) for row in rows}


# The other products carrying a product's seller SKUs. The join order is fixed (the product's
# own SKUs, then each SKU's other holders by seller SKU, then their products): left to itself,
# SQLite without statistics walks every SKU of the shop for each product, which made linking a
# catalog quadratic (10,000 products: 414 s).
CLAIMS_SQL = (
    "SELECT DISTINCT mine.seller_sku, p.tiktok_product_id IS NULL, p.rowid, "
    "p.store_product_id, p.title FROM skus AS mine INDEXED BY skus_by_product "
    "CROSS JOIN skus AS other ON other.shop_id = mine.shop_id "
    "AND other.seller_sku = mine.seller_sku "
    "AND other.store_product_id != mine.store_product_id "
    "CROSS JOIN products AS p ON p.shop_id = other.shop_id "
    "AND p.store_product_id = other.store_product_id "
    "WHERE mine.shop_id = ? AND mine.store_product_id = ? AND mine.seller_sku != '' "
    "AND p.status NOT IN (?, ?)"
)


async def sku_claims(
    tx: Tx, shop_id: str, store_product_id: str
) -> tuple[SkuClaim, dict[str, list[SkuClaim]]]:
    """This product's claim on its seller SKUs and, per SKU, the other products carrying it
    (products deleted or withdrawn from sale claim nothing)."""
    withdrawn = (ProductStatus.DELETED, ProductStatus.NOT_FOR_SALE)
    row = await tx.fetchone(
        "SELECT tiktok_product_id IS NULL, rowid, title FROM products "
        "WHERE shop_id = ? AND store_product_id = ?",
        (shop_id, store_product_id),
    )
    if row is None:
        raise LedgerError(f"store product {store_product_id} is not in the ledger")
    mine = SkuClaim(bool(row[0]), int(row[1]), store_product_id, str(row[2]))
    rows = await tx.fetchall(CLAIMS_SQL, (shop_id, store_product_id, *withdrawn))
    others: dict[str, list[SkuClaim]] = {}
    for sku, unpublished, seen, other_id, title in rows:
        others.setdefault(str(sku), []).append(
            SkuClaim(bool(unpublished), int(seen), str(other_id), str(title))
        )
    return mine, others


@dataclass(frozen=True)
class StoredFacts:
    """What the ledger holds of one store product as last read: enough to tell that a fresh
    read of it changes nothing (a reconciliation skips such products set-wise)."""

    record: ProductRecord
    # Per variant: (seller SKU, stock key, tracked, continue selling, price, currency).
    skus: dict[str, tuple[str | None, str | None, bool, bool, str | None, str | None]]


async def stored_facts(tx: Tx, shop_id: str) -> dict[str, StoredFacts]:
    """Every linked product of the shop with its SKUs' facts, in two queries."""
    rows = await tx.fetchall(
        f"SELECT {_PRODUCT} FROM products WHERE shop_id = ? AND tiktok_product_id IS NOT NULL",
        (shop_id,),
    )
    found = {str(row[1]): StoredFacts(_product(row), {}) for row in rows}
    skus = await tx.fetchall(
        "SELECT store_product_id, store_variant_id, seller_sku, stock_key, tracked, "
        "continue_selling, price, currency FROM skus WHERE shop_id = ?",
        (shop_id,),
    )
    for product_id, variant_id, sku, key, tracked, cont, price, currency in skus:
        facts = found.get(str(product_id))
        if facts is not None:
            facts.skus[str(variant_id)] = (
                sku,
                key,
                bool(tracked),
                bool(cont),
                price,
                currency,
            )
    return found
