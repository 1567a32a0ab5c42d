"""Frozen value types shared by every connector and job. No wire shapes, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217, upper case

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isupper():  # noqa: PLR2004 ISO 4217
            raise ValueError(f"currency must be an ISO 4217 code, got {self.currency!r}")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class WeightUnit(StrEnum):
    KILOGRAM = "kg"
    GRAM = "g"
    POUND = "lb"
    OUNCE = "oz"


@dataclass(frozen=True)
class Weight:
    value: Decimal
    unit: WeightUnit


class LengthUnit(StrEnum):
    CENTIMETER = "cm"
    INCH = "in"


@dataclass(frozen=True)
class Dimensions:
    length: Decimal
    width: Decimal
    height: Decimal
    unit: LengthUnit


@dataclass(frozen=True)
class Image:
    url: str
    position: int = 1
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Variant:
    """One sellable SKU of a store product."""

    id: str  # the store's variant id
    sku: str | None  # the seller SKU
    barcode: str | None  # GTIN / EAN / UPC / ISBN as the store holds it
    price: Money
    options: tuple[tuple[str, str], ...] = ()  # (option name, value), in option order
    stock_key: str | None = None
    tracked: bool = True  # False: stock is not counted, so TikTok gets the maximum
    continue_selling: bool = False  # True: sells when out of stock, so TikTok gets the maximum
    weight: Weight | None = None
    compare_at_price: Money | None = None
    image_url: str | None = None


class ProductState(StrEnum):
    """Where the product stands in the store's own workflow (each kind maps its statuses)."""

    ACTIVE = "active"
    DRAFT = "draft"
    ARCHIVED = "archived"


@dataclass(frozen=True)
class Product:
    """A store product with its variants, as the store describes it."""

    id: str
    title: str
    description_html: str
    state: ProductState
    updated_at: datetime
    variants: tuple[Variant, ...]
    images: tuple[Image, ...] = ()
    option_names: tuple[str, ...] = ()
    vendor: str | None = None
    product_type: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    collections: frozenset[str] = field(default_factory=frozenset)
    dimensions: Dimensions | None = None
    # False when the store holds the product back from its shop window (hidden, unpublished,
    # not visible), whatever its state.
    published: bool = True
    # The stock of its SKUs at every location, when the store's product read carries
    # it (a whole read that includes stock): every level `SourceStore.stock_levels` would give
    # for these stock keys. None: not read with the product (the inventory job reads it).
    levels: tuple[StockLevel, ...] | None = None


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    active: bool


@dataclass(frozen=True)
class StockLevel:
    """Units available for sale of one SKU (by its stock key) at one store location."""

    stock_key: str
    location_id: str
    available: int


@dataclass(frozen=True)
class StoreInfo:
    name: str
    currency: str
    domain: str


@dataclass(frozen=True)
class BadRecord:
    """A record the store returned that cannot be read: it fails alone, with its reason."""

    kind: str  # "product", "order", ...
    id: str
    reason: str


@dataclass(frozen=True)
class Warehouse:
    """A TikTok Shop warehouse that stock can be listed in."""

    id: str
    name: str
    is_default: bool
    active: bool


@dataclass(frozen=True)
class MarketplaceShop:
    """What connecting to the marketplace learned: the shop and its authorisation."""

    shop_id: str
    name: str
    region: str  # e.g. "GB"
    seller_type: str  # "LOCAL" or "CROSS_BORDER"
    seller_name: str | None
    access_expires_at: datetime
    authorization_expires_at: datetime


@dataclass(frozen=True)
class TokenRecord:
    """A marketplace authorisation as kept across restarts (times in Unix seconds)."""

    access_token: str
    access_expires_at: int
    refresh_token: str
    refresh_expires_at: int
    open_id: str | None
    seller_name: str | None
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class ShopBinding:
    """Which marketplace shop a configured shop is bound to, and the key its calls carry."""

    shop_id: str
    cipher: str
