"""The order side of `ShopifyClient` against the simulator over loopback HTTP: how Shopify
keeps what the neutral `StoreOrders` calls ask for (the store-neutral suite is
`test_store_orders.py`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from daemon.connectors.shopify import ShopifyClient, TrackingInfo
from daemon.domain.models import BadRecord, Money
from daemon.domain.orders import (
    Buyer,
    CancelReason,
    DraftLine,
    FulfillmentStatus,
    OrderDraft,
    OrderState,
    Payment,
    PostalAddress,
    ShippedBy,
    ShippingCharge,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
    StoreOrderStatus,
    TaxLine,
)
from daemon.errors import FatalError, RetriableError
from tests.support.shopify import SimControl, client_for, product, running


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


class Shop:
    """A simulator with two variants in stock, and a client for it."""

    def __init__(self, control: SimControl, client: ShopifyClient, catalog: list[Any]) -> None:
        self.control = control
        self.client = client
        [lamp] = catalog
        self.deny_variant = str(lamp["variants"][0]["id"])
        self.deny_item = str(lamp["variants"][0]["inventory_item_id"])
        self.continue_variant = str(lamp["variants"][1]["id"])
        self.continue_item = str(lamp["variants"][1]["inventory_item_id"])

    async def stock(self, item: str) -> int:
        levels = await self.client.stock_levels([item])
        return sum(level.available for level in levels)

    async def wire(self, order_id: str) -> dict[str, Any]:
        """The order as Shopify's own API shows it."""
        status, body, _ = await self.control.admin("GET", f"orders/{order_id}")
        assert status == 200
        order: dict[str, Any] = body["order"]
        return order

    def draft(self, tiktok_id: str, quantity: int = 1, **changes: Any) -> OrderDraft:
        fields: dict[str, Any] = {
            "reference": tiktok_id,
            "marketplace_status": OrderState.AWAITING_SHIPMENT,
            "shipped_by": ShippedBy.SELLER,
            "label": "TikTok",
            "stock": StockOnCreate.REDUCE_IF_AVAILABLE,
            "lines": (
                DraftLine(
                    self.deny_variant,
                    quantity,
                    gbp("12.00"),
                    taxes=(TaxLine("VAT", gbp("2.00"), Decimal("0.2")),),
                ),
            ),
            "currency": "GBP",
            "buyer": Buyer("Ada", "Lovelace", "ada@example.com"),
            "shipping_address": PostalAddress(
                first_name="Ada",
                address1="1 High St",
                city="London",
                zip="N1 1AA",
                country_code="GB",
            ),
            "note": f"TikTok Shop order {tiktok_id}",
            "payments": (Payment(gbp("15.99"), "tiktok_shop"),),
            "shipping": (ShippingCharge("Standard", gbp("3.99")),),
            "taxes_included": True,
        }
        fields.update(changes)
        return OrderDraft(**fields)


@pytest.fixture
async def shop() -> AsyncIterator[Shop]:
    async with running() as (simulator, control):
        catalog = await control.load(
            [
                product(
                    "Lamp",
                    {"sku": "LAMP-D", "price": "12.00", "options": ["Deny"], "stock": 5},
                    {
                        "sku": "LAMP-C",
                        "price": "12.00",
                        "options": ["Continue"],
                        "stock": 1,
                        "inventory_policy": "continue",
                    },
                    options=[{"name": "Policy"}],
                )
            ]
        )
        async with client_for(simulator) as client:
            yield Shop(control, client, catalog)


async def test_create_order_decrements_stock_and_keeps_the_labels(shop: Shop) -> None:
    order = await shop.client.create_order(shop.draft("576461413038785752", quantity=2))
    assert order.name == "#1001"
    assert (order.reference, order.marketplace_status) == (
        "576461413038785752",
        "AWAITING_SHIPMENT",
    )
    assert (order.status, order.paid) == (StoreOrderStatus.OPEN, True)
    wire = await shop.wire(order.id)
    assert (wire["source_name"], wire["source_identifier"]) == ("tiktok", "576461413038785752")
    assert wire["tags"] == "TikTok, TikTok: Awaiting shipment"
    assert {"name": "tiktok_order_id", "value": "576461413038785752"} in wire["note_attributes"]
    assert wire["financial_status"] == "paid"
    assert order.total_price == gbp("27.99")  # 2 x 12.00 + 3.99 shipping, VAT included
    assert [(line.sku, line.quantity, line.price) for line in order.lines] == [
        ("LAMP-D", 2, gbp("12.00"))
    ]
    assert await shop.stock(shop.deny_item) == 3


async def test_obeying_the_policy_refuses_an_oversell(shop: Shop) -> None:
    with pytest.raises(FatalError, match="out of stock"):
        await shop.client.create_order(shop.draft("1", quantity=6))
    assert await shop.stock(shop.deny_item) == 5
    continuing = shop.draft("2", lines=(DraftLine(shop.continue_variant, 3, gbp("12.00")),))
    await shop.client.create_order(continuing)  # "continue" variants may oversell
    assert await shop.stock(shop.continue_item) == -2


@pytest.mark.parametrize(
    ("stock", "left"),
    [
        (StockOnCreate.LEAVE, 5),  # inventory_behaviour "bypass"
        (StockOnCreate.REDUCE, -1),  # "decrement_ignoring_policy": below zero if need be
    ],
)
async def test_other_stock_settings(shop: Shop, stock: StockOnCreate, left: int) -> None:
    await shop.client.create_order(shop.draft("3", quantity=6, stock=stock))
    assert await shop.stock(shop.deny_item) == left


async def test_create_is_not_repeated_after_a_server_error_but_is_after_a_429(
    shop: Shop,
) -> None:
    await shop.control.sim(
        "POST", "faults", {"queue": [{"endpoint": "graphql.orderCreate", "kind": "503"}]}
    )
    with pytest.raises(RetriableError):
        await shop.client.create_order(shop.draft("4"))
    assert len(await shop.control.calls(endpoint="graphql.orderCreate")) == 1
    assert shop.client.notices() == []
    await shop.control.sim(
        "POST",
        "faults",
        {"queue": [{"endpoint": "graphql.orderCreate", "kind": "429", "seconds": 0.05}]},
    )
    await shop.client.create_order(shop.draft("4"))
    assert len(await shop.control.calls(endpoint="graphql.orderCreate")) == 3


async def test_find_order_searches_by_source_identifier(shop: Shop) -> None:
    async def filler(n: int) -> None:
        body = {"order": {"line_items": [{"variant_id": int(shop.deny_variant), "quantity": 1}]}}
        status, _, _ = await shop.control.admin("POST", "orders", body)
        assert status == 201

    await asyncio.gather(*(filler(n) for n in range(255)))
    wanted = await shop.client.create_order(shop.draft("777"))
    await shop.client.create_order(shop.draft("778"))

    since = wanted.created_at - timedelta(days=1)
    found = await shop.client.find_order("777", created_since=since)
    assert found is not None
    assert found.id == wanted.id
    assert await shop.client.find_order("999", created_since=since) is None
    # The search narrows by source identifier: one page each, not every order since then.
    assert len(await shop.control.calls(endpoint="graphql.orders")) == 2


async def test_find_order_takes_the_earliest_since_a_creation_time(shop: Shop) -> None:
    old = await shop.client.create_order(shop.draft("800"))
    since = await shop.control.advance(3600)
    new = await shop.client.create_order(shop.draft("800"))
    newer = await shop.client.create_order(shop.draft("800"))
    first = await shop.client.find_order("800", created_since=old.created_at - timedelta(1))
    assert first is not None
    assert first.id == old.id
    recent = await shop.client.find_order("800", created_since=since)
    assert recent is not None
    assert recent.id == new.id != newer.id


async def test_show_status_replaces_the_tag_and_attribute_once(shop: Shop) -> None:
    created = await shop.client.create_order(shop.draft("801"))
    shown = await shop.client.show_status(created.id, OrderState.IN_TRANSIT)
    assert shown.marketplace_status == "IN_TRANSIT"
    wire = await shop.wire(created.id)
    assert wire["tags"] == "TikTok, TikTok: In transit"
    assert {"name": "tiktok_status", "value": "IN_TRANSIT"} in wire["note_attributes"]
    await shop.client.show_status(created.id, OrderState.IN_TRANSIT)
    assert len(await shop.control.calls(endpoint="graphql.orderUpdate")) == 1


async def test_get_order_and_a_missing_one(shop: Shop) -> None:
    created = await shop.client.create_order(shop.draft("5"))
    assert await shop.client.order(created.id) == created
    assert await shop.client.order("123") is None


async def test_cancel_restocks_and_is_harmless_twice(shop: Shop) -> None:
    created = await shop.client.create_order(shop.draft("6", quantity=2))
    assert await shop.stock(shop.deny_item) == 3
    cancelled = await shop.client.cancel_order(created.id, reason=CancelReason.CUSTOMER)
    assert cancelled.cancelled
    assert cancelled.cancel_reason is CancelReason.CUSTOMER
    assert (await shop.wire(created.id))["cancel_reason"] == "customer"
    assert await shop.stock(shop.deny_item) == 5
    again = await shop.client.cancel_order(created.id, reason=CancelReason.OTHER)
    assert again.cancelled_at == cancelled.cancelled_at
    assert len(await shop.control.calls(endpoint="graphql.orderCancel")) == 1
    assert await shop.stock(shop.deny_item) == 5


async def test_cancel_without_restock_leaves_stock(shop: Shop) -> None:
    created = await shop.client.create_order(shop.draft("7", quantity=2))
    await shop.client.cancel_order(created.id, reason=CancelReason.OTHER, restock=False)
    assert await shop.stock(shop.deny_item) == 3


async def test_fulfillment_orders_and_fulfilments_since(shop: Shop) -> None:
    created = await shop.client.create_order(shop.draft("8"))
    [open_order] = await shop.client.fulfillment_orders(created.id)
    assert open_order.can_fulfil
    assert [(line.variant_id, line.fulfillable_quantity) for line in open_order.lines] == [
        (shop.deny_variant, 1)
    ]
    before = await shop.control.advance(60)
    await shop.control.sim(
        "POST",
        f"orders/{created.id}/fulfil",
        {"tracking_company": "Royal Mail", "tracking_number": "RM123456785GB"},
    )
    [shipped] = await shop.client.fulfillments_since(before)
    assert isinstance(shipped, StoreFulfillment)
    assert shipped.order_id == created.id
    assert (shipped.tracking_company, shipped.tracking_number) == ("Royal Mail", "RM123456785GB")
    assert [(line.variant_id, line.quantity) for line in shipped.lines] == [(shop.deny_variant, 1)]
    later = await shop.control.advance(60)
    assert await shop.client.fulfillments_since(later) == []
    [closed] = await shop.client.fulfillment_orders(created.id)
    assert not closed.can_fulfil

    updated = await shop.client.update_tracking(
        shipped.id, TrackingInfo("Evri", "H01234567890123", "https://evri.example/t")
    )
    assert (updated.tracking_company, updated.tracking_number) == ("Evri", "H01234567890123")
    [moved] = await shop.client.fulfillments_since(later)
    assert moved.id == shipped.id


async def test_create_fulfillment_ships_what_is_open(shop: Shop) -> None:
    created = await shop.client.create_order(shop.draft("9", quantity=2))
    [fulfilment] = await shop.client.create_fulfillment(
        created.id, TrackingInfo("DPD", "15501234567890")
    )
    assert fulfilment.status is FulfillmentStatus.SUCCESS
    assert fulfilment.tracking_numbers == ("15501234567890",)
    order = await shop.client.order(created.id)
    assert order is not None
    assert order.status is StoreOrderStatus.FULFILLED
    assert await shop.client.create_fulfillment(created.id, TrackingInfo("DPD", "x")) == []
    with pytest.raises(FatalError, match="fulfillments"):
        await shop.client.cancel_order(created.id, reason=CancelReason.OTHER)


async def test_the_order_side_calls_admin_graphql_only(shop: Shop) -> None:
    """Every order call of the connector is a GraphQL query or mutation (no REST endpoint),
    and each one names its root field in the simulator's call log."""
    await shop.control.sim("DELETE", "calls")
    created = await shop.client.create_order(shop.draft("10", quantity=2))
    since = created.created_at - timedelta(minutes=1)
    assert await shop.client.find_order("10", created_since=since) == created
    await shop.client.show_status(created.id, OrderState.IN_TRANSIT)
    [shipped] = await shop.client.create_fulfillment(created.id, TrackingInfo("DPD", "155"))
    await shop.client.update_tracking(shipped.id, TrackingInfo("DPD", "156"))
    assert [f.tracking_number for f in await shop.client.order_fulfillments(created.id)] == ["156"]
    assert [f.id for f in await shop.client.fulfillments_since(since)] == [shipped.id]
    other = await shop.client.create_order(shop.draft("11"))
    await shop.client.cancel_order(other.id, reason=CancelReason.INVENTORY)
    assert [o.id for o in await shop.client.cancelled_orders_since(since)] == [other.id]
    endpoints = {call["endpoint"] for call in await shop.control.calls()}
    assert endpoints == {
        "graphql.orderCreate",
        "graphql.orders",
        "graphql.order",
        "graphql.orderUpdate",
        "graphql.fulfillmentCreate",
        "graphql.fulfillmentTrackingInfoUpdate",
        "graphql.orderCancel",
    }


async def test_a_refusal_names_the_field_and_shopify_reason(shop: Shop) -> None:
    wrong = shop.draft("12", lines=(DraftLine("999999", 1, gbp("12.00")),))
    with pytest.raises(FatalError, match=r"orderCreate: Shopify refused it: .*line_items"):
        await shop.client.create_order(wrong)
    with pytest.raises(FatalError, match=r"fulfillmentTrackingInfoUpdate: .*fulfillmentId"):
        await shop.client.update_tracking("424242", TrackingInfo("DPD", "1"))


async def test_orders_with_many_lines_arrive_whole(shop: Shop) -> None:
    """An order's first lines come with it; the rest are paged (orders and fulfilments)."""
    lines = tuple(DraftLine(shop.continue_variant, 1, gbp(f"{n}.00")) for n in range(1, 24))
    created = await shop.client.create_order(shop.draft("13", lines=lines))
    assert [line.price.amount for line in created.lines] == [Decimal(n) for n in range(1, 24)]
    assert await shop.client.order(created.id) == created
    [shipped] = await shop.client.create_fulfillment(created.id, TrackingInfo("DPD", "7"))
    assert len(shipped.lines) == 23
    assert len((await shop.client.order_fulfillments(created.id))[0].lines) == 23


async def test_an_unreadable_order_in_a_listing_fails_alone(shop: Shop) -> None:
    broken = await shop.client.create_order(shop.draft("14"))
    fine = await shop.client.create_order(shop.draft("15"))
    since = broken.created_at
    for order in (broken, fine):
        await shop.client.cancel_order(order.id, reason=CancelReason.OTHER)
    money = {"totalPriceSet": {"shopMoney": {"amount": 12.5}}}  # a number, not a string
    await shop.control.sim("POST", f"orders/{broken.id}/corrupt", {"graphql": money})
    bad, good = await shop.client.cancelled_orders_since(since)
    assert isinstance(bad, BadRecord)
    assert (bad.kind, bad.id) == ("order", broken.id)
    assert "totalPriceSet" in bad.reason
    assert "12.5" not in bad.reason  # reasons name fields, they do not echo values
    assert isinstance(good, StoreOrder)
    assert good.id == fine.id
    with pytest.raises(FatalError, match="order: the answer does not match"):
        await shop.client.order(broken.id)

    shipped = await shop.client.create_order(shop.draft("16"))
    await shop.client.create_fulfillment(shipped.id, TrackingInfo("DPD", "9"))
    wrong_id = {"graphql": {"legacyResourceId": "not-a-number"}}
    await shop.control.sim("POST", f"orders/{shipped.id}/corrupt", wrong_id)
    [unreadable] = await shop.client.fulfillments_since(since)
    assert isinstance(unreadable, BadRecord)
    assert (unreadable.id, "legacyResourceId" in unreadable.reason) == (shipped.id, True)


async def test_a_cancel_is_followed_until_shopifys_job_has_run() -> None:
    """``orderCancel`` answers before the cancel happens (a background job): the order is read
    until it shows the cancel, and a second cancel while the job runs is not sent."""
    async with running(cancel_job_seconds=0.4) as (simulator, control):
        [lamp] = await control.load([product("Lamp", {"sku": "L", "price": "12.00", "stock": 5})])
        async with client_for(simulator) as client:
            shop = Shop(control, client, [{**lamp, "variants": lamp["variants"] * 2}])
            created = await client.create_order(shop.draft("17", quantity=2))
            cancelled = await client.cancel_order(created.id, reason=CancelReason.CUSTOMER)
            assert cancelled.cancelled
            assert await shop.stock(shop.deny_item) == 5  # restocked by the job
            reads = await control.calls(endpoint="graphql.order")
            assert len(reads) >= 3  # before the cancel, then until the job had run
            assert len(await control.calls(endpoint="graphql.orderCancel")) == 1
