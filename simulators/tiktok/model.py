"""The simulator's entities: shops, grants, products, orders, packages, cancellations, returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

JsonObject = dict[str, Any]


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    PENDING = "PENDING"
    FAILED = "FAILED"
    ACTIVATE = "ACTIVATE"
    SELLER_DEACTIVATED = "SELLER_DEACTIVATED"
    PLATFORM_DEACTIVATED = "PLATFORM_DEACTIVATED"
    FREEZE = "FREEZE"
    DELETED = "DELETED"


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


class CancelStatus(StrEnum):
    PENDING = "CANCELLATION_REQUEST_PENDING"
    SUCCESS = "CANCELLATION_REQUEST_SUCCESS"
    CANCELLED = "CANCELLATION_REQUEST_CANCELLED"
    COMPLETE = "CANCELLATION_REQUEST_COMPLETE"


#: The Search Cancellations API spells the withdrawn status `CANCELLATION_REQUEST_CANCEL`;
#: webhook 11 spells it `CANCELLATION_REQUEST_CANCELLED` (DOMAIN.md section 11.5).
SEARCH_CANCELLED_SPELLING = "CANCELLATION_REQUEST_CANCEL"


def search_spelling(status: CancelStatus) -> str:
    """How the search API writes a cancellation status."""
    return SEARCH_CANCELLED_SPELLING if status is CancelStatus.CANCELLED else status.value


#: Filters accept both documented spellings of the withdrawn status.
CANCEL_STATUS_ALIASES: dict[str, CancelStatus] = {
    "CANCELLATION_REQUEST_CANCEL": CancelStatus.CANCELLED,
    **{status.value: status for status in CancelStatus},
}


class ReturnStatus(StrEnum):
    """Search Returns' status values; the rejected one is spelt as in the brief's source (other
    sources write RETURN_OR_REFUND_REQUEST_REJECT[ED]; filters accept all three)."""

    PENDING = "RETURN_OR_REFUND_REQUEST_PENDING"
    REJECT = "REFUND_OR_RETURN_REQUEST_REJECT"
    AWAITING_BUYER_SHIP = "AWAITING_BUYER_SHIP"
    BUYER_SHIPPED_ITEM = "BUYER_SHIPPED_ITEM"
    REJECT_RECEIVE_PACKAGE = "REJECT_RECEIVE_PACKAGE"
    SUCCESS = "RETURN_OR_REFUND_REQUEST_SUCCESS"
    CANCEL = "RETURN_OR_REFUND_REQUEST_CANCEL"
    COMPLETE = "RETURN_OR_REFUND_REQUEST_COMPLETE"


RETURN_STATUS_ALIASES: dict[str, ReturnStatus] = {
    "RETURN_OR_REFUND_REQUEST_REJECT": ReturnStatus.REJECT,
    "RETURN_OR_REFUND_REQUEST_REJECTED": ReturnStatus.REJECT,
    **{status.value: status for status in ReturnStatus},
}
RETURN_TYPES = frozenset({"RETURN_AND_REFUND", "REFUND", "REPLACEMENT"})


@dataclass(slots=True)
class Warehouse:
    warehouse_id: str
    name: str
    is_default: bool
    postal_code: str
    city: str
    delivery_option_ids: list[str]
    warehouse_type: str = "SALES_WAREHOUSE"
    effect_status: str = "ENABLED"


@dataclass(slots=True)
class DeliveryOption:
    option_id: str
    name: str
    provider_ids: list[str]
    option_type: str = "STANDARD"


@dataclass(frozen=True, slots=True)
class ShippingProvider:
    provider_id: str
    name: str


@dataclass(slots=True)
class Shop:
    shop_id: str
    cipher: str
    name: str
    region: str
    currency: str
    code: str
    seller_name: str
    open_id: str
    warehouses: dict[str, Warehouse]
    authorization_expires_at: float
    seller_type: str = "LOCAL"


@dataclass(slots=True)
class Grant:
    """One access/refresh token pair and the shops it reaches."""

    access_token: str
    refresh_token: str
    access_expires_at: int
    refresh_expires_at: int
    open_id: str
    shop_ids: tuple[str, ...]
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass(slots=True)
class AuthCode:
    code: str
    shop_ids: tuple[str, ...]
    expires_at: float
    used: bool = False
    scopes: tuple[str, ...] | None = None  # what the seller grants; None: every scope


@dataclass(frozen=True, slots=True)
class Image:
    uri: str
    url: str
    width: int
    height: int
    use_case: str
    image_format: str


@dataclass(slots=True)
class Sku:
    sku_id: str
    seller_sku: str
    external_sku_id: str
    price: Decimal
    currency: str
    inventory: dict[str, int]
    sales_attributes: list[JsonObject]
    identifier_code: JsonObject | None
    committed: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Product:
    product_id: str
    shop_id: str
    status: ProductStatus
    create_time: int
    update_time: int
    content: JsonObject
    skus: dict[str, Sku]
    audit_failed_reasons: list[JsonObject] = field(default_factory=list)
    review_version: int = 0
    idempotency_key: str | None = None

    @property
    def title(self) -> str:
        return str(self.content.get("title", ""))


@dataclass(slots=True)
class LineItem:
    line_item_id: str
    sku_id: str
    product_id: str
    product_name: str
    sku_name: str
    seller_sku: str
    sku_image: str
    original_price: Decimal
    sale_price: Decimal
    currency: str
    warehouse_id: str
    display_status: str
    package_id: str | None = None
    cancelled: bool = False
    cancel_user: str = ""
    cancel_reason: str = ""


@dataclass(slots=True)
class Order:
    order_id: str
    shop_id: str
    status: OrderStatus
    create_time: int
    update_time: int
    user_id: str
    buyer_email: str
    buyer_message: str
    currency: str
    shipping_fee: Decimal
    line_items: list[LineItem]
    address: JsonObject
    warehouse_id: str
    delivery_option_id: str
    delivery_option_name: str
    shipping_type: str
    paid_time: int | None = None
    hold_until: float | None = None
    rts_time: int | None = None
    collection_time: int | None = None
    delivery_time: int | None = None
    cancel_time: int | None = None
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    is_buyer_request_cancel: bool = False
    request_cancel_time: int | None = None
    package_ids: list[str] = field(default_factory=list)
    tracking_number: str = ""
    shipping_provider_id: str = ""
    shipping_provider: str = ""
    external_orders: dict[str, JsonObject] = field(default_factory=dict)


@dataclass(slots=True)
class Package:
    package_id: str
    order_id: str
    shop_id: str
    line_item_ids: list[str]
    tracking_number: str
    provider_id: str
    provider_name: str
    shipped_at: int
    tracking_updates: int = 0


@dataclass(slots=True)
class Cancellation:
    cancel_id: str
    order_id: str
    shop_id: str
    cancel_type: str
    status: CancelStatus
    role: str
    reason: str
    reason_text: str
    create_time: int
    update_time: int
    line_item_ids: list[str]
    refund_subtotal: Decimal
    refund_shipping_fee: Decimal
    currency: str
    deadline: int | None = None


@dataclass(slots=True)
class ReturnRequest:
    """A buyer's return, refund or replacement request on a delivered order."""

    return_id: str
    order_id: str
    shop_id: str
    return_type: str
    status: ReturnStatus
    role: str
    reason: str
    create_time: int
    update_time: int
    line_item_ids: list[str]
    refund_subtotal: Decimal
    currency: str


@dataclass(slots=True)
class Subscription:
    event_type: str
    address: str
    create_time: int
    update_time: int


@dataclass(slots=True)
class Notification:
    """An outgoing webhook, waiting in the outbox until the current request has answered."""

    notification_id: str
    shop_id: str
    event_type: int
    data: JsonObject
    timestamp: int
