"""What is particular to WooCommerce's order side and webhooks, beyond the neutral contract:
tracking without the Shipment Tracking extension, stock left alone or not given back, the
stock check WooCommerce does not make, the bounded lookup, and webhook deliveries."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr

from daemon.connectors.woocommerce import WooCommerceClient, WooCommerceWebhookReceiver, sign
from daemon.domain.models import Money
from daemon.domain.orders import (
    CancelReason,
    DraftLine,
    OrderDraft,
    OrderState,
    ShippedBy,
    StockOnCreate,
    StoreFulfillment,
)
from daemon.errors import FatalError
from tests.support.stores.woocommerce import WooOrders, orders_harness


def draft(harness: WooOrders, reference: str, quantity: int = 1, **changes: object) -> OrderDraft:
    fields: dict[str, object] = {
        "reference": reference,
        "marketplace_status": OrderState.AWAITING_SHIPMENT,
        "shipped_by": ShippedBy.SELLER,
        "lines": (DraftLine(harness.variant_ids[0], quantity, Money(Decimal("12.00"), "GBP")),),
        "currency": "GBP",
    }
    fields.update(changes)
    return OrderDraft(**fields)  # type: ignore[arg-type]


async def test_without_the_extension_a_completed_order_and_its_note_are_the_shipment() -> None:
    async with orders_harness(shipment_tracking=False) as harness:
        assert isinstance(harness, WooOrders)
        created = await harness.orders.create_order(draft(harness, "1300"))
        since = await harness.advance_clock(60)
        await harness.ship_in_store(created.id, "Royal Mail", "RM123456785GB")
        [shipped] = await harness.orders.fulfillments_since(since)
        assert harness.orders.tracking_extension is False
        assert isinstance(shipped, StoreFulfillment)
        assert (shipped.order_id, shipped.tracking_company, shipped.tracking_number) == (
            created.id,
            "Royal Mail",
            "RM123456785GB",
        )
        assert [f.id for f in await harness.orders.order_fulfillments(created.id)] == [shipped.id]


async def test_stock_left_alone_is_not_given_back_on_cancel() -> None:
    async with orders_harness() as harness:
        assert isinstance(harness, WooOrders)
        variant = harness.variant_ids[0]
        created = await harness.orders.create_order(
            draft(harness, "1400", 3, stock=StockOnCreate.LEAVE)
        )
        assert await harness.stock_of(variant) == 10
        await harness.orders.cancel_order(created.id, reason=CancelReason.CUSTOMER)
        assert await harness.stock_of(variant) == 10


async def test_cancel_without_restock_keeps_the_units_taken() -> None:
    async with orders_harness() as harness:
        assert isinstance(harness, WooOrders)
        variant = harness.variant_ids[0]
        created = await harness.orders.create_order(draft(harness, "1500", 2))
        cancelled = await harness.orders.cancel_order(
            created.id, reason=CancelReason.INVENTORY, restock=False
        )
        assert cancelled.cancelled
        assert cancelled.cancel_reason is CancelReason.INVENTORY
        assert await harness.stock_of(variant) == 8


async def test_an_order_short_of_stock_is_not_created_when_stock_must_be_available() -> None:
    async with orders_harness() as harness:
        assert isinstance(harness, WooOrders)
        short = draft(harness, "1600", 11, stock=StockOnCreate.REDUCE_IF_AVAILABLE)
        with pytest.raises(FatalError, match="has 10 in stock, 11 wanted"):
            await harness.orders.create_order(short)
        assert await harness.creates() == 0
        enough = await harness.orders.create_order(
            draft(harness, "1601", 10, stock=StockOnCreate.REDUCE_IF_AVAILABLE)
        )
        assert enough.reference == "1601"


async def test_a_lookup_past_its_bound_fails_instead_of_answering_not_there() -> None:
    async with orders_harness() as harness:
        assert isinstance(harness, WooOrders)
        first = await harness.orders.create_order(draft(harness, "1700"))
        for n in range(100):
            await harness.orders.create_order(
                draft(harness, f"17{n:02d}x", stock=StockOnCreate.LEAVE)
            )
        client: WooCommerceClient = harness.orders
        client.settings = client.settings.model_copy(update={"order_scan_limit": 100})
        since = first.created_at - timedelta(days=1)
        assert (await client.find_order("1700", created_since=since)) is not None
        with pytest.raises(FatalError, match="cannot be ruled out"):
            await client.find_order("no-such-reference", created_since=since)


def test_the_ping_is_accepted_and_asks_for_nothing() -> None:
    receiver = WooCommerceWebhookReceiver(SecretStr("s3cret"))
    assert receiver.verify({}, b"webhook_id=12")
    assert receiver.hints({}, b"webhook_id=12") == []
    assert not receiver.verify({}, b'{"id": 1}')


def test_a_variation_change_asks_for_its_product_and_its_stock() -> None:
    receiver = WooCommerceWebhookReceiver(SecretStr("s3cret"))
    body = json.dumps({"id": 1042, "type": "variation", "parent_id": 1040}).encode()
    headers = {
        "X-WC-Webhook-Signature": sign("s3cret", body),
        "X-WC-Webhook-Topic": "product.updated",
        "X-WC-Webhook-Delivery-ID": "abc",
    }
    assert receiver.verify(headers, body)
    assert not receiver.verify({**headers, "X-WC-Webhook-Signature": sign("other", body)}, body)
    hints = {(h.job, h.entity_ids) for h in receiver.hints(headers, body)}
    assert hints == {("catalog", ("1040",)), ("price", ("1040",)), ("inventory", ("1042",))}
    again = json.dumps({"id": 1043, "type": "variation", "parent_id": 1040}).encode()
    first_key = receiver.hints(headers, body)[0].delivery_id
    assert receiver.hints(headers, again)[0].delivery_id != first_key  # same second, same id


async def test_an_unreadable_order_carrying_the_reference_stops_the_lookup() -> None:
    async with orders_harness() as harness:
        assert isinstance(harness, WooOrders)
        created = await harness.orders.create_order(draft(harness, "1800"))
        other = await harness.orders.create_order(draft(harness, "1801"))
        await harness.control.sim("POST", f"orders/{other.id}/corrupt", {"total": "a lot"})
        since = created.created_at - timedelta(days=1)
        found = await harness.orders.find_order("1800", created_since=since)
        assert found is not None
        assert found.id == created.id
        with pytest.raises(FatalError, match="carries TikTok order 1801 but cannot be read"):
            await harness.orders.find_order("1801", created_since=since)
        assert await harness.orders.find_order("1802", created_since=since) is None
