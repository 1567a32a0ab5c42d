"""TikTok order and cancellation wire shapes to domain types (DOMAIN.md sections 11.4, 11.5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from daemon.connectors.tiktok.models.cancellations import Cancellation
from daemon.connectors.tiktok.models.orders import Order
from daemon.connectors.tiktok.order_mapping import cancellation_from_wire, order_from_wire
from daemon.connectors.tiktok.orders import read_order
from daemon.domain.models import BadRecord, Money
from daemon.domain.orders import CancellationState, OrderState, ShippedBy


def wire(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "576461413038785752",
        "status": "AWAITING_SHIPMENT",
        "create_time": 1700000000,
        "update_time": 1700003600,
        "shipping_type": "SELLER",
        "buyer_email": "v2b5V5@chat.seller.tiktok.com",
        "delivery_option_id": "7091146663229654785",
        "payment": {
            "currency": "GBP",
            "sub_total": "17.00",
            "shipping_fee": "2.99",
            "seller_discount": "2.00",
            "platform_discount": "1.00",
            "total_amount": "19.99",
            "tax": "3.33",
        },
        "recipient_address": {
            "name": "Alex Smith",
            "phone_number": "(+44)77****1234",
            "address_line1": "1 High Street",
            "address_line2": "Flat 2",
            "postal_code": "SW1A 1AA",
            "region_code": "gb",
            "district_info": [
                {"address_level": "L0", "address_name": "United Kingdom"},
                {"address_level": "L1", "address_name": "Greater London"},
                {"address_level": "L3", "address_name": "London"},
            ],
        },
        "line_items": [
            {
                "id": "1",
                "sku_id": "sku-a",
                "seller_sku": "MUG-1",
                "product_name": "Mug",
                "sku_name": "Red",
                "original_price": "10.00",
                "sale_price": "8.50",
                "seller_discount": "1.00",
                "platform_discount": "0.50",
                "currency": "GBP",
                "display_status": "AWAITING_SHIPMENT",
            },
            {
                "id": "2",
                "sku_id": "sku-a",
                "sale_price": "10.00",
                "currency": "GBP",
                "display_status": "CANCELLED",
                "package_id": "",
            },
        ],
    }
    base.update(changes)
    return base


def test_an_order_becomes_units_charges_and_a_recipient() -> None:
    order = order_from_wire(Order.model_validate(wire()))
    assert (order.state, order.shipped_by, order.updated_at) == (
        OrderState.AWAITING_SHIPMENT,
        ShippedBy.SELLER,
        1700003600,
    )
    first, second = order.lines
    assert (first.price, first.seller_discount, first.title) == (
        Money(Decimal("10.00"), "GBP"),
        Money(Decimal("1.00"), "GBP"),
        "Mug - Red",
    )
    assert (second.price.amount, second.cancelled) == (Decimal("10.00"), True)
    assert order.open_lines == (first,)
    assert order.charges.total == Money(Decimal("19.99"), "GBP")
    assert order.charges.platform_discount == Money(Decimal("1.00"), "GBP")
    recipient = order.recipient
    assert recipient is not None
    assert (recipient.first_name, recipient.last_name, recipient.city, recipient.province) == (
        "Alex",
        "Smith",
        "London",
        "Greater London",
    )
    assert (recipient.address_lines, recipient.country_code) == (
        ("1 High Street", "Flat 2"),
        "GB",
    )


def test_a_withheld_address_is_none() -> None:
    empty = {"name": "", "address_line1": "", "full_address": "", "district_info": []}
    order = order_from_wire(Order.model_validate(wire(status="ON_HOLD", recipient_address=empty)))
    assert order.recipient is None


def test_platform_shipping_and_missing_payment_fields() -> None:
    order = order_from_wire(
        Order.model_validate(wire(shipping_type="TIKTOK", payment={"currency": "GBP"}))
    )
    assert order.shipped_by is ShippedBy.PLATFORM
    # The subtotal falls back to list prices less line discounts; the total to items + shipping.
    assert order.charges.subtotal == Money(Decimal("8.50"), "GBP")
    assert order.charges.total == Money(Decimal("8.50"), "GBP")


def test_unreadable_orders_become_bad_records_naming_the_order() -> None:
    bad = read_order(wire(status="LOST_IN_SPACE"))
    assert isinstance(bad, BadRecord)
    assert bad.id == "576461413038785752"
    assert "status" in bad.reason
    no_currency = Order.model_validate(
        wire(payment=None, line_items=[{"id": "1", "sku_id": "a", "sale_price": "1.00"}])
    )
    with pytest.raises(ValueError, match="names no currency"):
        order_from_wire(no_currency)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("CANCELLATION_REQUEST_PENDING", CancellationState.REQUESTED),
        ("CANCELLATION_REQUEST_SUCCESS", CancellationState.ACCEPTED),
        ("CANCELLATION_REQUEST_COMPLETE", CancellationState.COMPLETE),
        ("CANCELLATION_REQUEST_CANCEL", CancellationState.WITHDRAWN),  # the search API
        ("CANCELLATION_REQUEST_CANCELLED", CancellationState.WITHDRAWN),  # webhook 11
    ],
)
def test_both_spellings_of_a_withdrawn_cancellation(status: str, state: CancellationState) -> None:
    record = Cancellation.model_validate(
        {
            "cancel_id": "c1",
            "order_id": "576",
            "cancel_status": status,
            "role": "BUYER",
            "cancel_reason_text": "Changed my mind",
            "update_time": 1700000100,
            "refund_amount": {"currency": "GBP", "refund_total": "12.50"},
            "cancel_line_items": [{"order_line_item_id": "1"}],
        }
    )
    mapped = cancellation_from_wire(record)
    assert mapped.state is state
    assert (mapped.reason, mapped.refund, mapped.line_ids) == (
        "Changed my mind",
        Money(Decimal("12.50"), "GBP"),
        ("1",),
    )
