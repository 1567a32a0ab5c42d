"""TikTokClient order, fulfilment, cancellation, logistics and webhook endpoints."""

from __future__ import annotations

import pytest
from tiktok_support import World, open_world

from daemon.connectors.tiktok import (
    CancellationSearchFilter,
    CancelOrderInput,
    CancelStatus,
    ExternalLineItem,
    ExternalOrder,
    ExternalOrderLink,
    InventoryInput,
    MarkShippedInput,
    OrderSearchFilter,
    OrderStatus,
    ShippingInfoInput,
    SkuInventoryInput,
    TikTokBusinessError,
    TikTokClient,
    TikTokRetriableError,
)
from daemon.errors import RetriableError, SkippableError


@pytest.fixture
async def world(tmp_path):
    async with open_world(tmp_path) as opened:
        yield opened


@pytest.fixture
async def client(world: World) -> TikTokClient:
    opened = world.client()
    await opened.connect()
    return opened


@pytest.fixture
async def sku(world: World, client: TikTokClient) -> str:
    """A live SKU with plenty of stock in the default warehouse."""
    product_id, (sku_id,) = await world.live_product(client)
    levels = [InventoryInput(warehouse_id=w, quantity=500) for w in world.warehouse_ids]
    result = await client.products.update_inventory(
        product_id, [SkuInventoryInput(id=sku_id, inventory=levels)]
    )
    assert result.ok
    return sku_id


async def shipped_ready(world: World, sku: str, quantity: int = 1) -> dict:
    return await world.control.place_order(sku, quantity, status="AWAITING_SHIPMENT")


# --- logistics -------------------------------------------------------------------------------


async def test_warehouses_delivery_options_and_providers(world, client):
    warehouses = await client.logistics.warehouses()
    assert {w.id for w in warehouses} == set(world.warehouse_ids)
    assert sum(w.is_default for w in warehouses) == 1
    options = await client.logistics.delivery_options(warehouses[0].id)
    assert options
    providers = await client.logistics.shipping_providers(options[0].id)
    assert providers
    assert all(p.id and p.name for p in providers)


# --- orders ----------------------------------------------------------------------------------


async def test_search_orders_by_update_window_through_every_page(world, client, sku):
    start = int(world.control.now()) - 1
    placed = [(await world.control.place_order(sku, 2))["id"] for _ in range(5)]

    window = OrderSearchFilter(update_time_ge=start, update_time_lt=int(world.control.now()) + 5)
    first = await client.orders.search_page(window, page_size=2)
    assert len(first.items) == 2
    assert first.total_count == 5
    assert first.next_page_token is not None
    assert set("+/=") <= set(first.next_page_token)

    orders = [order async for order in client.orders.search(window, page_size=2)]
    assert sorted(order.id for order in orders) == sorted(placed)
    assert all(len(order.line_items) == 2 for order in orders)  # one line item per unit
    updates = [order.update_time for order in orders]
    assert updates == sorted(updates)

    later = OrderSearchFilter(update_time_ge=int(world.control.now()) + 60)
    assert [order async for order in client.orders.search(later)] == []


async def test_order_detail_is_fetched_in_chunks_of_fifty(world, client, sku):
    ids = [(await world.control.place_order(sku))["id"] for _ in range(51)]
    await world.control.clear_calls()

    orders = await client.orders.get([*ids, ids[0]])

    assert sorted(order.id for order in orders) == sorted(ids)
    calls = await world.control.calls(operation="get_order_detail")
    assert [len(c["query"]["ids"].split(",")) for c in calls] == [50, 1]
    order = orders[0]
    assert order.payment is not None
    assert order.payment.currency == "GBP"
    assert order.payment.total_amount is not None


async def test_external_order_references(world, client, sku):
    order = await shipped_ready(world, sku)
    line = order["line_items"][0]["id"]
    link = ExternalOrderLink(
        id=order["id"],
        external_order=ExternalOrder(
            id="gid-1001",
            platform="SHOPIFY",
            line_items=[ExternalLineItem(id="gid-line-1", origin_id=line)],
        ),
    )
    unknown = link.model_copy(update={"id": "576000000000000001"})

    result = await client.orders.add_external_references([link, unknown])

    assert [failure.order_id for failure in result.failures] == ["576000000000000001"]
    refs = await client.orders.external_references(order["id"], "SHOPIFY")
    assert [(ref.id, ref.platform) for ref in refs] == [("gid-1001", "SHOPIFY")]
    matches = await client.orders.find_by_external_reference("SHOPIFY", "gid-1001")
    assert [match.id for match in matches] == [order["id"]]
    assert await client.orders.find_by_external_reference("SHOPIFY", "gid-9999") == ()


# --- fulfilment ------------------------------------------------------------------------------


async def provider_id(client: TikTokClient) -> str:
    warehouse = (await client.logistics.warehouses())[0]
    option = (await client.logistics.delivery_options(warehouse.id))[0]
    return (await client.logistics.shipping_providers(option.id))[0].id


async def test_mark_shipped_then_correct_the_tracking_number(world, client, sku):
    order = await shipped_ready(world, sku)
    carrier = await provider_id(client)

    shipped = await client.logistics.mark_shipped(
        order["id"], MarkShippedInput(tracking_number="RM123456785GB", shipping_provider_id=carrier)
    )
    assert shipped.order_id == order["id"]
    assert shipped.package_id

    await client.logistics.update_shipping_info(
        order["id"],
        ShippingInfoInput(tracking_number="RM987654321GB", shipping_provider_id=carrier),
    )
    (detail,) = await client.orders.get([order["id"]])
    assert detail.status is OrderStatus.AWAITING_COLLECTION
    assert detail.tracking_number == "RM987654321GB"


async def test_shipping_an_on_hold_order_is_retriable_later_not_now(world, client, sku):
    order = await world.control.place_order(sku, status="ON_HOLD")
    carrier = await provider_id(client)
    with pytest.raises(RetriableError) as caught:
        await client.logistics.mark_shipped(
            order["id"],
            MarkShippedInput(tracking_number="RM123456785GB", shipping_provider_id=carrier),
        )
    assert getattr(caught.value, "code", None) == 21011044
    assert len(await world.control.calls(operation="mark_package_shipped")) == 1


async def test_a_500_on_a_call_with_side_effects_is_not_repeated(world, client, sku):
    order = await shipped_ready(world, sku)
    carrier = await provider_id(client)
    await world.control.fault(operation="mark_package_shipped", p_500=1.0, count=1)
    with pytest.raises(TikTokRetriableError):
        await client.logistics.mark_shipped(
            order["id"],
            MarkShippedInput(tracking_number="RM123456785GB", shipping_provider_id=carrier),
        )
    assert len(await world.control.calls(operation="mark_package_shipped")) == 1


async def test_a_503_on_a_call_with_side_effects_is_repeated(world, client, sku):
    order = await shipped_ready(world, sku)
    carrier = await provider_id(client)
    await world.control.fault(operation="mark_package_shipped", p_503=1.0, count=1)
    shipped = await client.logistics.mark_shipped(
        order["id"], MarkShippedInput(tracking_number="RM123456785GB", shipping_provider_id=carrier)
    )
    assert shipped.package_id
    statuses = [c["status"] for c in await world.control.calls(operation="mark_package_shipped")]
    assert statuses == [503, 200]


# --- cancellations ---------------------------------------------------------------------------


async def test_buyer_cancellations_are_found_and_both_status_spellings_parse(world, client, sku):
    orders = [await shipped_ready(world, sku) for _ in range(3)]
    requests = [
        await world.control.request("POST", f"/_sim/orders/{order['id']}/buyer_cancel", {})
        for order in orders
    ]
    await world.control.request(
        "POST", f"/_sim/cancellations/{requests[0]['cancel_id']}/withdraw", {}
    )

    every = [c async for c in client.cancellations.search(page_size=1)]
    assert sorted(c.order_id for c in every) == sorted(order["id"] for order in orders)
    by_id = {c.cancel_id: c for c in every}
    assert by_id[requests[0]["cancel_id"]].cancel_status is CancelStatus.CANCEL
    assert by_id[requests[1]["cancel_id"]].cancel_status is CancelStatus.PENDING

    withdrawn = CancellationSearchFilter(cancel_status=[CancelStatus.CANCEL])
    found = [c.cancel_id async for c in client.cancellations.search(withdrawn)]
    assert found == [requests[0]["cancel_id"]]
    (call,) = await world.control.calls(operation="search_cancellations", limit="1")
    assert call["status"] == 200


async def test_seller_cancel_and_a_reason_the_status_does_not_allow(world, client, sku):
    order = await shipped_ready(world, sku)
    cancelled = await client.cancellations.cancel_order(
        CancelOrderInput(order_id=order["id"], cancel_reason="seller_cancel_reason_out_of_stock_uk")
    )
    assert cancelled.cancel_id

    unpaid_only = await shipped_ready(world, sku)
    with pytest.raises(SkippableError) as caught:
        await client.cancellations.cancel_order(
            CancelOrderInput(
                order_id=unpaid_only["id"],
                cancel_reason="seller_cancel_unpaid_reason_wrong_price_uk",
            )
        )
    assert isinstance(caught.value, TikTokBusinessError)
    assert caught.value.code == 25001021


# --- webhooks --------------------------------------------------------------------------------


async def test_webhook_subscriptions(world, client):
    assert await client.webhooks.subscriptions() == ()
    await client.webhooks.update("ORDER_STATUS_CHANGE", "https://hooks.example.com/tiktok")
    (subscription,) = await client.webhooks.subscriptions()
    assert subscription.event_type == "ORDER_STATUS_CHANGE"
    assert subscription.address == "https://hooks.example.com/tiktok"
    await client.webhooks.delete("ORDER_STATUS_CHANGE")
    assert await client.webhooks.subscriptions() == ()
