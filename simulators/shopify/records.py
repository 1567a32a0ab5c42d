"""Mutable records the simulator keeps; rendering them as Shopify JSON lives in `render`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class OptionRec:
    id: int
    name: str
    position: int
    values: list[str]


@dataclass(slots=True)
class ImageRec:
    id: int
    position: int
    src: str
    alt: str | None
    width: int | None
    height: int | None
    variant_ids: list[int]
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class VariantRec:
    id: int
    product_id: int
    inventory_item_id: int
    title: str
    price: Decimal
    compare_at_price: Decimal | None
    sku: str | None
    barcode: str | None
    position: int
    inventory_policy: str  # "deny" | "continue"
    options: tuple[str | None, str | None, str | None]
    weight: Decimal
    weight_unit: str
    requires_shipping: bool
    taxable: bool
    image_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class ProductRec:
    id: int
    title: str
    body_html: str | None
    vendor: str | None
    product_type: str | None
    handle: str
    status: str  # "active" | "draft" | "archived"
    tags: list[str]
    options: list[OptionRec]
    images: list[ImageRec]
    variants: list[VariantRec]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    # Test hooks: merged into the rendered JSON to make the payload malformed on purpose.
    wire_patch: dict[str, Any] = field(default_factory=dict)
    variant_wire_patch: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class InventoryItemRec:
    id: int
    variant_id: int
    sku: str | None
    tracked: bool
    requires_shipping: bool
    cost: Decimal | None
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class LevelRec:
    inventory_item_id: int
    location_id: int
    available: int
    updated_at: datetime


@dataclass(slots=True)
class LocationRec:
    id: int
    name: str
    active: bool
    address1: str | None
    city: str | None
    zip: str | None
    country_code: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class EventRec:
    id: int
    subject_id: int
    subject_type: str  # "Product", ...
    verb: str  # "create" | "destroy" | ...
    arguments: list[str]
    message: str
    created_at: datetime


@dataclass(slots=True)
class LineItemRec:
    id: int
    variant_id: int | None
    product_id: int | None
    inventory_item_id: int | None
    title: str
    variant_title: str | None
    sku: str | None
    quantity: int
    price: Decimal
    grams: int
    requires_shipping: bool
    taxable: bool
    tax_lines: list[dict[str, Any]]
    location_id: int | None  # where the units are (or would be) taken from
    decremented: int = 0  # units this order took out of stock
    fulfilled: int = 0


@dataclass(slots=True)
class FulfillmentOrderLineRec:
    id: int
    line_item_id: int
    variant_id: int | None
    inventory_item_id: int | None
    quantity: int
    fulfillable_quantity: int


@dataclass(slots=True)
class FulfillmentOrderRec:
    id: int
    order_id: int
    location_id: int
    status: str  # "open" | "in_progress" | "closed" | "cancelled"
    request_status: str
    line_items: list[FulfillmentOrderLineRec]
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class FulfillmentRec:
    id: int
    order_id: int
    name: str
    location_id: int
    status: str
    tracking_company: str | None
    tracking_numbers: list[str]
    tracking_urls: list[str]
    line_items: list[tuple[int, int]]  # (order line item id, quantity)
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class OrderRec:
    id: int
    number: int
    email: str | None
    phone: str | None
    currency: str
    customer: dict[str, Any] | None
    billing_address: dict[str, Any] | None
    shipping_address: dict[str, Any] | None
    tags: list[str]
    note: str | None
    note_attributes: list[dict[str, str]]
    source_name: str
    source_identifier: str | None
    financial_status: str
    transactions: list[dict[str, Any]]
    tax_lines: list[dict[str, Any]]
    shipping_lines: list[dict[str, Any]]
    discount_codes: list[dict[str, Any]]
    line_items: list[LineItemRec]
    inventory_behaviour: str
    created_at: datetime
    updated_at: datetime
    processed_at: datetime
    test: bool = False
    taxes_included: bool = False
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    closed_at: datetime | None = None
    fulfillment_order_ids: list[int] = field(default_factory=list)
    fulfillment_ids: list[int] = field(default_factory=list)
    cancelling: bool = False  # an orderCancel job is running
    # Order fields GraphQL answers as given (a test's malformed payload).
    graphql_patch: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"#{self.number}"
