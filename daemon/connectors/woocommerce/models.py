"""WooCommerce REST API v3 wire shapes (pydantic), only the fields the connector reads.

Money and weights are decimal strings; dates carry no zone (``*_gmt`` are UTC).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _blank_none(value: Any) -> Any:
    return None if value == "" else value


class MetaWire(Wire):
    id: int | None = None
    key: str
    value: Any = None


class ImageWire(Wire):
    src: str
    position: int | None = None


class CategoryWire(Wire):
    name: str


class AttributeWire(Wire):
    name: str
    option: str | None = None  # on a variation
    options: list[str] = Field(default_factory=list)  # on a product
    variation: bool = False


class StockFields(Wire):
    id: int
    sku: str = ""
    global_unique_id: str = ""
    status: str
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    price: Decimal | None = None
    manage_stock: bool | str = False  # a variation may say "parent"
    stock_quantity: int | None = None
    backorders: str = "no"
    weight: Decimal | None = None
    date_modified_gmt: datetime

    _blank = field_validator("regular_price", "sale_price", "price", "weight", mode="before")(
        _blank_none
    )


class VariationWire(StockFields):
    parent_id: int = 0
    attributes: list[AttributeWire] = Field(default_factory=list)
    image: ImageWire | None = None


class ProductWire(StockFields):
    name: str
    type: str
    description: str = ""
    parent_id: int = 0
    categories: list[CategoryWire] = Field(default_factory=list)
    images: list[ImageWire] = Field(default_factory=list)
    attributes: list[AttributeWire] = Field(default_factory=list)
    variations: list[int] = Field(default_factory=list)


class SettingWire(Wire):
    id: str
    value: str


class IndexWire(Wire):
    name: str = ""
    url: str = ""
    namespaces: list[str] = Field(default_factory=list)


class LineItemWire(Wire):
    id: int
    name: str = ""
    product_id: int = 0
    variation_id: int = 0
    quantity: int
    sku: str | None = None
    total: Decimal
    meta_data: list[MetaWire] = Field(default_factory=list)


class OrderWire(Wire):
    id: int
    number: str = ""
    status: str
    currency: str
    created_via: str = ""
    date_created_gmt: datetime
    date_modified_gmt: datetime
    date_paid_gmt: datetime | None = None
    date_completed_gmt: datetime | None = None
    total: Decimal
    meta_data: list[MetaWire] = Field(default_factory=list)
    line_items: list[LineItemWire] = Field(default_factory=list)


class NoteWire(Wire):
    id: int
    note: str
    date_created_gmt: datetime


class TrackingWire(Wire):
    tracking_id: str
    tracking_provider: str = ""
    custom_tracking_provider: str = ""
    tracking_link: str = ""
    custom_tracking_link: str = ""
    tracking_number: str
    date_shipped: str | int | None = None
