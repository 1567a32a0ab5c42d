"""What we publish to a marketplace and what it tells us back, in domain terms. Pure."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from daemon.domain.identifiers import IdentifierCode
from daemon.domain.inventory import StockKey
from daemon.domain.models import Money, Product
from daemon.domain.package import Package
from daemon.domain.status import ProductStatus
from daemon.domain.validation import Validation


@dataclass(frozen=True)
class DraftSku:
    variant_id: str  # sent as the external SKU id, so TikTok's answer maps back
    seller_sku: str | None
    price: Money
    stock: tuple[tuple[str, int], ...]  # (warehouse id, quantity) for every warehouse
    attributes: tuple[tuple[str, str], ...]  # (sales attribute name, value)
    identifier: IdentifierCode | None


@dataclass(frozen=True)
class ListingDraft:
    """One store product as the marketplace will list it."""

    product_id: str  # the store's, sent as the external product id
    title: str
    description: str  # cleaned HTML, images already hosted by the marketplace
    category_id: str
    image_uris: tuple[str, ...]  # uploaded images, in order
    package: Package
    skus: tuple[DraftSku, ...]
    idempotency_key: str  # the same draft always carries the same key


@dataclass(frozen=True)
class ListedSku:
    sku_id: str
    seller_sku: str | None
    variant_id: str | None  # the external SKU id we sent, when the listing is ours


@dataclass(frozen=True)
class Listing:
    """A product as the marketplace holds it."""

    product_id: str
    status: str  # the marketplace's own word, e.g. "ACTIVATE"
    skus: tuple[ListedSku, ...]
    audit_reasons: tuple[str, ...] = ()
    external_product_id: str | None = None


@dataclass(frozen=True)
class ItemRefusal:
    """The marketplace refused one SKU (and warehouse) of a batch that otherwise went through."""

    sku_id: str | None
    warehouse_id: str | None
    code: int
    message: str
    product_id: str | None = None
    # The marketplace takes no stock of 0 (one reading of TikTok's docs): the SKU cannot be
    # stopped by its quantity; a product whose SKUs are all out is deactivated instead.
    zero_stock_refused: bool = False

    def __str__(self) -> str:
        where = f" in warehouse {self.warehouse_id}" if self.warehouse_id else ""
        what = f"SKU {self.sku_id}" if self.sku_id else f"product {self.product_id or '?'}"
        return f"{what}{where}: {self.message} (code {self.code})"


_STATUS = {
    "PENDING": ProductStatus.UNDER_REVIEW,
    "FAILED": ProductStatus.FAILED_REVIEW,
    "ACTIVATE": ProductStatus.ACTIVE,
    "DRAFT": ProductStatus.UNLISTED,
    "SELLER_DEACTIVATED": ProductStatus.UNLISTED,
    "PLATFORM_DEACTIVATED": ProductStatus.UNLISTED,
    "FREEZE": ProductStatus.UNLISTED,
    "DELETED": ProductStatus.UNLISTED,
}


def status_of(listing_status: str) -> ProductStatus:
    """DOMAIN.md section 1: TikTok's product status as the merchant's sync status."""
    return _STATUS.get(listing_status, ProductStatus.UNLISTED)


def build_draft(
    product: Product,
    validation: Validation,
    *,
    category_id: str,
    description: str,
    image_uris: tuple[str, ...],
    prices: Mapping[str, Money],
    stock: Mapping[StockKey, int],
    content_hash: str,
) -> ListingDraft:
    """The listing for a product that passed validation; every SKU lists every warehouse."""
    names = validation.sales_attributes
    skus = []
    for variant in product.variants:
        options = dict(variant.options)
        skus.append(
            DraftSku(
                variant_id=variant.id,
                seller_sku=variant.sku,
                price=prices[variant.id],
                stock=tuple(
                    sorted(
                        (key.warehouse_id, quantity)
                        for key, quantity in stock.items()
                        if key.variant_id == variant.id
                    )
                ),
                attributes=tuple((name, options[name]) for name in names if name in options),
                identifier=validation.identifiers.get(variant.id),
            )
        )
    key = hashlib.sha256(f"{product.id}:{content_hash}".encode()).hexdigest()[:64]
    return ListingDraft(
        product_id=product.id,
        title=product.title.strip(),
        description=description,
        category_id=category_id,
        image_uris=image_uris,
        package=validation.package,
        skus=tuple(skus),
        idempotency_key=key,
    )


def sku_links(draft: ListingDraft, listed: tuple[ListedSku, ...]) -> dict[str, str]:
    """Store variant id -> marketplace SKU id, matched by external id, else by seller SKU."""
    by_variant = {sku.variant_id: sku.sku_id for sku in listed if sku.variant_id}
    by_seller = {sku.seller_sku: sku.sku_id for sku in listed if sku.seller_sku}
    links: dict[str, str] = {}
    for sku in draft.skus:
        found = by_variant.get(sku.variant_id) or (
            by_seller.get(sku.seller_sku) if sku.seller_sku else None
        )
        if found:
            links[sku.variant_id] = found
    return links


@dataclass(frozen=True)
class HostedImage:
    """An image uploaded to the marketplace: `uri` goes in product writes, `url` in HTML."""

    uri: str
    url: str
    width: int | None
    height: int | None
