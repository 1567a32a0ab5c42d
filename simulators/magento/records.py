"""The simulated store's records: products, attributes, categories, MSI sources and source
items, orders with their items, comments, invoices and shipments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

STATUS_ENABLED = 1
STATUS_DISABLED = 2
VISIBILITY_NOT_VISIBLE = 1
VISIBILITY_BOTH = 4
DEFAULT_STOCK_ID = 1


@dataclass
class AttributeRec:
    """A select attribute a configurable product varies by (``size``, ``color``)."""

    id: int
    code: str
    label: str
    options: dict[int, str] = field(default_factory=dict)  # option id -> label

    def option_id(self, label: str, take: int) -> int:
        for option_id, known in self.options.items():
            if known == label:
                return option_id
        self.options[take] = label
        return take


@dataclass
class ProductRec:
    id: int
    sku: str
    name: str
    type_id: str  # "simple" or "configurable"
    price: Decimal
    status: int
    visibility: int
    created_at: datetime
    updated_at: datetime
    description: str = ""
    weight: Decimal | None = None
    barcode: str | None = None
    images: list[str] = field(default_factory=list)  # media gallery files
    category_ids: list[int] = field(default_factory=list)
    manage_stock: bool = True
    backorders: int = 0  # 0 no backorders, 1 allow below zero, 2 allow and notify
    options: dict[int, int] = field(default_factory=dict)  # attribute id -> option id
    child_ids: list[int] = field(default_factory=list)
    configurable_attribute_ids: list[int] = field(default_factory=list)
    corrupt: dict[str, Any] = field(default_factory=dict)  # fields served as given


@dataclass
class SourceRec:
    code: str
    name: str
    enabled: bool = True


@dataclass
class SourceItemRec:
    sku: str
    source_code: str
    quantity: Decimal
    status: int  # 1 in stock, 0 out of stock


@dataclass
class HistoryRec:
    id: int
    comment: str | None
    status: str
    created_at: datetime
    is_customer_notified: int = 0
    is_visible_on_front: int = 0


@dataclass
class OrderItemRec:
    id: int
    sku: str
    name: str
    product_id: int | None
    qty_ordered: Decimal
    price: Decimal
    tax_amount: Decimal = Decimal(0)
    discount_amount: Decimal = Decimal(0)
    qty_invoiced: Decimal = Decimal(0)
    qty_shipped: Decimal = Decimal(0)
    qty_canceled: Decimal = Decimal(0)

    @property
    def qty_to_ship(self) -> Decimal:
        return self.qty_ordered - self.qty_shipped - self.qty_canceled


@dataclass
class TrackRec:
    id: int
    track_number: str
    title: str
    carrier_code: str
    created_at: datetime


@dataclass
class ShipmentRec:
    id: int
    increment_id: str
    order_id: int
    source_code: str
    items: list[tuple[int, Decimal]]  # (order item id, qty)
    tracks: list[TrackRec]
    created_at: datetime
    updated_at: datetime


@dataclass
class InvoiceRec:
    id: int
    increment_id: str
    order_id: int
    grand_total: Decimal
    created_at: datetime


@dataclass
class OrderRec:
    id: int
    increment_id: str
    store_id: int
    ext_order_id: str | None
    state: str
    status: str
    currency: str
    items: list[OrderItemRec]
    grand_total: Decimal
    subtotal: Decimal
    shipping_amount: Decimal
    tax_amount: Decimal
    discount_amount: Decimal
    customer_email: str | None
    customer_firstname: str | None
    customer_lastname: str | None
    billing_address: dict[str, Any]
    shipping_address: dict[str, Any] | None
    shipping_description: str | None
    payment: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    total_paid: Decimal = Decimal(0)
    total_invoiced: Decimal = Decimal(0)
    histories: list[HistoryRec] = field(default_factory=list)
