"""Returns and refunds after delivery: Search Returns results and filters.

TikTok's reference names the endpoint and its page size, 10-50 (DOMAIN.md section 11.6); webhook
12 gives the fields ``return_id``, ``order_id``, ``return_type``, ``return_status``. The list
key ``return_orders`` and the record fields below follow third-party SDK typings of the same
endpoint; the status values are the documented ones. The rejected status is spelt three ways
across sources (``REFUND_OR_RETURN_REQUEST_REJECT``, ``RETURN_OR_REFUND_REQUEST_REJECT``,
``..._REJECTED``): all are read as `ReturnStatus.REJECT`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field

from daemon.connectors.tiktok.models.cancellations import RefundAmount
from daemon.connectors.tiktok.models.common import PagedData, RequestModel, WireModel


class ReturnStatus(StrEnum):
    PENDING = "RETURN_OR_REFUND_REQUEST_PENDING"
    REJECT = "REFUND_OR_RETURN_REQUEST_REJECT"
    AWAITING_BUYER_SHIP = "AWAITING_BUYER_SHIP"
    BUYER_SHIPPED_ITEM = "BUYER_SHIPPED_ITEM"
    REJECT_RECEIVE_PACKAGE = "REJECT_RECEIVE_PACKAGE"
    SUCCESS = "RETURN_OR_REFUND_REQUEST_SUCCESS"
    CANCEL = "RETURN_OR_REFUND_REQUEST_CANCEL"
    COMPLETE = "RETURN_OR_REFUND_REQUEST_COMPLETE"


class ReturnType(StrEnum):
    RETURN_AND_REFUND = "RETURN_AND_REFUND"
    REFUND = "REFUND"
    REPLACEMENT = "REPLACEMENT"


_STATUS_ALIASES = {
    "RETURN_OR_REFUND_REQUEST_REJECT": ReturnStatus.REJECT,
    "RETURN_OR_REFUND_REQUEST_REJECTED": ReturnStatus.REJECT,
}


def parse_return_status(value: object) -> object:
    if isinstance(value, str):
        return _STATUS_ALIASES.get(value, value)
    return value


ReturnStatusField = Annotated[ReturnStatus, BeforeValidator(parse_return_status)]


class ReturnLineItem(WireModel):
    return_line_item_id: str = ""
    order_line_item_id: str = ""
    sku_id: str = ""
    seller_sku: str = ""
    product_name: str = ""


class Return(WireModel):
    return_id: str = Field(min_length=1)
    order_id: str = Field(min_length=1)
    return_type: ReturnType
    return_status: ReturnStatusField
    role: str = ""
    return_reason: str = ""
    return_reason_text: str = ""
    create_time: int | None = None
    update_time: int | None = None
    refund_amount: RefundAmount | None = None
    return_line_items: list[ReturnLineItem] = Field(default_factory=list)


class ReturnSearchFilter(RequestModel):
    return_ids: list[str] | None = None
    order_ids: list[str] | None = None
    buyer_user_ids: list[str] | None = None
    return_types: list[ReturnType] | None = None
    return_status: list[ReturnStatus] | None = None
    create_time_ge: int | None = None
    create_time_lt: int | None = None
    update_time_ge: int | None = None
    update_time_lt: int | None = None
    locale: str | None = None


class ReturnSearchData(PagedData):
    return_orders: list[Return] = Field(default_factory=list)
