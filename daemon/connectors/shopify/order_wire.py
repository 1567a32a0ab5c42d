"""Admin GraphQL (2026-10) node shapes of the order side, as documented. Pure: no I/O.

Every model ignores fields it does not name and is frozen. Ids arrive as GIDs; the daemon
keeps their number (`legacyResourceId` where Shopify gives it), the id REST used, so ledgers
written before the move still match. Money is a decimal string (``MoneyV2.amount``); times
are ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from daemon.connectors.shopify.mapping import MoneyText


class Node(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


def _digits(value: object) -> object:
    """``UnsignedInt64`` arrives as a string of digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and not value.isdigit():
        raise ValueError("not a numeric id")  # pydantic reports only a ValueError as invalid
    return value


LegacyId = Annotated[str, BeforeValidator(_digits)]


class IdNode(Node):
    id: str


class PageInfo(Node):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: str | None = Field(default=None, alias="endCursor")


class MoneyNode(Node):
    amount: MoneyText


class MoneyBagNode(Node):
    shop_money: MoneyNode = Field(alias="shopMoney")


class AttributeNode(Node):
    key: str
    value: str | None = None


class LineNode(Node):
    id: str
    sku: str | None = None
    title: str = ""
    quantity: int
    unfulfilled_quantity: int = Field(alias="unfulfilledQuantity")
    price: MoneyBagNode = Field(alias="originalUnitPriceSet")
    variant: IdNode | None = None


class LinePage(Node):
    page_info: PageInfo = Field(alias="pageInfo")
    nodes: list[LineNode]


class OrderNode(Node):
    id: str
    legacy_id: LegacyId = Field(alias="legacyResourceId")
    name: str
    tags: list[str] = Field(default_factory=list)
    currency: str = Field(alias="currencyCode")
    source_name: str | None = Field(default=None, alias="sourceName")
    source_identifier: str | None = Field(default=None, alias="sourceIdentifier")
    financial_status: str | None = Field(default=None, alias="displayFinancialStatus")
    fulfillment_status: str = Field(alias="displayFulfillmentStatus")
    cancel_reason: str | None = Field(default=None, alias="cancelReason")
    cancelled_at: datetime | None = Field(default=None, alias="cancelledAt")
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")
    total: MoneyBagNode = Field(alias="totalPriceSet")
    attributes: list[AttributeNode] = Field(default_factory=list, alias="customAttributes")
    lines: LinePage = Field(alias="lineItems")


class TrackingNode(Node):
    company: str | None = None
    number: str | None = None
    url: str | None = None


class FulfilledLineItem(Node):
    id: str
    sku: str | None = None
    variant: IdNode | None = None


class FulfilledLineNode(Node):
    quantity: int | None = None
    line_item: FulfilledLineItem = Field(alias="lineItem")


class FulfilledLinePage(Node):
    page_info: PageInfo = Field(alias="pageInfo")
    nodes: list[FulfilledLineNode]


class OrderRef(Node):
    legacy_id: LegacyId = Field(alias="legacyResourceId")


class FulfillmentNode(Node):
    id: str
    legacy_id: LegacyId = Field(alias="legacyResourceId")
    status: str
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")
    tracking: list[TrackingNode] = Field(default_factory=list, alias="trackingInfo")
    lines: FulfilledLinePage = Field(alias="fulfillmentLineItems")
    order: OrderRef | None = None  # asked for only where the order is not known already


class FulfilledOrderNode(Node):
    """An order read only for its fulfilments."""

    legacy_id: LegacyId = Field(alias="legacyResourceId")
    name: str | None = None
    fulfillments: list[FulfillmentNode] = Field(default_factory=list)


class ActionNode(Node):
    action: str


class AssignedLocation(Node):
    location: IdNode | None = None


class FulfillmentOrderLineNode(Node):
    id: str
    total_quantity: int = Field(alias="totalQuantity")
    remaining_quantity: int = Field(alias="remainingQuantity")
    line_item: IdNode = Field(alias="lineItem")
    variant: IdNode | None = None


class FulfillmentOrderLines(Node):
    nodes: list[FulfillmentOrderLineNode]


class FulfillmentOrderNode(Node):
    id: str
    status: str
    supported_actions: list[ActionNode] = Field(default_factory=list, alias="supportedActions")
    assigned_location: AssignedLocation = Field(alias="assignedLocation")
    lines: FulfillmentOrderLines = Field(alias="lineItems")
