"""Order-side values the connector returns and accepts. They hold no wire shapes; they are
candidates for `daemon.domain` once the order jobs exist (names chosen to move as they are).
Ids are strings, as in the domain."""

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
