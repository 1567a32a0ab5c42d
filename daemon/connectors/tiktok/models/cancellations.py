"""Cancellations: search results and the seller's Cancel Order (DOMAIN.md section 11.5)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from daemon.connectors.tiktok.models.common import (
    OptionalMoney,
    PagedData,
    RequestModel,
    WireModel,
)


class CancelStatus(StrEnum):
    """Values are the search API's spellings; `parse_cancel_status` also takes the webhook's."""

    PENDING = "CANCELLATION_REQUEST_PENDING"
    SUCCESS = "CANCELLATION_REQUEST_SUCCESS"
    CANCEL = "CANCELLATION_REQUEST_CANCEL"
    COMPLETE = "CANCELLATION_REQUEST_COMPLETE"


#: The webhook 11 document spells the withdrawn state ``..._CANCELLED``; both are documented.
_CANCEL_STATUS_ALIASES = {"CANCELLATION_REQUEST_CANCELLED": CancelStatus.CANCEL}


def parse_cancel_status(value: object) -> object:
    if isinstance(value, str):
        return _CANCEL_STATUS_ALIASES.get(value, value)
    return value


CancelStatusField = Annotated[CancelStatus, BeforeValidator(parse_cancel_status)]


class RefundAmount(WireModel):
    currency: str = ""
    refund_total: OptionalMoney = None
    refund_subtotal: OptionalMoney = None
    refund_shipping_fee: OptionalMoney = None
    refund_tax: OptionalMoney = None


class CancelLineItem(WireModel):
    cancel_line_item_id: str = ""
    order_line_item_id: str
    sku_id: str = ""
    seller_sku: str = ""
    product_name: str = ""


class Cancellation(WireModel):
    cancel_id: str
    order_id: str
    cancel_status: CancelStatusField
    cancel_type: str = ""
    role: str = ""
    cancel_reason: str = ""
    cancel_reason_text: str = ""
    create_time: int | None = None
    update_time: int | None = None
    refund_amount: RefundAmount | None = None
    cancel_line_items: list[CancelLineItem] = Field(default_factory=list)


class CancellationSearchFilter(RequestModel):
    cancel_ids: list[str] | None = None
    order_ids: list[str] | None = None
    buyer_user_ids: list[str] | None = None
    cancel_types: list[Literal["CANCEL", "BUYER_CANCEL"]] | None = None
    cancel_status: list[CancelStatus] | None = None
    create_time_ge: int | None = None
    create_time_lt: int | None = None
    update_time_ge: int | None = None
    update_time_lt: int | None = None
    locale: str | None = None


class CancellationSearchData(PagedData):
    cancellations: list[Cancellation] = Field(default_factory=list)


class CancelSku(RequestModel):
    sku_id: str
    quantity: int = Field(ge=1)


class CancelOrderInput(RequestModel):
    """Seller cancel: a whole order, or (US/UK) some of its line items or SKUs."""

    order_id: str
    cancel_reason: str
    order_line_item_ids: list[str] | None = None
    skus: list[CancelSku] | None = None


class CancelOrderResult(WireModel):
    cancel_id: str
    cancel_status: CancelStatusField | None = None
