"""Orders, fulfilment, cancellations, webhooks, rate limiting and faults, over real HTTP."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web
from tiktok_sim_support import APP_KEY, APP_SECRET

from daemon.connectors.tiktok.signing import verify_webhook

ORDER_SEARCH = "/order/202309/orders/search"
ORDER_DETAIL = "/order/202507/orders"
WAREHOUSES = "/logistics/202309/warehouses"


async def active_sku(api, make_product, quantity=10):
    created = await make_product(api, quantity=quantity)
    await api.advance(61)
    return created.data["product_id"], created.data["skus"][0]["id"]


async def place(api, sku_id, quantity=1, **extra):
    return await api.control(
        "POST", "/_sim/orders", {"items": [{"sku_id": sku_id, "quantity": quantity}], **extra}
    )


async def order_detail(api, order_id):
    reply = await api.call("GET", ORDER_DETAIL, query={"ids": order_id})
    assert reply.code == 0, reply.body
    return reply.data["orders"][0]


async def carrier_id(api, name="Royal Mail"):
    warehouse_id = api.shop["warehouses"][0]["id"]
    options = await api.call("GET", f"/logistics/202309/warehouses/{warehouse_id}/delivery_options")
    option_id = options.data["delivery_options"][0]["id"]
    path = f"/logistics/202309/delivery_options/{option_id}/shipping_providers"
    providers = (await api.call("GET", path)).data["shipping_providers"]
    return next(p["id"] for p in providers if p["name"] == name), providers


async def test_uk_carriers_are_offered(api):
    _, providers = await carrier_id(api)
    names = {p["name"] for p in providers}
    assert {"Royal Mail", "Evri", "DPD", "Yodel", "Parcelforce", "DHL UK"} <= names


async def test_order_lifecycle_through_on_hold(api, make_product):
    product_id, sku_id = await active_sku(api, make_product)
    order = await place(api, sku_id, quantity=2)
    order_id = order["id"]
    detail = await order_detail(api, order_id)
    assert detail["status"] == "ON_HOLD"
    assert detail["is_on_hold_order"] is True
    assert len(detail["line_items"]) == 2  # one line item per unit
    assert {item["sku_id"] for item in detail["line_items"]} == {sku_id}
    assert detail["recipient_address"]["name"] == ""
    assert detail["recipient_address"]["district_info"] == []
    assert detail["payment"]["sub_total"] == "25.00"
    assert isinstance(detail["payment"]["total_amount"], str)

    royal_mail, _ = await carrier_id(api)
    ship = {"tracking_number": "RM123456789GB", "shipping_provider_id": royal_mail}
    packages = f"/fulfillment/202309/orders/{order_id}/packages"
    assert (await api.call("POST", packages, payload=ship)).code == 21011044

    await api.advance(3601)
    detail = await order_detail(api, order_id)
    assert detail["status"] == "AWAITING_SHIPMENT"
    assert detail["recipient_address"]["name"] == "Alex Smith"

    unknown = {"tracking_number": "RM123456789GB", "shipping_provider_id": "123"}
    assert (await api.call("POST", packages, payload=unknown)).code == 21011022
    shipped = await api.call("POST", packages, payload=ship)
    assert shipped.code == 0, shipped.body
    assert len(shipped.data["order_line_item_ids"]) == 2
    assert (await order_detail(api, order_id))["status"] == "AWAITING_COLLECTION"
    assert (await api.call("POST", packages, payload=ship)).code == 21011006

    for status in ("IN_TRANSIT", "DELIVERED", "COMPLETED"):
        moved = await api.control("POST", f"/_sim/orders/{order_id}/advance", {})
        assert moved["status"] == status

    stock = await api.call(
        "POST", "/product/202309/inventory/search", payload={"product_ids": [product_id]}
    )
    levels = stock.data["inventory"][0]["skus"][0]
    assert levels["total_available_quantity"] == 18
    assert levels["total_committed_quantity"] == 0


async def test_update_shipping_info_only_after_shipping_and_within_72_hours(api, make_product):
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id, status="AWAITING_SHIPMENT"))["id"]
    royal_mail, providers = await carrier_id(api)
    evri = next(p["id"] for p in providers if p["name"] == "Evri")
    update = f"/fulfillment/202309/orders/{order_id}/shipping_info/update"
    fix = {"tracking_number": "H01234567890", "shipping_provider_id": evri}
    assert (await api.call("POST", update, payload=fix)).code == 21011043
    ship = {"tracking_number": "RM1", "shipping_provider_id": royal_mail}
    ship["tracking_number"] = "RM123456789GB"
    assert (
        await api.call("POST", f"/fulfillment/202309/orders/{order_id}/packages", payload=ship)
    ).code == 0
    assert (await api.call("POST", update, payload=fix)).code == 0
    assert (await order_detail(api, order_id))["shipping_provider"] == "Evri"
    await api.advance(73 * 3600)
    assert (await api.call("POST", update, payload=fix)).code == 21011050


async def test_order_search_by_update_time_and_detail_limit(api, make_product):
    _, sku_id = await active_sku(api, make_product, quantity=50)
    ids = [(await place(api, sku_id))["id"] for _ in range(5)]
    since = api.now() - 10
    seen = []
    query = {"page_size": "2", "sort_field": "update_time", "sort_order": "ASC"}
    while True:
        page = await api.call("POST", ORDER_SEARCH, query=query, payload={"update_time_ge": since})
        assert page.code == 0, page.body
        assert page.data["total_count"] == 5
        seen.extend(order["id"] for order in page.data["orders"])
        if not page.data["next_page_token"]:
            break
        query = {**query, "page_token": page.data["next_page_token"]}
    assert sorted(seen) == sorted(ids)
    future = await api.call(
        "POST", ORDER_SEARCH, query={"page_size": "10"}, payload={"update_time_ge": api.now() + 100}
    )
    assert future.data["total_count"] == 0
    too_many = ",".join(["1"] * 51)
    assert (await api.call("GET", ORDER_DETAIL, query={"ids": too_many})).code == 36009004
    no_size = await api.call("POST", ORDER_SEARCH, payload={})
    assert no_size.code == 36009004


async def test_buyer_cancellation_creates_a_record(api, make_product):
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id))["id"]
    record = await api.control("POST", f"/_sim/orders/{order_id}/buyer_cancel", {})
    assert record["role"] == "BUYER"
    assert record["cancel_type"] == "BUYER_CANCEL"
    assert (await order_detail(api, order_id))["status"] == "CANCELLED"

    search = "/return_refund/202309/cancellations/search"
    found = await api.call("POST", search, payload={"order_ids": [order_id]})
    assert found.code == 0
    (cancellation,) = found.data["cancellations"]
    assert cancellation["cancel_id"] == record["cancel_id"]
    assert cancellation["cancel_status"] == "CANCELLATION_REQUEST_SUCCESS"
    assert cancellation["cancel_line_items"][0]["sku_id"] == sku_id
    for spelling in ("CANCELLATION_REQUEST_CANCEL", "CANCELLATION_REQUEST_CANCELLED"):
        reply = await api.call("POST", search, payload={"cancel_status": [spelling]})
        assert reply.code == 0
        assert reply.data["cancellations"] == []
    await api.advance(61)
    done = await api.call(
        "POST", search, payload={"cancel_status": ["CANCELLATION_REQUEST_COMPLETE"]}
    )
    assert [c["cancel_id"] for c in done.data["cancellations"]] == [record["cancel_id"]]


async def test_buyer_request_after_hold_waits_for_the_seller(api, make_product):
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id, status="AWAITING_SHIPMENT"))["id"]
    record = await api.control("POST", f"/_sim/orders/{order_id}/buyer_cancel", {})
    assert record["cancel_status"] == "CANCELLATION_REQUEST_PENDING"
    assert record["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_CANCEL"
    detail = await order_detail(api, order_id)
    assert (detail["status"], detail["is_buyer_request_cancel"]) == ("AWAITING_SHIPMENT", True)
    approve = f"/return_refund/202309/cancellations/{record['cancel_id']}/approve"
    assert (await api.call("POST", approve, payload={})).code == 0
    assert (await order_detail(api, order_id))["status"] == "CANCELLED"


async def test_seller_cancel_checks_the_reason_against_the_status(api, make_product):
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id))["id"]
    cancel = "/return_refund/202309/cancellations"
    wrong = {"order_id": order_id, "cancel_reason": "seller_cancel_unpaid_reason_out_of_stock_uk"}
    assert (await api.call("POST", cancel, payload=wrong)).code == 25001021
    right = {"order_id": order_id, "cancel_reason": "seller_cancel_reason_out_of_stock_uk"}
    reply = await api.call("POST", cancel, payload=right)
    assert reply.code == 0
    assert reply.data["cancel_status"] == "CANCELLATION_REQUEST_SUCCESS"
    detail = await order_detail(api, order_id)
    assert (detail["status"], detail["cancellation_initiator"]) == ("CANCELLED", "SELLER")


async def test_external_order_references(api, make_product):
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id))["id"]
    body = {
        "orders": [
            {
                "id": order_id,
                "external_order": {"id": "1001", "platform": "SHOPIFY", "line_items": []},
            }
        ]
    }
    assert (await api.call("POST", "/order/202406/orders/external_orders", payload=body)).data == {}
    got = await api.call(
        "GET", f"/order/202406/orders/{order_id}/external_orders", query={"platform": "SHOPIFY"}
    )
    assert got.data["external_orders"][0]["id"] == "1001"
    found = await api.call(
        "POST",
        "/order/202406/orders/external_order_search",
        query={"platform": "SHOPIFY", "external_order_id": "1001"},
        payload={},
    )
    assert found.data["orders"][0]["id"] == order_id


async def test_rate_limiter_answers_429(api):
    await api.control("PUT", "/_sim/rate_limit", {"per_second": 5})
    loop = asyncio.get_running_loop()
    started = loop.time()
    replies = await asyncio.gather(*(api.call("GET", WAREHOUSES) for _ in range(15)))
    elapsed = loop.time() - started
    throttled = [r for r in replies if r.status == 429]
    assert throttled
    assert all(r.code == 36009002 for r in throttled)
    allowed = sum(1 for r in replies if r.code == 0)
    assert allowed + len(throttled) == 15
    assert allowed <= 5 + int(elapsed * 5) + 1  # a burst of one second, then 5 per second
    other = await api.call("GET", "/product/202309/categories")
    assert other.code == 0  # the limit is per (shop, endpoint)


async def test_fault_injection_503_then_recovery(api):
    await api.control(
        "PUT", "/_sim/faults", {"operation": "get_warehouses", "p_503": 1.0, "count": 1}
    )
    failed = await api.call("GET", WAREHOUSES)
    assert (failed.status, failed.code) == (503, 36009003)
    assert (await api.call("GET", WAREHOUSES)).code == 0


async def test_fault_injection_is_deterministic_with_a_seed(api):
    await api.control("PUT", "/_sim/faults", {"operation": "get_warehouses", "p_500": 0.5})
    runs = []
    for _ in range(2):
        await api.control("PUT", "/_sim/faults/seed", {"seed": 42})
        runs.append([(await api.call("GET", WAREHOUSES)).status for _ in range(12)])
    assert runs[0] == runs[1]
    assert {500, 200} <= set(runs[0])


async def test_timeout_fault_hangs_longer_than_the_client_waits(api):
    spec = {"operation": "get_warehouses", "p_timeout": 1.0, "timeout_seconds": 1.5, "count": 1}
    await api.control("PUT", "/_sim/faults", spec)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.3):
            await api.call("GET", WAREHOUSES)
    assert (await api.call("GET", WAREHOUSES)).code == 0


async def test_slow_fault_adds_latency(api):
    spec = {"operation": "get_warehouses", "p_slow": 1.0, "slow_seconds": 0.3, "count": 1}
    await api.control("PUT", "/_sim/faults", spec)
    loop = asyncio.get_running_loop()
    started = loop.time()
    reply = await api.call("GET", WAREHOUSES)
    assert reply.code == 0
    assert loop.time() - started >= 0.3


@pytest.fixture
async def receiver():
    """A webhook receiver on port 0; set ``failures[0]`` to answer 500 that many times."""
    received: list[tuple[dict[str, str], bytes]] = []
    failures = [0]

    async def handle(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        if failures[0] > 0:
            failures[0] -= 1
            return web.Response(status=500)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hooks", handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/hooks", received, failures
    await runner.cleanup()


async def test_webhooks_are_delivered_signed(api, make_product, receiver):
    url, received, _ = receiver
    await api.control("PUT", "/_sim/webhook_url", {"url": url})
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id))["id"]
    await api.control("POST", f"/_sim/orders/{order_id}/buyer_cancel", {})
    assert (await api.control("POST", "/_sim/webhooks/drain", {"timeout": 5}))["drained"]
    assert received
    types = set()
    for headers, body in received:
        assert verify_webhook(APP_KEY, APP_SECRET, body, headers["Authorization"])
        envelope = json.loads(body)
        assert {"type", "tts_notification_id", "shop_id", "timestamp", "data"} <= set(envelope)
        assert envelope["shop_id"] == api.shop["shop_id"]
        types.add(envelope["type"])
    assert {1, 5, 11} <= types
    statuses = [
        json.loads(b)["data"].get("order_status") for _, b in received if json.loads(b)["type"] == 1
    ]
    assert "ON_HOLD" in statuses
    assert "CANCEL" in statuses  # the webhook's documented spelling


async def test_shop_subscription_overrides_the_default_url(api, receiver):
    url, _, _ = receiver
    subscribe = {"address": url, "event_type": "PRODUCT_STATUS_CHANGE"}
    assert (await api.call("PUT", "/event/202309/webhooks", payload=subscribe)).code == 0
    listed = await api.call("GET", "/event/202309/webhooks")
    assert listed.data["webhooks"][0]["address"] == url
    missing = await api.call(
        "PUT", "/event/202309/webhooks", payload={"event_type": "PRODUCT_STATUS_CHANGE"}
    )
    assert missing.code == 36009004
    assert "address" in missing.message


async def test_failed_deliveries_are_recorded_and_harmless(api, make_product):
    await api.control("PUT", "/_sim/webhook_url", {"url": "http://127.0.0.1:9/nowhere"})
    await make_product(api)
    await api.advance(61)
    await api.control("POST", "/_sim/webhooks/drain", {"timeout": 5})
    deliveries = (await api.control("GET", "/_sim/webhooks/deliveries"))["deliveries"]
    assert deliveries
    assert all(d["error"] for d in deliveries)
    assert (await api.call("GET", WAREHOUSES)).code == 0


async def test_failed_delivery_is_retried_on_the_simulator_clock(api, make_product, receiver):
    url, received, failures = receiver
    failures[0] = 1
    product_id = (await make_product(api)).data["product_id"]
    await api.control("PUT", "/_sim/webhook_url", {"url": url})
    await api.control("POST", f"/_sim/products/{product_id}/status", {"status": "FREEZE"})
    await api.control("POST", "/_sim/webhooks/drain", {"timeout": 5})
    assert len(received) == 1
    await api.advance(121)
    await api.control("POST", "/_sim/webhooks/drain", {"timeout": 5})
    assert len(received) == 2
    first, second = (json.loads(body) for _, body in received)
    assert first["tts_notification_id"] == second["tts_notification_id"]
    attempts = [
        d["attempt"] for d in (await api.control("GET", "/_sim/webhooks/deliveries"))["deliveries"]
    ]
    assert attempts == [1, 2]


async def test_withdrawn_request_uses_the_search_spelling(api, make_product):
    _, sku_id = await active_sku(api, make_product)
    order_id = (await place(api, sku_id, status="AWAITING_SHIPMENT"))["id"]
    record = await api.control("POST", f"/_sim/orders/{order_id}/buyer_cancel", {})
    await api.control("POST", f"/_sim/cancellations/{record['cancel_id']}/withdraw", {})
    search = "/return_refund/202309/cancellations/search"
    found = await api.call("POST", search, payload={"order_ids": [order_id]})
    (cancellation,) = found.data["cancellations"]
    # Search Cancellations spells it _CANCEL; webhook 11 spells it _CANCELLED (DOMAIN.md 11.5).
    assert cancellation["cancel_status"] == "CANCELLATION_REQUEST_CANCEL"
    for spelling in ("CANCELLATION_REQUEST_CANCEL", "CANCELLATION_REQUEST_CANCELLED"):
        reply = await api.call("POST", search, payload={"cancel_status": [spelling]})
        assert [c["cancel_id"] for c in reply.data["cancellations"]] == [record["cancel_id"]]
