"""BigCommerce wire shapes (V3 catalog and inventory, V2 store and orders), validated on the
way in. Nothing here leaves the connector's folder."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _rfc2822(value: object) -> object:
    """V2 dates are RFC 2822 (``Tue, 20 Nov 2012 00:00:00 +0000``); blank means unset."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return value  # left for the datetime validator to refuse
    return value


def _number(value: object) -> object:
    """V3 money is a JSON number; a string there is not the documented shape."""
    if isinstance(value, str):
        raise ValueError("must be a number, not a string")  # noqa: TRY004 pydantic wants ValueError
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


V2Time = Annotated[datetime | None, BeforeValidator(_rfc2822)]
V3Money = Annotated[Decimal, BeforeValidator(_number)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Pagination(Wire):
    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int


class Meta(Wire):
    pagination: Pagination | None = None


class Page(Wire):
    """A V3 list: raw records (each validated on its own) and the paging."""

    data: list[Any]
    meta: Meta = Meta()


class One(Wire):
    data: Any


class OptionValueWire(Wire):
    label: str
    option_display_name: str


class VariantWire(Wire):
    id: int
    product_id: int
    sku: str = ""
    price: Annotated[Decimal | None, BeforeValidator(_number)] = None
    calculated_price: Annotated[Decimal | None, BeforeValidator(_number)] = None
    sale_price: Annotated[Decimal | None, BeforeValidator(_number)] = None
    retail_price: Annotated[Decimal | None, BeforeValidator(_number)] = None
    upc: str | None = None
    gtin: str | None = None
    weight: Annotated[Decimal | None, BeforeValidator(_number)] = None
    image_url: str | None = None
    purchasing_disabled: bool = False
    option_values: list[OptionValueWire] = Field(default_factory=list)


class ImageWire(Wire):
    id: int
    sort_order: int = 0
    url_zoom: str | None = None
    url_standard: str | None = None


class ProductWire(Wire):
    id: int
    name: str
    description: str = ""
    price: V3Money
    sale_price: Annotated[Decimal | None, BeforeValidator(_number)] = None
    retail_price: Annotated[Decimal | None, BeforeValidator(_number)] = None
    weight: Annotated[Decimal | None, BeforeValidator(_number)] = None
    is_visible: bool
    availability: Literal["available", "disabled", "preorder"]
    inventory_tracking: Literal["none", "product", "variant"]
    date_modified: datetime
    categories: list[int] = Field(default_factory=list)
    variants: list[VariantWire] = Field(default_factory=list)
    images: list[ImageWire] = Field(default_factory=list)


class CategoryWire(Wire):
    id: int
    name: str


class VariantRefWire(Wire):
    id: int
    product_id: int
    sku: str = ""


class LocationWire(Wire):
    id: int
    label: str
    enabled: bool


class ItemLocationWire(Wire):
    location_id: int
    available_to_sell: int


class IdentityWire(Wire):
    variant_id: int
    product_id: int
    sku: str | None = None


class InventoryItemWire(Wire):
    identity: IdentityWire
    locations: list[ItemLocationWire]


class StoreWire(Wire):
    name: str
    domain: str = ""
    currency: str


class OrderWire(Wire):
    id: int
    status_id: int
    date_created: V2Time
    date_modified: V2Time
    date_shipped: V2Time = None
    currency_code: str
    total_inc_tax: Decimal
    items_total: int = 0
    items_shipped: int = 0
    payment_status: str = ""
    external_source: str | None = ""
    external_order_id: str | None = ""
    staff_notes: str | None = ""


class OrderProductWire(Wire):
    id: int
    product_id: int
    variant_id: int | None = None
    name: str
    sku: str | None = ""
    quantity: int
    quantity_shipped: int = 0
    price_inc_tax: Decimal


class AddressWire(Wire):
    id: int


class ShipmentItemWire(Wire):
    order_product_id: int
    quantity: int


class ShipmentWire(Wire):
    id: int
    order_id: int
    date_created: V2Time
    tracking_number: str | None = ""
    tracking_carrier: str | None = ""
    tracking_link: str | None = ""
    shipping_provider: str | None = ""
    items: list[ShipmentItemWire] = Field(default_factory=list)
