"""Request bodies of the order and fulfilment endpoints. Unknown fields are ignored, as by
Shopify; a field of the wrong type is a 422 naming it."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from simulators.shopify.errors import ApiError

InventoryBehaviour = Literal["bypass", "decrement_ignoring_policy", "decrement_obeying_policy"]
CANCEL_REASONS = frozenset({"customer", "inventory", "fraud", "declined", "staff", "other"})

M = TypeVar("M", bound=BaseModel)


def _text(value: object) -> object:
    return str(value) if isinstance(value, int | float | Decimal) else value


Text = Annotated[str, BeforeValidator(_text)]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TaxLineIn(_In):
    title: str = "Tax"
    price: Decimal
    rate: Decimal | None = None


class LineItemIn(_In):
    variant_id: int | None = None
    quantity: int = Field(ge=1)
    price: Decimal | None = None
    title: str | None = None
    sku: str | None = None
    grams: int | None = None
    requires_shipping: bool | None = None
    taxable: bool = True
    tax_lines: list[TaxLineIn] = Field(default_factory=list)


class ShippingLineIn(_In):
    title: str
    price: Decimal
    code: str | None = None
    source: str | None = None
    tax_lines: list[TaxLineIn] = Field(default_factory=list)


class DiscountCodeIn(_In):
    code: str
    amount: Decimal
    type: Literal["fixed_amount", "percentage", "shipping"] = "fixed_amount"


class TransactionIn(_In):
    kind: Literal["sale", "authorization", "capture", "void", "refund"] = "sale"
    status: Literal["success", "pending", "failure", "error"] = "success"
    amount: Decimal
    gateway: str | None = None


class NoteAttributeIn(_In):
    name: Text
    value: Text


class CustomerIn(_In):
    id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None


class OrderIn(_In):
    line_items: list[LineItemIn] = Field(min_length=1)
    email: str | None = None
    phone: str | None = None
    currency: str | None = None
    customer: CustomerIn | None = None
    billing_address: dict[str, Any] | None = None
    shipping_address: dict[str, Any] | None = None
    tags: list[str] | str = ""
    note: str | None = None
    note_attributes: list[NoteAttributeIn] = Field(default_factory=list)
    source_name: str | None = None
    source_identifier: str | None = None
    financial_status: (
        Literal["pending", "authorized", "partially_paid", "paid", "partially_refunded"] | None
    ) = None
    transactions: list[TransactionIn] = Field(default_factory=list)
    tax_lines: list[TaxLineIn] = Field(default_factory=list)
    shipping_lines: list[ShippingLineIn] = Field(default_factory=list)
    discount_codes: list[DiscountCodeIn] = Field(default_factory=list)
    inventory_behaviour: InventoryBehaviour = "bypass"
    taxes_included: bool = False
    test: bool = False
    send_receipt: bool = False
    send_fulfillment_receipt: bool = False


class OrderUpdateIn(_In):
    note: str | None = None
    tags: list[str] | str | None = None
    note_attributes: list[NoteAttributeIn] | None = None
    email: str | None = None
    phone: str | None = None
    shipping_address: dict[str, Any] | None = None


class RefundLineIn(_In):
    line_item_id: int
    quantity: int = Field(ge=0)
    restock_type: Literal["no_restock", "cancel", "return", "legacy_restock"] = "no_restock"
    location_id: int | None = None


class RefundIn(_In):
    refund_line_items: list[RefundLineIn] = Field(default_factory=list)


class CancelIn(_In):
    reason: str = "other"
    restock: bool = False
    email: bool = False
    amount: Decimal | None = None
    currency: str | None = None
    refund: RefundIn | None = None


class TrackingIn(_In):
    company: str | None = None
    number: str | None = None
    url: str | None = None


class FulfillmentOrderLineIn(_In):
    id: int
    quantity: int = Field(ge=1)


class FulfillmentOrderGroupIn(_In):
    fulfillment_order_id: int
    fulfillment_order_line_items: list[FulfillmentOrderLineIn] | None = None


class FulfillmentIn(_In):
    line_items_by_fulfillment_order: list[FulfillmentOrderGroupIn] = Field(min_length=1)
    tracking_info: TrackingIn | None = None
    notify_customer: bool = False
    message: str | None = None


class TrackingUpdateIn(_In):
    tracking_info: TrackingIn
    notify_customer: bool = False


def parse_input(model: type[M], body: dict[str, Any], root: str) -> M:
    """Validate ``body[root]`` into `model`, or answer 422 with the fields at fault."""
    data = body.get(root)
    if not isinstance(data, dict):
        raise ApiError(400, {root: ["Required parameter missing or invalid"]})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for item in exc.errors(include_url=False, include_input=False):
            where = str(item["loc"][0]) if item["loc"] else root
            errors.setdefault(where, []).append(str(item["msg"]))
        raise ApiError(422, errors) from None
