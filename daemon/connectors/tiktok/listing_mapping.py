"""Domain listings to TikTok product writes, and TikTok products back to domain listings. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from daemon.connectors.tiktok.models import (
    BatchResult,
    Dimensions,
    IdentifierCode,
    ImageRef,
    InventoryInput,
    PriceInput,
    Product,
    ProductInput,
    ProductSku,
    ProductSummary,
    SalesAttributeInput,
    SkuInput,
    SkuInventoryInput,
    SkuPriceInput,
    Weight,
)
from daemon.domain.listing import ItemRefusal, ListedSku, Listing, ListingDraft
from daemon.domain.models import Money
from daemon.errors import SkippableError


def product_input(draft: ListingDraft) -> ProductInput:
    """The Create/Edit Product body for a draft (metric units, which every market accepts)."""
    weight = draft.package.weight
    if weight is None:
        raise SkippableError("no package weight", field="package_weight")
    dimensions = draft.package.dimensions
    return ProductInput(
        title=draft.title,
        description=draft.description,
        category_id=draft.category_id,
        main_images=[ImageRef(uri=uri) for uri in draft.image_uris],
        package_weight=Weight(value=weight.value, unit="KILOGRAM"),
        package_dimensions=None
        if dimensions is None
        else Dimensions(
            length=str(int(dimensions.length)),
            width=str(int(dimensions.width)),
            height=str(int(dimensions.height)),
            unit="CENTIMETER",
        ),
        skus=[
            SkuInput(
                seller_sku=sku.seller_sku,
                external_sku_id=sku.variant_id,
                price=PriceInput(amount=sku.price.amount, currency=sku.price.currency),
                inventory=[
                    InventoryInput(warehouse_id=warehouse, quantity=quantity)
                    for warehouse, quantity in sku.stock
                ],
                sales_attributes=[
                    SalesAttributeInput(name=name, value_name=value)
                    for name, value in sku.attributes
                ]
                or None,
                identifier_code=None
                if sku.identifier is None
                else IdentifierCode(code=sku.identifier.code, type=sku.identifier.type.value),
            )
            for sku in draft.skus
        ],
        external_product_id=draft.product_id,
        idempotency_key=draft.idempotency_key,
    )


def _listed(skus: list[ProductSku]) -> tuple[ListedSku, ...]:
    return tuple(
        ListedSku(sku.id, sku.seller_sku or None, sku.external_sku_id or None) for sku in skus
    )


def listing(product: Product | ProductSummary) -> Listing:
    reasons: tuple[str, ...] = ()
    external = None
    if isinstance(product, Product):
        reasons = tuple(
            f"{failure.position}: {reason}" if failure.position else reason
            for failure in product.audit_failed_reasons
            for reason in failure.reasons
        )
        external = product.external_product_id or None
    return Listing(product.id, str(product.status), _listed(product.skus), reasons, external)


def inventory_inputs(stock: Mapping[str, Mapping[str, int]]) -> list[SkuInventoryInput]:
    return [
        SkuInventoryInput(
            id=sku_id,
            inventory=[
                InventoryInput(warehouse_id=warehouse, quantity=quantity)
                for warehouse, quantity in sorted(by_warehouse.items())
            ],
        )
        for sku_id, by_warehouse in sorted(stock.items())
    ]


def price_inputs(prices: Mapping[str, Money]) -> list[SkuPriceInput]:
    return [
        SkuPriceInput(id=sku_id, price=PriceInput(amount=price.amount, currency=price.currency))
        for sku_id, price in sorted(prices.items())
    ]


def refusals(result: BatchResult) -> list[ItemRefusal]:
    return [
        ItemRefusal(
            failure.sku_id,
            failure.warehouse_id,
            failure.code,
            failure.message,
            failure.product_id,
        )
        for failure in result.failures
    ]
