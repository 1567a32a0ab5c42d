"""Orders on both sides: what the marketplace sells (`MarketplaceOrder`, one line item per unit)
and what the store holds (`StoreOrder`, `OrderDraft` to create one, fulfilments). No wire
shapes, no I/O, no store's own vocabulary. Ids are opaque strings, as everywhere in the domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from daemon.domain.models import Money


class StockOnCreate(StrEnum):
    """What creating the store order does to store stock (``orders.stock_on_create``)."""

    LEAVE = "leave"  # stock untouched
    REDUCE = "reduce"  # reduced, below zero if need be: the marketplace has sold the units
    REDUCE_IF_AVAILABLE = "reduce_if_available"  # the store refuses the order when short


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
    """An order to create in the store, as the marketplace sold it.

    `reference` is the marketplace's order id: each store keeps it on the order its own way
    (attributes, meta data, an external id, an order number...) and finds the order by it.
    `label` is how imported orders are marked where the store has labels; the store shows
    `marketplace_status` on the order and keeps it current.
    """

    reference: str
    marketplace_status: OrderState
    shipped_by: ShippedBy
    lines: tuple[DraftLine, ...]
    currency: str
    label: str = "TikTok Shop"
    buyer: Buyer | None = None
    email: str | None = None
    phone: str | None = None
    shipping_address: PostalAddress | None = None
    billing_address: PostalAddress | None = None
    note: str | None = None
    paid: bool = True  # False for cash on delivery: the store records no payment yet
    payments: tuple[Payment, ...] = ()
    taxes: tuple[TaxLine, ...] = ()
    shipping: tuple[ShippingCharge, ...] = ()
    discounts: tuple[Discount, ...] = ()
    taxes_included: bool = False
    stock: StockOnCreate = StockOnCreate.REDUCE


@dataclass(frozen=True)
class StoreOrderLine:
    id: str
    variant_id: str | None
    sku: str | None
    title: str
    quantity: int
    price: Money
    fulfillable_quantity: int


class StoreOrderStatus(StrEnum):
    OPEN = "open"  # nothing shipped yet
    PARTIALLY_FULFILLED = "partially_fulfilled"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StoreOrder:
    """An order as the store holds it. `reference` is the marketplace order id it carries
    (None for an order that did not come from the marketplace); `marketplace_status` is the
    marketplace status it shows. `unfinished`: a store whose create goes on after the order
    is saved (an invoice, a stock move) had not done every step; creating it again finishes
    it and makes no second order."""

    id: str
    name: str  # what people call it in the store's admin ("#1001")
    reference: str | None
    marketplace_status: str | None
    currency: str
    total_price: Money
    status: StoreOrderStatus
    paid: bool
    cancelled_at: datetime | None
    cancel_reason: CancelReason | None
    lines: tuple[StoreOrderLine, ...]
    created_at: datetime
    updated_at: datetime
    unfinished: bool = False

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


@dataclass(frozen=True)
class FulfilledLine:
    line_item_id: str
    variant_id: str | None
    sku: str | None
    quantity: int


class FulfillmentStatus(StrEnum):
    PENDING = "pending"  # recorded, not yet handed to the carrier
    SUCCESS = "success"  # shipped: its tracking goes to the marketplace
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class StoreFulfillment:
    """A shipment recorded in the store: which lines left, with which carrier and number."""

    id: str
    order_id: str
    order_name: str | None
    status: FulfillmentStatus
    tracking_company: str | None
    tracking_numbers: tuple[str, ...]
    tracking_urls: tuple[str, ...]
    lines: tuple[FulfilledLine, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def tracking_number(self) -> str | None:
        return self.tracking_numbers[0] if self.tracking_numbers else None


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
