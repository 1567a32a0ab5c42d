"""The simulated store's records: catalog, locations and stock, orders and shipments."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: V2 order status ids and names (reference/orders.v2.oas2.yml).
STATUSES = {
    0: "Incomplete",
    1: "Pending",
    2: "Shipped",
    3: "Partially Shipped",
    4: "Refunded",
    5: "Cancelled",
    6: "Declined",
    7: "Awaiting Payment",
    8: "Awaiting Pickup",
    9: "Awaiting Shipment",
    10: "Completed",
    11: "Awaiting Fulfillment",
    12: "Manual Verification Required",
    13: "Disputed",
    14: "Partially Refunded",
}
CANCELLED = 5
SHIPPED = 2
PARTIALLY_SHIPPED = 3
AWAITING_FULFILLMENT = 11
#: Statuses that hold stock; leaving them for one of `RELEASED` returns it.
RELEASED = frozenset({4, 5, 6})


@dataclass
class Variant:
    id: int
    product_id: int
    sku: str
    sku_id: int
    price: Decimal | None  # None: the product's price
    options: list[tuple[str, str]] = field(default_factory=list)
    upc: str = ""
    weight: Decimal | None = None
    purchasing_disabled: bool = False


@dataclass
class Image:
    id: int
    product_id: int
    url: str
    sort_order: int
    date_modified: float


@dataclass
class Product:
    id: int
    name: str
    price: Decimal
    description: str
    is_visible: bool
    availability: str  # available | disabled | preorder
    inventory_tracking: str  # none | product | variant
    date_created: float
    date_modified: float
    categories: list[int] = field(default_factory=list)
    weight: Decimal = Decimal(0)
    variants: list[Variant] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    corrupt: dict[str, Any] = field(default_factory=dict)  # fields rendered as given


@dataclass
class Location:
    id: int
    code: str
    label: str
    enabled: bool
    created_at: float
    updated_at: float


@dataclass
class OrderProduct:
    id: int
    order_id: int
    product_id: int  # 0 for a custom product
    variant_id: int | None
    name: str
    sku: str
    quantity: int
    price_inc_tax: Decimal
    price_ex_tax: Decimal
    quantity_shipped: int = 0
    stock_taken: int = 0  # units taken from the default location when placed


@dataclass
class Address:
    id: int
    fields: dict[str, str]


@dataclass
class Shipment:
    id: int
    order_id: int
    order_address_id: int
    date_created: float
    tracking_number: str
    tracking_carrier: str
    tracking_link: str
    shipping_provider: str
    shipping_method: str
    comments: str
    items: list[tuple[int, int]]  # (order_product_id, quantity)


@dataclass
class Order:
    id: int
    status_id: int
    date_created: float
    date_modified: float
    customer_id: int
    billing_address: dict[str, str]
    currency_code: str
    products: list[OrderProduct]
    addresses: list[Address]
    external_source: str = ""
    external_id: str | None = None
    external_order_id: str = ""
    staff_notes: str = ""
    customer_message: str = ""
    payment_method: str = ""
    channel_id: int = 1
    shipping_cost_inc_tax: Decimal = Decimal(0)
    discount_amount: Decimal = Decimal(0)
    date_shipped: float | None = None
    shipments: list[Shipment] = field(default_factory=list)

    @property
    def subtotal(self) -> Decimal:
        return sum((p.price_inc_tax * p.quantity for p in self.products), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping_cost_inc_tax - self.discount_amount
