"""The HTTP API's wire shapes the connector reads (only the fields it uses; others pass)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Money(Wire):
    currency: str = Field(alias="currencyCode")
    cents: int = Field(alias="centAmount")
    fraction_digits: int = Field(default=2, alias="fractionDigits")


class Discounted(Wire):
    value: Money


class Price(Wire):
    id: str | None = None
    value: Money
    discounted: Discounted | None = None


class Image(Wire):
    url: str


class Attribute(Wire):
    name: str
    value: Any = None


class ChannelAvailability(Wire):
    available: int | None = Field(default=None, alias="availableQuantity")
    restockable_in_days: int | None = Field(default=None, alias="restockableInDays")


class Availability(ChannelAvailability):
    channels: dict[str, ChannelAvailability] = Field(default_factory=dict)


class Variant(Wire):
    id: int
    sku: str | None = None
    price: Price | None = None
    images: list[Image] = Field(default_factory=list)
    attributes: list[Attribute] = Field(default_factory=list)
    availability: Availability | None = None


class Reference(Wire):
    type_id: str = Field(alias="typeId")
    id: str


class Projection(Wire):
    id: str
    version: int
    key: str | None = None
    name: dict[str, str]
    description: dict[str, str] | None = None
    categories: list[Reference] = Field(default_factory=list)
    master_variant: Variant = Field(alias="masterVariant")
    variants: list[Variant] = Field(default_factory=list)
    published: bool = True
    created_at: datetime = Field(alias="createdAt")
    last_modified_at: datetime = Field(alias="lastModifiedAt")


class Channel(Wire):
    id: str
    key: str
    roles: list[str] = Field(default_factory=list)
    name: dict[str, str] | None = None


class Category(Wire):
    id: str
    name: dict[str, str]


class InventoryEntry(Wire):
    id: str
    version: int
    sku: str
    supply_channel: Reference | None = Field(default=None, alias="supplyChannel")
    on_stock: int = Field(alias="quantityOnStock")
    available: int = Field(alias="availableQuantity")
    last_modified_at: datetime = Field(alias="lastModifiedAt")


class MessagesConfiguration(Wire):
    enabled: bool = False


class Project(Wire):
    key: str
    name: str
    currencies: list[str]
    countries: list[str] = Field(default_factory=list)
    messages: MessagesConfiguration = Field(default_factory=MessagesConfiguration)


class PagedQuery(Wire):
    count: int
    results: list[Any]


class Token(Wire):
    access_token: str
    expires_in: int
    scope: str = ""
