"""The simulated store's records: catalog items (products and variations), orders, notes and
shipment trackings, as WooCommerce keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

PAID_STATUSES = frozenset({"processing", "completed", "on-hold"})
ORDER_STATUSES = frozenset(
    {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"}
)
PRODUCT_STATUSES = frozenset({"draft", "pending", "private", "publish"})
BACKORDERS = frozenset({"no", "notify", "yes"})


@dataclass
class Item:
    """A product (``simple`` or ``variable``) or a variation (``variation``, with a parent)."""

    id: int
    type: str
    name: str
    created: datetime
    modified: datetime
    parent_id: int = 0
    status: str = "publish"
    sku: str = ""
    regular_price: str = ""
    sale_price: str = ""
    manage_stock: bool = False
    stock_quantity: int | None = None
    stock_status: str = "instock"  # kept for unmanaged stock; derived when managed
    backorders: str = "no"
    weight: str = ""
    global_unique_id: str = ""
    description: str = ""
    category: str | None = None
    images: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)  # variation: name, option
    variations: list[int] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)  # fields broken on purpose

    def current_stock_status(self) -> str:
        if not self.manage_stock:
            return self.stock_status
        if (self.stock_quantity or 0) > 0:
            return "instock"
        return "outofstock" if self.backorders == "no" else "onbackorder"

    @property
    def price(self) -> str:
        return self.sale_price or self.regular_price


@dataclass
class Line:
    id: int
    product_id: int
    variation_id: int
    quantity: int
    name: str
    sku: str
    total: Decimal
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Note:
    id: int
    note: str
    customer_note: bool
    created: datetime


@dataclass
class Tracking:
    tracking_id: str
    tracking_provider: str
    tracking_number: str
    date_shipped: str
    created: datetime


@dataclass
class Order:
    id: int
    status: str
    currency: str
    created: datetime
    modified: datetime
    lines: list[Line]
    created_via: str = "rest-api"
    date_paid: datetime | None = None
    date_completed: datetime | None = None
    meta: list[tuple[int, str, str]] = field(default_factory=list)
    billing: dict[str, Any] = field(default_factory=dict)
    shipping: dict[str, Any] = field(default_factory=dict)
    shipping_lines: list[dict[str, Any]] = field(default_factory=list)
    payment_method: str = ""
    payment_method_title: str = ""
    customer_note: str = ""
    stock_reduced: bool = False
    notes: list[Note] = field(default_factory=list)
    trackings: list[Tracking] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)  # fields broken on purpose

    def meta_value(self, key: str) -> str | None:
        for _, name, value in self.meta:
            if name == key:
                return value
        return None

    def total(self) -> Decimal:
        shipping = sum((Decimal(str(s.get("total", "0"))) for s in self.shipping_lines), Decimal())
        return sum((line.total for line in self.lines), Decimal()) + shipping
