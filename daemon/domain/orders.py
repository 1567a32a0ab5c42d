"""Orders on both sides: what the marketplace sells (`MarketplaceOrder`, one line item per unit)
and what the store holds (`StoreOrder`, `OrderDraft` to create one, fulfilments and fulfilment
orders). No wire shapes, no I/O. Ids are strings, as everywhere in the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from daemon.domain.models import Money


class InventoryBehaviour(StrEnum):
    """What creating an order does to store stock (Shopify's ``inventory_behaviour``)."""

    BYPASS = "bypass"  # stock untouched (Shopify's default)
    DECREMENT_IGNORING_POLICY = "decrement_ignoring_policy"  # may go below zero
    DECREMENT_OBEYING_POLICY = "decrement_obeying_policy"  # refused when out of stock


class CancelReason(StrEnum):
    CUSTOMER = "customer"
    INVENTORY = "inventory"
    FRAUD = "fraud"
    DECLINED = "declined"
    STAFF = "staff"
    OTHER = "other"


@dataclass(frozen=True)
class PostalAddress:
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province: str | None = None
    zip: str | None = None
    country_code: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Buyer:
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class TaxLine:
    title: str
    amount: Money
    rate: Decimal | None = None


@dataclass(frozen=True)
class DraftLine:
    """One order line for a store variant; `price` is the unit price actually charged."""

    variant_id: str
    quantity: int
    price: Money
    taxes: tuple[TaxLine, ...] = ()


@dataclass(frozen=True)
class ShippingCharge:
    title: str
    amount: Money
    code: str | None = None
    taxes: tuple[TaxLine, ...] = ()


@dataclass(frozen=True)
class Discount:
    code: str
    amount: Money


@dataclass(frozen=True)
class Payment:
    """A settled payment, recorded on the order as a successful ``sale`` transaction."""

    amount: Money
    gateway: str


@dataclass(frozen=True)
class OrderDraft:
    """An order to create in the store, as given by the marketplace."""

    lines: tuple[DraftLine, ...]
    currency: str
    buyer: Buyer | None = None
    email: str | None = None
    phone: str | None = None
    shipping_address: PostalAddress | None = None
    billing_address: PostalAddress | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    note_attributes: tuple[tuple[str, str], ...] = ()
    source_name: str | None = None
    source_identifier: str | None = None
    financial_status: str = "paid"
    payments: tuple[Payment, ...] = ()
    taxes: tuple[TaxLine, ...] = ()
    shipping: tuple[ShippingCharge, ...] = ()
    discounts: tuple[Discount, ...] = ()
    taxes_included: bool = False
    inventory_behaviour: InventoryBehaviour = InventoryBehaviour.DECREMENT_OBEYING_POLICY


@dataclass(frozen=True)
class StoreOrderLine:
    id: str
    variant_id: str | None
    sku: str | None
    title: str
    quantity: int
    price: Money
    fulfillable_quantity: int


@dataclass(frozen=True)
class StoreOrder:
    """An order as the store holds it."""

    id: str
    name: str  # "#1001"
    currency: str
    total_price: Money
    financial_status: str | None
    fulfillment_status: str | None  # None, "partial" or "fulfilled"
    cancelled_at: datetime | None
    cancel_reason: str | None
    tags: frozenset[str]
    note: str | None
    note_attributes: tuple[tuple[str, str], ...]
    source_name: str | None
    source_identifier: str | None
    lines: tuple[StoreOrderLine, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def attribute(self, name: str) -> str | None:
        return next((value for key, value in self.note_attributes if key == name), None)


@dataclass(frozen=True)
class TrackingInfo:
    company: str | None
    number: str | None
    url: str | None = None


@dataclass(frozen=True)
class FulfilledLine:
    line_item_id: str
    variant_id: str | None
    sku: str | None
    quantity: int


@dataclass(frozen=True)
class StoreFulfillment:
    """A shipment recorded in the store: which lines left, with which carrier and number."""

    id: str
    order_id: str
    order_name: str | None
    status: str  # "success", "cancelled", "failure", ...
    tracking_company: str | None
    tracking_numbers: tuple[str, ...]
    tracking_urls: tuple[str, ...]
    lines: tuple[FulfilledLine, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def tracking_number(self) -> str | None:
        return self.tracking_numbers[0] if self.tracking_numbers else None


@dataclass(frozen=True)
class FulfillmentOrderLine:
    id: str
    line_item_id: str
    variant_id: str | None
    quantity: int
    fulfillable_quantity: int


@dataclass(frozen=True)
class StoreFulfillmentOrder:
    """Shopify's unit of work for shipping: an order's lines assigned to one location."""

    id: str
    order_id: str
    location_id: str | None
    status: str  # "open", "in_progress", "closed", "cancelled", ...
    supported_actions: frozenset[str]
    lines: tuple[FulfillmentOrderLine, ...]

    @property
    def can_fulfil(self) -> bool:
        return (
            self.status in {"open", "in_progress"}
            and "create_fulfillment" in self.supported_actions
        )


# --- the marketplace side (TikTok Shop) ------------------------------------------------------


class OrderState(StrEnum):
    """A marketplace order's status (TikTok's spellings)."""

    UNPAID = "UNPAID"
    ON_HOLD = "ON_HOLD"
    AWAITING_SHIPMENT = "AWAITING_SHIPMENT"
    PARTIALLY_SHIPPING = "PARTIALLY_SHIPPING"
    AWAITING_COLLECTION = "AWAITING_COLLECTION"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class ShippedBy(StrEnum):
    SELLER = "SELLER"  # the seller ships (and the store's fulfilment is sent back)
    PLATFORM = "TIKTOK"  # TikTok's own logistics ship it


@dataclass(frozen=True)
class MarketplaceLine:
    """One unit: the marketplace has no quantities, so two units are two lines."""

    id: str
    sku_id: str
    seller_sku: str | None
    title: str
    price: Money  # the unit's price before discounts (the sale price when none is given)
    seller_discount: Money
    platform_discount: Money
    cancelled: bool = False
    package_id: str | None = None
    tracking_number: str | None = None


@dataclass(frozen=True)
class Recipient:
    name: str
    first_name: str | None
    last_name: str | None
    phone: str | None
    address_lines: tuple[str, ...]
    city: str | None
    province: str | None
    postal_code: str | None
    country_code: str | None


@dataclass(frozen=True)
class OrderCharges:
    """The order's money as the marketplace charged it (all in one currency)."""

    currency: str
    subtotal: Money  # items after discounts
    shipping: Money  # what the buyer paid for shipping
    seller_discount: Money
    platform_discount: Money
    tax: Money
    total: Money  # what the buyer paid


@dataclass(frozen=True)
class MarketplaceOrder:
    id: str
    state: OrderState
    created_at: int  # Unix seconds on the marketplace's clock
    updated_at: int
    shipped_by: ShippedBy
    lines: tuple[MarketplaceLine, ...]
    charges: OrderCharges
    recipient: Recipient | None  # withheld while UNPAID or ON_HOLD
    buyer_email: str | None = None
    buyer_message: str | None = None
    delivery_option_id: str | None = None
    warehouse_id: str | None = None
    cash_on_delivery: bool = False
    cancel_reason: str | None = None
    cancelled_by: str | None = None  # BUYER, SELLER or SYSTEM

    @property
    def open_lines(self) -> tuple[MarketplaceLine, ...]:
        """Lines neither cancelled nor shipped in a package yet."""
        return tuple(line for line in self.lines if not line.cancelled and not line.package_id)


@dataclass(frozen=True)
class StoreOrderLink:
    """What is written back to the marketplace: this order is that store order."""

    order_id: str
    store_order_id: str
    line_links: tuple[tuple[str, str], ...] = ()  # (store line item id, marketplace line id)


class CancellationState(StrEnum):
    REQUESTED = "requested"  # the buyer asked; the seller has not answered
    ACCEPTED = "accepted"  # the cancellation happens (refund under way)
    COMPLETE = "complete"  # cancelled and refunded
    WITHDRAWN = "withdrawn"  # the request was rejected or withdrawn


@dataclass(frozen=True)
class MarketplaceCancellation:
    id: str
    order_id: str
    state: CancellationState
    role: str  # BUYER, SELLER or SYSTEM
    reason: str
    updated_at: int
    refund: Money | None
    line_ids: tuple[str, ...]


class ReturnKind(StrEnum):
    """What the buyer asked for after delivery (TikTok's spellings)."""

    RETURN_AND_REFUND = "RETURN_AND_REFUND"
    REFUND = "REFUND"  # refund only, the buyer keeps the item
    REPLACEMENT = "REPLACEMENT"


@dataclass(frozen=True)
class MarketplaceReturn:
    """A return or refund request on a delivered order: recorded and shown, never mirrored."""

    id: str
    order_id: str
    kind: ReturnKind
    status: str  # TikTok's status, e.g. RETURN_OR_REFUND_REQUEST_PENDING
    role: str  # who opened it: BUYER, SELLER or SYSTEM
    reason: str
    created_at: int  # Unix seconds on the marketplace's clock
    updated_at: int
    refund: Money | None
    line_ids: tuple[str, ...]


@dataclass(frozen=True)
class ShippingProvider:
    """A carrier the marketplace accepts for one delivery option."""

    id: str
    name: str


@dataclass(frozen=True)
class Shipment:
    """Tracking to send for an order: which units (all open ones when empty), which carrier."""

    tracking_number: str
    provider_id: str
    line_ids: tuple[str, ...] = ()
