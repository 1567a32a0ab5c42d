"""Wire schemas of the Admin REST API (the order side), as documented; money is a string →
Decimal (the catalog side's GraphQL shapes are in `graphql_wire`).

Every model ignores fields it does not name (Shopify adds fields between versions) and is
frozen. Timestamps are ISO 8601 with the shop's offset; pydantic reads them as aware
datetimes. These types never leave the connector: `mapping` turns them into domain types.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _money(value: object) -> Decimal:
    """REST writes money as a string ("199.00"); anything else is a contract violation."""
    if not isinstance(value, str):
        raise ValueError(  # noqa: TRY004 pydantic turns only ValueError into a validation error
            "money must be a decimal string"
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError("not a decimal amount") from None
    if not amount.is_finite():
        raise ValueError("money must be finite")
    return amount


MoneyText = Annotated[Decimal, BeforeValidator(_money)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _text(value: object) -> object:
    return str(value) if isinstance(value, int | float | Decimal) else value


class NoteAttributeWire(Wire):
    name: str
    value: Annotated[str, BeforeValidator(_text)] | None = None


class LineItemWire(Wire):
    id: int
    variant_id: int | None = None
    product_id: int | None = None
    sku: str | None = None
    title: str = ""
    variant_title: str | None = None
    quantity: int
    price: MoneyText
    fulfillable_quantity: int = 0
    fulfillment_status: str | None = None


class FulfillmentWire(Wire):
    id: int
    order_id: int
    status: str
    name: str | None = None
    location_id: int | None = None
    tracking_company: str | None = None
    tracking_number: str | None = None
    tracking_numbers: list[str] = Field(default_factory=list)
    tracking_url: str | None = None
    tracking_urls: list[str] = Field(default_factory=list)
    line_items: list[LineItemWire] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class OrderWire(Wire):
    id: int
    name: str
    order_number: int | None = None
    email: str | None = None
    currency: str
    financial_status: str | None = None
    fulfillment_status: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    total_price: MoneyText
    subtotal_price: MoneyText | None = None
    total_tax: MoneyText | None = None
    tags: str = ""
    note: str | None = None
    note_attributes: list[NoteAttributeWire] = Field(default_factory=list)
    source_name: str | None = None
    source_identifier: str | None = None
    line_items: list[LineItemWire] = Field(default_factory=list)
    fulfillments: list[FulfillmentWire] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class OrderEnvelope(Wire):
    order: OrderWire


class OrdersEnvelope(Wire):
    orders: list[dict[str, Any]]


class FulfillmentOrderLineWire(Wire):
    id: int
    line_item_id: int
    variant_id: int | None = None
    inventory_item_id: int | None = None
    quantity: int
    fulfillable_quantity: int


class FulfillmentOrderWire(Wire):
    id: int
    order_id: int
    assigned_location_id: int | None = None
    status: str
    request_status: str | None = None
    supported_actions: list[str] = Field(default_factory=list)
    line_items: list[FulfillmentOrderLineWire] = Field(default_factory=list)


class FulfillmentOrdersEnvelope(Wire):
    fulfillment_orders: list[FulfillmentOrderWire]


class FulfillmentEnvelope(Wire):
    fulfillment: FulfillmentWire


class FulfillmentsEnvelope(Wire):
    fulfillments: list[FulfillmentWire]


class OrderFulfillmentsWire(Wire):
    """An order read only for its fulfillments (``fields=id,name,fulfillments``)."""

    id: int
    name: str | None = None
    fulfillments: list[FulfillmentWire] = Field(default_factory=list)
