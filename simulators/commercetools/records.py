"""The simulated project's records: products with their variants and prices, channels,
inventory entries, categories, custom types, orders with their deliveries, API clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SUPPLY = "InventorySupply"


@dataclass
class PriceRec:
    id: str
    cents: int
    currency: str
    country: str | None = None
    channel_id: str | None = None
    discounted_cents: int | None = None


@dataclass
class VariantRec:
    id: int  # 1 is the master variant
    sku: str | None
    prices: list[PriceRec]
    attributes: dict[str, Any] = field(default_factory=dict)  # name -> value as JSON
    images: list[str] = field(default_factory=list)


@dataclass
class ProductRec:
    id: str
    key: str | None
    version: int
    name: dict[str, str]
    slug: dict[str, str]
    description: dict[str, str] | None
    category_ids: list[str]
    variants: list[VariantRec]  # the master first
    published: bool
    created_at: datetime
    last_modified_at: datetime
    corrupt: dict[str, Any] = field(default_factory=dict)  # fields served as given


@dataclass
class ChannelRec:
    id: str
    key: str
    name: dict[str, str]
    roles: list[str]
    version: int
    created_at: datetime
    last_modified_at: datetime


@dataclass
class InventoryRec:
    id: str
    sku: str
    channel_id: str | None
    on_stock: int
    version: int
    created_at: datetime
    last_modified_at: datetime
    reserved: int = 0
    restockable_in_days: int | None = None

    @property
    def available(self) -> int:
        return self.on_stock - self.reserved


@dataclass
class TypeRec:
    id: str
    key: str
    version: int
    name: dict[str, str]
    resource_type_ids: list[str]
    field_definitions: list[dict[str, Any]]
    created_at: datetime
    last_modified_at: datetime

    def field_names(self) -> set[str]:
        return {str(d.get("name")) for d in self.field_definitions}


@dataclass
class LineItemRec:
    id: str
    product_id: str
    variant_id: int
    sku: str | None
    name: dict[str, str]
    quantity: int
    cents: int
    currency: str
    supply_channel_id: str | None
    inventory_mode: str | None


@dataclass
class ParcelRec:
    id: str
    tracking_id: str | None
    carrier: str | None
    created_at: datetime
    items: list[tuple[str, int]]


@dataclass
class DeliveryRec:
    id: str
    key: str | None
    items: list[tuple[str, int]]  # (line item id, quantity)
    parcels: list[ParcelRec]
    created_at: datetime


@dataclass
class OrderRec:
    id: str
    version: int
    order_number: str | None
    customer_email: str | None
    line_items: list[LineItemRec]
    total_cents: int
    currency: str
    order_state: str
    shipment_state: str | None
    payment_state: str | None
    inventory_mode: str
    shipping_address: dict[str, Any] | None
    billing_address: dict[str, Any] | None
    shipping_info: dict[str, Any] | None  # as imported, deliveries kept apart
    custom: dict[str, Any] | None  # {"type": {"typeId", "id"}, "fields": {...}}
    created_at: datetime
    last_modified_at: datetime
    completed_at: str | None = None
    deliveries: list[DeliveryRec] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # taxedPrice, discounts... as given


@dataclass
class ClientRec:
    client_id: str
    secret: str
    scopes: tuple[str, ...]


@dataclass
class TokenRec:
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float
