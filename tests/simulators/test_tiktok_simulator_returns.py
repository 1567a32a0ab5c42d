"""Returns after delivery on the TikTok simulator, over real HTTP: the buyer's request, status
moves, Search Returns (pages with + / = tokens, filters, page size 10-50) and webhook 12."""

from __future__ import annotations

import json

import pytest
from aiohttp import web
from tiktok_sim_support import APP_KEY, APP_SECRET

from daemon.connectors.tiktok.signing import verify_webhook

SEARCH = "/return_refund/202309/returns/search"


async def delivered_orders(api, make_product, count):
    created = await make_product(api, quantity=50)
    await api.advance(61)
    sku_id = created.data["skus"][0]["id"]
    ids = []
    for _ in range(count):
        order = await api.control(
            "POST", "/_sim/orders", {"items": [{"sku_id": sku_id, "quantity": 1}]}
        )
        await api.control("POST", f"/_sim/orders/{order['id']}/advance", {"to": "DELIVERED"})
        ids.append(order["id"])
    return ids


async def ask_return(api, order_id, **body):
    return await api.control("POST", f"/_sim/orders/{order_id}/return", body)


async def search(api, payload=None, **query):
    reply = await api.call(
        "POST", SEARCH, query={k: str(v) for k, v in query.items()}, payload=payload or {}
    )
    assert reply.code == 0, reply.body
    return reply.data


async def test_search_pages_with_opaque_tokens_and_filters(api, make_product):
    orders = await delivered_orders(api, make_product, 12)
    kinds = ["REFUND", "REPLACEMENT"] + ["RETURN_AND_REFUND"] * 10
    records = [
        await ask_return(api, order_id, return_type=kind)
        for order_id, kind in zip(orders, kinds, strict=True)
    ]
    assert records[0]["return_status"] == "RETURN_OR_REFUND_REQUEST_PENDING"
    assert records[0]["refund_amount"]["refund_total"] == "12.50"
    assert records[1]["refund_amount"]["refund_total"] == "0.00"  # a replacement refunds nothing

    first = await search(api, page_size=10, sort_field="update_time")
    assert (len(first["return_orders"]), first["total_count"]) == (10, 12)
    token = first["next_page_token"]
    assert {"+", "/", "="} <= set(token)
    second = await search(api, page_size=10, sort_field="update_time", page_token=token)
    assert second["next_page_token"] == ""
    seen = [r["return_id"] for r in first["return_orders"] + second["return_orders"]]
    assert seen == [r["return_id"] for r in records]

    by_order = await search(api, {"order_ids": [orders[3]]})
    assert [r["order_id"] for r in by_order["return_orders"]] == [orders[3]]
    refunds = await search(api, {"return_types": ["REFUND"]})
    assert [r["return_id"] for r in refunds["return_orders"]] == [records[0]["return_id"]]
    future = await search(api, {"update_time_ge": api.now() + 100})
    assert future["total_count"] == 0

    rejected = records[5]["return_id"]
    moved = await api.control(
        "POST", f"/_sim/returns/{rejected}/advance", {"to": "REFUND_OR_RETURN_REQUEST_REJECT"}
    )
    assert moved["return_status"] == "REFUND_OR_RETURN_REQUEST_REJECT"
    for spelling in ("REFUND_OR_RETURN_REQUEST_REJECT", "RETURN_OR_REFUND_REQUEST_REJECT"):
        found = await search(api, {"return_status": [spelling]})
        assert [r["return_id"] for r in found["return_orders"]] == [rejected]


@pytest.mark.parametrize("size", ["5", "51", "x"])
async def test_page_size_is_10_to_50(api, size):
    reply = await api.call("POST", SEARCH, query={"page_size": size}, payload={})
    assert reply.code == 25001001
    assert "page_size" in reply.message


async def raw_return(api, session, order_id):
    async with session.post(f"{api.base_url}/_sim/orders/{order_id}/return", json={}) as reply:
        return reply.status, await reply.json()


async def test_a_return_needs_a_delivered_order_and_no_open_request(api, make_product, session):
    (delivered,) = await delivered_orders(api, make_product, 1)
    created = await make_product(api, seller_sku="MUG-2")
    await api.advance(61)
    waiting = await api.control(
        "POST", "/_sim/orders", {"items": [{"sku_id": created.data["skus"][0]["id"]}]}
    )
    status, body = await raw_return(api, session, waiting["id"])
    assert (status, body["code"]) == (409, 25001001)
    assert "DELIVERED" in body["error"]
    assert (await raw_return(api, session, delivered))[0] == 200
    status, body = await raw_return(api, session, delivered)
    assert (status, body["code"]) == (409, 25001011)  # one open request per order


@pytest.fixture
async def receiver():
    received: list[tuple[dict[str, str], bytes]] = []

    async def handle(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hooks", handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hooks", received
    await runner.cleanup()


async def test_every_status_change_sends_webhook_12(api, make_product, receiver):
    url, received = receiver
    (order_id,) = await delivered_orders(api, make_product, 1)
    await api.control("PUT", "/_sim/webhook_url", {"url": url})
    record = await ask_return(api, order_id)
    path = f"/_sim/returns/{record['return_id']}/advance"
    assert (await api.control("POST", path, {}))["return_status"] == "AWAITING_BUYER_SHIP"
    done = await api.control("POST", path, {"to": "RETURN_OR_REFUND_REQUEST_COMPLETE"})
    assert done["return_status"] == "RETURN_OR_REFUND_REQUEST_COMPLETE"
    assert (await api.control("POST", "/_sim/webhooks/drain", {"timeout": 5}))["drained"]
    events = []
    for headers, body in received:
        assert verify_webhook(APP_KEY, APP_SECRET, body, headers["Authorization"])
        envelope = json.loads(body)
        if envelope["type"] == 12:
            events.append(envelope["data"])
    assert [e["return_status"] for e in events] == [
        "RETURN_OR_REFUND_REQUEST_PENDING",
        "AWAITING_BUYER_SHIP",
        "BUYER_SHIPPED_ITEM",
        "RETURN_OR_REFUND_REQUEST_SUCCESS",
        "RETURN_OR_REFUND_REQUEST_COMPLETE",
    ]
    assert set(events[0]) == {
        "order_id",
        "return_role",
        "return_type",
        "return_status",
        "return_id",
        "create_time",
        "update_time",
    }
    assert (events[0]["order_id"], events[0]["return_id"]) == (order_id, record["return_id"])
    assert (events[0]["return_role"], events[0]["return_type"]) == ("BUYER", "RETURN_AND_REFUND")
