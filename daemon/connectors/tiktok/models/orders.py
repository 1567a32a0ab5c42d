"""Orders, line items and external order references (DOMAIN.md section 11.4).

Each line item is one unit: there is no quantity field, so two units of a SKU are two items.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from daemon.connectors.tiktok.models.common import (
    OptionalMoney,
    PagedData,
    RequestModel,
    WireModel,
)


class OrderStatus(StrEnum):
    UNPAID = "UNPAID"
    ON_HOLD = "ON_HOLD"
    AWAITING_SHIPMENT = "AWAITING_SHIPMENT"
    PARTIALLY_SHIPPING = "PARTIALLY_SHIPPING"
    AWAITING_COLLECTION = "AWAITING_COLLECTION"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Payment(WireModel):
    currency: str
    sub_total: OptionalMoney = None
    shipping_fee: OptionalMoney = None
    seller_discount: OptionalMoney = None
    platform_discount: OptionalMoney = None
    total_amount: OptionalMoney = None
    original_total_product_price: OptionalMoney = None
    original_shipping_fee: OptionalMoney = None
    shipping_fee_seller_discount: OptionalMoney = None
    shipping_fee_platform_discount: OptionalMoney = None
    tax: OptionalMoney = None
    product_tax: OptionalMoney = None
    shipping_fee_tax: OptionalMoney = None


class DistrictInfo(WireModel):
    address_level: str = ""
    address_level_name: str = ""
    address_name: str = ""


class RecipientAddress(WireModel):
    """Empty while the order is UNPAID or ON_HOLD."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    phone_number: str = ""
    full_address: str = ""
    address_detail: str = ""
    address_line1: str = ""
    address_line2: str = ""
    address_line3: str = ""
    address_line4: str = ""
    postal_code: str = ""
    region_code: str = ""
    district_info: list[DistrictInfo] = Field(default_factory=list)


class LineItem(WireModel):
    id: str
    sku_id: str
    product_id: str = ""
    product_name: str = ""
    sku_name: str = ""
    seller_sku: str = ""
    currency: str = ""
    original_price: OptionalMoney = None
    sale_price: OptionalMoney = None
    platform_discount: OptionalMoney = None
    seller_discount: OptionalMoney = None
    display_status: str = ""
    package_id: str = ""
    package_status: str = ""
    shipping_provider_id: str = ""
    shipping_provider_name: str = ""
    tracking_number: str = ""
    cancel_user: str = ""
    cancel_reason: str = ""
    is_gift: bool = False


class PackageRef(WireModel):
    id: str


class Order(WireModel):
    id: str
    status: OrderStatus
    create_time: int
    update_time: int
    paid_time: int | None = None
    cancel_time: int | None = None
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    is_buyer_request_cancel: bool = False
    is_on_hold_order: bool = False
    is_cod: bool = False
    is_sample_order: bool = False
    is_replacement_order: bool = False
    buyer_email: str = ""
    buyer_message: str = ""
    user_id: str = ""
    seller_note: str = ""
    shipping_type: str = ""
    fulfillment_type: str = ""
    delivery_type: str = ""
    delivery_option_id: str = ""
    delivery_option_name: str = ""
    shipping_provider: str = ""
    shipping_provider_id: str = ""
    tracking_number: str = ""
    warehouse_id: str = ""
    payment: Payment | None = None
    recipient_address: RecipientAddress | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    packages: list[PackageRef] = Field(default_factory=list)


class OrderSearchFilter(RequestModel):
    """Body of Get Order List; time bounds are Unix seconds, ``_ge`` inclusive, ``_lt`` not."""

    order_status: OrderStatus | None = None
    create_time_ge: int | None = None
    create_time_lt: int | None = None
    update_time_ge: int | None = None
    update_time_lt: int | None = None
    shipping_type: Literal["TIKTOK", "SELLER"] | None = None
    buyer_user_id: str | None = None
    is_buyer_request_cancel: bool | None = None
    warehouse_ids: list[str] | None = Field(default=None, max_length=100)


class OrderSearchData(PagedData):
    orders: list[Order] = Field(default_factory=list)


class OrderDetailData(WireModel):
    orders: list[Order] = Field(default_factory=list)


# --- external order references -----------------------------------------------------------

ExternalPlatform = Literal[
    "SHOPIFY",
    "WOOCOMMERCE",
    "BIGCOMMERCE",
    "MAGENTO",
    "SALESFORCE_COMMERCE_CLOUD",
    "CHANNEL_ADVISOR",
    "AMAZON",
    "ORDER_MANAGEMENT_SYSTEM",
    "WAREHOUSE_MANAGEMENT_SYSTEM",
    "ERP_SYSTEM",
]


class ExternalLineItem(RequestModel):
    """`id` is the line item in the store; `origin_id` the TikTok line item."""

    id: str
    origin_id: str


class ExternalOrder(RequestModel):
    id: str
    platform: ExternalPlatform
    line_items: list[ExternalLineItem] = Field(default_factory=list, max_length=100)


class ExternalOrderLink(RequestModel):
    """One TikTok order (`id`) and the store order it corresponds to."""

    id: str
    external_order: ExternalOrder


class ExternalLineItemRead(WireModel):
    id: str
    origin_id: str = ""


class ExternalOrderRead(WireModel):
    id: str
    platform: str
    line_items: list[ExternalLineItemRead] = Field(default_factory=list)


class ExternalOrdersData(WireModel):
    external_orders: list[ExternalOrderRead] = Field(default_factory=list)


class ExternalOrderMatch(WireModel):
    """One TikTok order found by its store-side reference."""

    id: str
    external_order: ExternalOrderRead | None = None


class ExternalOrderSearchData(WireModel):
    orders: list[ExternalOrderMatch] = Field(default_factory=list)
