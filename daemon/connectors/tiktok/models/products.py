"""Products: the write shape (create, edit, partial edit, listing check) and the read shapes.

Writes send ``price.amount``; reads return ``price.sale_price`` (DOMAIN.md section 11.3).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from daemon.connectors.tiktok.models.common import (
    Money,
    OptionalMoney,
    PagedData,
    RequestModel,
    WireModel,
)


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    PENDING = "PENDING"
    FAILED = "FAILED"
    ACTIVATE = "ACTIVATE"
    SELLER_DEACTIVATED = "SELLER_DEACTIVATED"
    PLATFORM_DEACTIVATED = "PLATFORM_DEACTIVATED"
    FREEZE = "FREEZE"
    DELETED = "DELETED"


# --- write shape -------------------------------------------------------------------------


class ImageRef(RequestModel):
    uri: str


class Weight(RequestModel):
    value: Money
    unit: Literal["KILOGRAM", "POUND", "GRAM"] = "KILOGRAM"


class Dimensions(RequestModel):
    length: str
    width: str
    height: str
    unit: Literal["CENTIMETER", "INCH"] = "CENTIMETER"


class AttributeValueInput(RequestModel):
    id: str | None = None
    name: str | None = None


class ProductAttributeInput(RequestModel):
    id: str
    values: list[AttributeValueInput]


class SalesAttributeInput(RequestModel):
    id: str | None = None
    name: str | None = None
    value_id: str | None = None
    value_name: str | None = None
    sku_img: ImageRef | None = None


class PriceInput(RequestModel):
    amount: Money
    currency: str


class InventoryInput(RequestModel):
    warehouse_id: str
    quantity: int = Field(ge=0)


class IdentifierCode(RequestModel):
    code: str
    type: Literal["GTIN", "EAN", "UPC", "ISBN", "JAN"]


class SkuInput(RequestModel):
    """One SKU to create or edit; give `id` when editing an existing SKU."""

    id: str | None = None
    seller_sku: str | None = Field(default=None, max_length=50)
    external_sku_id: str | None = None
    price: PriceInput
    inventory: list[InventoryInput]
    sales_attributes: list[SalesAttributeInput] | None = None
    identifier_code: IdentifierCode | None = None


class ProductInput(RequestModel):
    """Create Product, Edit Product (full replace: omitted SKUs are removed), Listing Check."""

    title: str = Field(min_length=1, max_length=255)
    description: str
    category_id: str
    category_version: str | None = None
    brand_id: str | None = None
    main_images: list[ImageRef] = Field(min_length=1, max_length=9)
    package_weight: Weight
    package_dimensions: Dimensions | None = None
    product_attributes: list[ProductAttributeInput] | None = None
    skus: list[SkuInput] = Field(min_length=1)
    external_product_id: str | None = None
    is_cod_allowed: bool | None = None
    save_mode: Literal["LISTING", "AS_DRAFT"] | None = None
    delivery_option_ids: list[str] | None = None
    idempotency_key: str | None = Field(default=None, max_length=128)


class ProductPatch(RequestModel):
    """Partial Edit Product: only the fields given change."""

    title: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    category_id: str | None = None
    brand_id: str | None = None
    main_images: list[ImageRef] | None = Field(default=None, min_length=1, max_length=9)
    package_weight: Weight | None = None
    package_dimensions: Dimensions | None = None
    product_attributes: list[ProductAttributeInput] | None = None
    skus: list[SkuInput] | None = None
    external_product_id: str | None = None


class SkuInventoryInput(RequestModel):
    """Update Inventory: one SKU and every warehouse that stocks it."""

    id: str
    inventory: list[InventoryInput] = Field(min_length=1)


class SkuPriceInput(RequestModel):
    id: str
    price: PriceInput


class ProductSearchFilter(RequestModel):
    """Body of Search Products; time bounds are Unix seconds (note ``_le``, unlike orders)."""

    status: ProductStatus | Literal["ALL"] | None = None
    seller_skus: list[str] | None = Field(default=None, max_length=10)
    sku_ids: list[str] | None = Field(default=None, max_length=10)
    create_time_ge: int | None = None
    create_time_le: int | None = None
    update_time_ge: int | None = None
    update_time_le: int | None = None
    category_version: str | None = None


# --- read shapes -------------------------------------------------------------------------


class ApiWarning(WireModel):
    message: str = ""


def _as_list(value: object) -> object:
    """Listing Check sends ``warnings`` as one object; Create sends a list."""
    return [value] if isinstance(value, dict) else value


Warnings = Annotated[list[ApiWarning], BeforeValidator(_as_list)]


class SalesAttributeRef(WireModel):
    id: str = ""
    value_id: str = ""
    name: str = ""
    value_name: str = ""


class CreatedSku(WireModel):
    id: str
    seller_sku: str = ""
    external_sku_id: str = ""
    sales_attributes: list[SalesAttributeRef] = Field(default_factory=list)


class ProductWriteResult(WireModel):
    """``data`` of Create, Edit and Partial Edit."""

    product_id: str
    skus: list[CreatedSku] = Field(default_factory=list)
    warnings: Warnings = Field(default_factory=list)


class ListingCheckFailure(WireModel):
    code: int
    message: str = ""


class ListingCheckResult(WireModel):
    check_result: Literal["PASS", "FAILED"]
    fail_reasons: list[ListingCheckFailure] = Field(default_factory=list)
    warnings: Warnings = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.check_result == "PASS"


class InventoryLevel(WireModel):
    warehouse_id: str
    quantity: int


class SkuPrice(WireModel):
    currency: str
    sale_price: OptionalMoney = None
    tax_exclusive_price: OptionalMoney = None
    unit_price: OptionalMoney = None


class IdentifierCodeRead(WireModel):
    code: str = ""
    type: str = ""


class ProductSku(WireModel):
    id: str
    seller_sku: str = ""
    external_sku_id: str = ""
    price: SkuPrice | None = None
    inventory: list[InventoryLevel] = Field(default_factory=list)
    sales_attributes: list[SalesAttributeRef] = Field(default_factory=list)
    identifier_code: IdentifierCodeRead | None = None


class ImageRead(WireModel):
    uri: str
    urls: list[str] = Field(default_factory=list)
    thumb_urls: list[str] = Field(default_factory=list)
    width: int | None = None
    height: int | None = None


class CategoryChainLink(WireModel):
    id: str
    parent_id: str = ""
    local_name: str = ""
    is_leaf: bool = False


class AuditFailure(WireModel):
    position: str = ""
    reasons: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)


class Brand(WireModel):
    id: str
    name: str = ""


class Product(WireModel):
    """``data`` of Get Product."""

    id: str
    status: ProductStatus
    title: str = ""
    description: str = ""
    category_chains: list[CategoryChainLink] = Field(default_factory=list)
    brand: Brand | None = None
    main_images: list[ImageRead] = Field(default_factory=list)
    skus: list[ProductSku] = Field(default_factory=list)
    create_time: int | None = None
    update_time: int | None = None
    audit_failed_reasons: list[AuditFailure] = Field(default_factory=list)
    external_product_id: str = ""
    is_cod_allowed: bool | None = None


class ProductSummary(WireModel):
    """One product of Search Products."""

    id: str
    status: ProductStatus
    title: str = ""
    create_time: int | None = None
    update_time: int | None = None
    skus: list[ProductSku] = Field(default_factory=list)


class ProductSearchData(PagedData):
    products: list[ProductSummary] = Field(default_factory=list)


class UploadedImage(WireModel):
    """``data`` of Upload Product Image: pass `uri` in product writes."""

    uri: str
    url: str = ""
    width: int | None = None
    height: int | None = None
    use_case: str = ""
