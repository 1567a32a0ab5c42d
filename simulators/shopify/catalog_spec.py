"""What the control API accepts to load and edit a catalog (validated with pydantic)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WeightUnitName = Literal["g", "kg", "lb", "oz"]


MAX_VARIANTS = 2048
REST_VARIANTS = 100


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StockSpec(_Spec):
    """Units available at one location; no `location_id` means the first location."""

    location_id: int | None = None
    available: int


class VariantSpec(_Spec):
    id: int | None = None
    inventory_item_id: int | None = None
    sku: str | None = None
    barcode: str | None = None
    price: Decimal
    compare_at_price: Decimal | None = None
    options: list[str] = Field(default_factory=list, max_length=3)  # values, in option order
    weight: Decimal = Decimal(0)
    weight_unit: WeightUnitName = "kg"
    inventory_policy: Literal["deny", "continue"] = "deny"
    tracked: bool = True
    requires_shipping: bool = True
    taxable: bool = True
    image: int | None = None  # index into the product's images
    cost: Decimal | None = None
    stock: list[StockSpec] | int = Field(default_factory=list)


class ImageSpec(_Spec):
    src: str
    alt: str | None = None
    width: int | None = None
    height: int | None = None


class OptionSpec(_Spec):
    name: str
    values: list[str] = Field(default_factory=list)


class ProductSpec(_Spec):
    id: int | None = None
    title: str
    body_html: str | None = ""
    vendor: str | None = None
    product_type: str | None = ""
    handle: str | None = None
    status: Literal["active", "draft", "archived"] = "active"
    tags: list[str] | str = Field(default_factory=list)
    options: list[OptionSpec] = Field(default_factory=list, max_length=3)
    images: list[ImageSpec] = Field(default_factory=list)
    # Shopify allows 2,048 variants a product (since 2025-10); REST shows only the first 100.
    variants: list[VariantSpec] = Field(min_length=1, max_length=MAX_VARIANTS)


class CatalogSpec(_Spec):
    products: list[ProductSpec]
    replace: bool = False
    webhooks: bool = False  # fire products/create for each loaded product


class VariantEdit(_Spec):
    """Changes to one variant, picked by `id` or else by `sku`; only the fields given change."""

    id: int | None = None
    sku: str | None = None
    new_sku: str | None = None
    barcode: str | None = None
    price: Decimal | None = None
    compare_at_price: Decimal | None = None
    inventory_policy: Literal["deny", "continue"] | None = None
    tracked: bool | None = None
    weight: Decimal | None = None
    weight_unit: WeightUnitName | None = None


class ProductEdit(_Spec):
    title: str | None = None
    body_html: str | None = None
    vendor: str | None = None
    product_type: str | None = None
    status: Literal["active", "draft", "archived"] | None = None
    tags: list[str] | str | None = None
    images: list[ImageSpec] | None = None
    variants: list[VariantEdit] = Field(default_factory=list)
