"""Pure translation between orders and the HTTP API's order shapes. No I/O.

An imported order carries ``orderNumber`` = prefix + the TikTok order id (unique in a
project), and ttsync's custom type with the TikTok order id and status, the cancel reason,
when ttsync cancelled it and whether its stock went back. Deliveries with parcels are its
fulfilments; refunds are not mirrored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import Field, ValidationError

from daemon.connectors.commercetools.mapping import localized, money
from daemon.connectors.commercetools.models import Money as WireMoney
from daemon.connectors.commercetools.models import Reference, Wire
from daemon.connectors.http import validation_summary
from daemon.domain.models import BadRecord, Money
from daemon.domain.orders import (
    CancelReason,
    FulfilledLine,
    FulfillmentStatus,
    OrderDraft,
    PostalAddress,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
    StoreOrderLine,
    StoreOrderStatus,
)

_FRACTION_DIGITS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0}
INVENTORY_MODES = {
    StockOnCreate.LEAVE: "None",
    StockOnCreate.REDUCE: "TrackOnly",
    StockOnCreate.REDUCE_IF_AVAILABLE: "ReserveOnOrder",
}
#: The fields of ttsync's order type (all plain text but one).
ORDER_FIELDS = (
    "tiktokOrderId",
    "tiktokStatus",
    "cancelReason",
    "cancelledAt",
    "paymentMethod",
    "discounts",
    "note",
    "label",
)
STOCK_RETURNED = "stockReturned"


def type_draft(key: str) -> dict[str, Any]:
    def text(name: str) -> dict[str, Any]:
        return {
            "name": name,
            "label": {"en": name},
            "required": False,
            "type": {"name": "String"},
            "inputHint": "SingleLine",
        }

    return {
        "key": key,
        "name": {"en": "TikTok Shop order (ttsync)"},
        "resourceTypeIds": ["order"],
        "fieldDefinitions": [
            *(text(name) for name in ORDER_FIELDS),
            {
                "name": STOCK_RETURNED,
                "label": {"en": STOCK_RETURNED},
                "required": False,
                "type": {"name": "Boolean"},
            },
        ],
    }


def wire_money(amount: Money) -> dict[str, Any]:
    digits = _FRACTION_DIGITS.get(amount.currency.upper(), 2)
    cents = int((amount.amount * Decimal(10) ** digits).to_integral_value())
    return {"currencyCode": amount.currency.upper(), "centAmount": cents, "fractionDigits": digits}


def _address(address: PostalAddress | None, email: str | None) -> dict[str, Any] | None:
    if address is None or not address.country_code:
        return None
    fields = {
        "firstName": address.first_name,
        "lastName": address.last_name,
        "company": address.company,
        "streetName": address.address1,
        "additionalStreetInfo": address.address2,
        "city": address.city,
        "state": address.province,
        "postalCode": address.zip,
        "country": address.country_code.upper(),
        "phone": address.phone,
        "email": email,
    }
    return {k: v for k, v in fields.items() if v}


def _sum(amounts: Sequence[Money], currency: str) -> Money:
    return Money(sum((a.amount for a in amounts), Decimal(0)), currency)


def import_draft(
    draft: OrderDraft,
    *,
    number: str,
    type_key: str,
    lines: Sequence[Mapping[str, Any]],
    status: str,
) -> dict[str, Any]:
    """The OrderImportDraft; `lines` are the LineItemImportDrafts, made by the caller (who
    knows the variants' names, SKUs and supply channels)."""
    currency = draft.currency
    goods = _sum(
        [Money(line.price.amount * line.quantity, currency) for line in draft.lines], currency
    )
    shipping = _sum([s.amount for s in draft.shipping], currency)
    discounts = _sum([d.amount for d in draft.discounts], currency)
    taxes = _sum([t.amount for t in draft.taxes], currency)
    total = goods.amount + shipping.amount - discounts.amount
    gross = total if draft.taxes_included else total + taxes.amount
    email = draft.email or (draft.buyer.email if draft.buyer else None)
    fields = {
        "tiktokOrderId": draft.reference,
        "tiktokStatus": status,
        "label": draft.label,
        "paymentMethod": ", ".join(p.gateway for p in draft.payments) or None,
        "discounts": "; ".join(f"{d.code}: {d.amount.amount}" for d in draft.discounts) or None,
        "note": draft.note,
    }
    body: dict[str, Any] = {
        "orderNumber": number,
        "lineItems": list(lines),
        "totalPrice": wire_money(Money(gross, currency)),
        "orderState": "Open",
        "paymentState": "Paid" if draft.paid else "Pending",
        "inventoryMode": INVENTORY_MODES[draft.stock],
        "origin": "Merchant",
        "shippingInfo": {
            "shippingMethodName": draft.shipping[0].title if draft.shipping else draft.label,
            "price": wire_money(shipping),
            "shippingRate": {"price": wire_money(shipping)},
        },
        "custom": {
            "type": {"typeId": "type", "key": type_key},
            "fields": {k: v for k, v in fields.items() if v},
        },
    }
    if email:
        body["customerEmail"] = email
    if draft.taxes:
        net = gross - taxes.amount
        body["taxedPrice"] = {
            "totalNet": wire_money(Money(net, currency)),
            "totalGross": wire_money(Money(gross, currency)),
            "taxPortions": [
                {"rate": float(t.rate or 0), "amount": wire_money(t.amount), "name": t.title}
                for t in draft.taxes
            ],
        }
    addresses = {
        "shippingAddress": _address(draft.shipping_address, email),
        "billingAddress": _address(draft.billing_address or draft.shipping_address, email),
    }
    body.update({name: a for name, a in addresses.items() if a is not None})
    return body


# --- reading orders -------------------------------------------------------------------------


class _Variant(Wire):
    id: int
    sku: str | None = None


class _Price(Wire):
    value: WireMoney


class _Line(Wire):
    id: str
    product_id: str | None = Field(default=None, alias="productId")
    name: dict[str, str]
    variant: _Variant
    price: _Price
    quantity: int
    supply_channel: Reference | None = Field(default=None, alias="supplyChannel")


class _Tracking(Wire):
    tracking_id: str | None = Field(default=None, alias="trackingId")
    carrier: str | None = None


class _Parcel(Wire):
    tracking_data: _Tracking | None = Field(default=None, alias="trackingData")


class _Item(Wire):
    id: str
    quantity: int


class Delivery(Wire):
    id: str
    created_at: datetime = Field(alias="createdAt")
    items: list[_Item] = Field(default_factory=list)
    parcels: list[_Parcel] = Field(default_factory=list)


class _ShippingInfo(Wire):
    deliveries: list[Delivery] = Field(default_factory=list)


class _Custom(Wire):
    fields: dict[str, Any] = Field(default_factory=dict)


class OrderWire(Wire):
    id: str
    version: int
    order_number: str | None = Field(default=None, alias="orderNumber")
    created_at: datetime = Field(alias="createdAt")
    last_modified_at: datetime = Field(alias="lastModifiedAt")
    line_items: list[_Line] = Field(alias="lineItems")
    total_price: WireMoney = Field(alias="totalPrice")
    order_state: str = Field(alias="orderState")
    shipment_state: str | None = Field(default=None, alias="shipmentState")
    payment_state: str | None = Field(default=None, alias="paymentState")
    inventory_mode: str = Field(default="None", alias="inventoryMode")
    shipping_info: _ShippingInfo | None = Field(default=None, alias="shippingInfo")
    custom: _Custom | None = None

    def field(self, name: str) -> Any:
        return None if self.custom is None else self.custom.fields.get(name)

    @property
    def deliveries(self) -> list[Delivery]:
        return [] if self.shipping_info is None else self.shipping_info.deliveries


def parse_order(raw: object) -> OrderWire | BadRecord:
    try:
        return OrderWire.model_validate(raw)
    except ValidationError as exc:
        order_id = raw.get("id") if isinstance(raw, dict) else None
        return BadRecord("order", str(order_id or "unknown"), validation_summary(exc))


def variant_id(line: _Line) -> str | None:
    return None if line.product_id is None else f"{line.product_id}/{line.variant.id}"


def _status(order: OrderWire, shipped: Mapping[str, int]) -> StoreOrderStatus:
    if order.order_state == "Cancelled":
        return StoreOrderStatus.CANCELLED
    if order.shipment_state in {"Shipped", "Delivered"}:
        return StoreOrderStatus.FULFILLED
    total = sum(line.quantity for line in order.line_items)
    sent = sum(min(shipped.get(line.id, 0), line.quantity) for line in order.line_items)
    if total and sent >= total:
        return StoreOrderStatus.FULFILLED
    if sent or order.shipment_state == "Partial":
        return StoreOrderStatus.PARTIALLY_FULFILLED
    return StoreOrderStatus.OPEN


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def store_order(order: OrderWire, *, prefix: str, locale: str) -> StoreOrder:
    shipped: dict[str, int] = {}
    for delivery in order.deliveries:
        for item in delivery.items:
            shipped[item.id] = shipped.get(item.id, 0) + item.quantity
    reference = order.field("tiktokOrderId")
    if not isinstance(reference, str) and order.order_number and prefix:
        number = order.order_number
        reference = number.removeprefix(prefix) if number.startswith(prefix) else None
    cancelled = order.order_state == "Cancelled"
    reason = order.field("cancelReason")
    status = order.field("tiktokStatus")
    return StoreOrder(
        id=order.id,
        name=order.order_number or order.id,
        reference=reference if isinstance(reference, str) else None,
        marketplace_status=status if isinstance(status, str) else None,
        currency=order.total_price.currency,
        total_price=money(order.total_price),
        status=_status(order, shipped),
        paid=order.payment_state == "Paid",
        cancelled_at=(_time(order.field("cancelledAt")) or order.last_modified_at)
        if cancelled
        else None,
        cancel_reason=CancelReason(reason) if reason in set(CancelReason) else None,
        lines=tuple(
            StoreOrderLine(
                id=line.id,
                variant_id=variant_id(line),
                sku=line.variant.sku,
                title=localized(line.name, locale) or "",
                quantity=line.quantity,
                price=money(line.price.value),
                fulfillable_quantity=0
                if cancelled
                else max(0, line.quantity - shipped.get(line.id, 0)),
            )
            for line in order.line_items
        ),
        created_at=order.created_at,
        updated_at=order.last_modified_at,
    )


def fulfillments(order: OrderWire, since: datetime | None = None) -> list[StoreFulfillment]:
    lines = {line.id: line for line in order.line_items}
    found = []
    for delivery in order.deliveries:
        if since is not None and delivery.created_at < since:
            continue
        tracking = [p.tracking_data for p in delivery.parcels if p.tracking_data is not None]
        numbers = tuple(t.tracking_id for t in tracking if t.tracking_id)
        carriers = [t.carrier for t in tracking if t.carrier]
        found.append(
            StoreFulfillment(
                id=delivery.id,
                order_id=order.id,
                order_name=order.order_number,
                status=FulfillmentStatus.SUCCESS,
                tracking_company=carriers[0] if carriers else None,
                tracking_numbers=numbers,
                tracking_urls=(),
                lines=tuple(
                    FulfilledLine(
                        line_item_id=item.id,
                        variant_id=variant_id(lines[item.id]) if item.id in lines else None,
                        sku=lines[item.id].variant.sku if item.id in lines else None,
                        quantity=item.quantity,
                    )
                    for item in delivery.items
                ),
                created_at=delivery.created_at,
                updated_at=delivery.created_at,
            )
        )
    return found
