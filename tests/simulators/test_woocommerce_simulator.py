"""The WooCommerce simulator's own behaviour: dates and filters, stock on order statuses,
OAuth replay rules, error shapes and webhooks."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from aiohttp import web
from woocommerce_sim_support import (
    KEY,
    SECRET,
    WEBHOOK_SECRET,
    Sim,
    in_thread,
    mug,
    running_sim,
    shirt,
)

from simulators.woocommerce import oauth_signature


@pytest.fixture
async def sim() -> AsyncIterator[Sim]:
    async with running_sim() as started:
        yield started


async def _advance(sim: Sim, seconds: float) -> str:
    return str((await sim.control("POST", "/_sim/clock/advance", {"seconds": seconds}))["now"])[:19]


async def test_modified_after_is_strict_and_a_variation_does_not_move_its_parent(sim: Sim) -> None:
    [created] = await sim.products(shirt())
    api = sim.official()
    cutoff = await _advance(sim, 60)
    variation = created["variants"][1]["id"]
    await sim.control("POST", f"/_sim/items/{variation}/stock", {"quantity": 2})
    since = await in_thread(lambda: api.get("products", params={"modified_after": "yesterday"}))
    assert (since.status_code, since.json()["code"]) == (400, "rest_invalid_param")
    assert cutoff
    changed = await in_thread(
        lambda: api.get(f"products/{created['id']}/variations", params={"per_page": 100})
    )
    moved = {v["id"]: v["date_modified_gmt"] for v in changed.json()}
    parent = (await in_thread(lambda: api.get(f"products/{created['id']}"))).json()
    assert moved[int(variation)] > parent["date_modified_gmt"]
    assert moved[int(created["variants"][0]["id"])] == parent["date_modified_gmt"]


async def test_stock_is_taken_once_on_paid_statuses_and_given_back_on_cancel(sim: Sim) -> None:
    [created] = await sim.products(mug())
    api = sim.official()
    line = {"product_id": int(created["id"]), "quantity": 3}
    pending = (await in_thread(lambda: api.post("orders", {"line_items": [line]}))).json()
    assert pending["status"] == "pending"

    async def stock() -> int:
        return int(
            (await in_thread(lambda: api.get(f"products/{created['id']}"))).json()["stock_quantity"]
        )

    assert await stock() == 10
    for status in ("processing", "on-hold", "completed"):
        await in_thread(lambda s=status: api.put(f"orders/{pending['id']}", {"status": s}))
        assert await stock() == 7
    await in_thread(lambda: api.put(f"orders/{pending['id']}", {"status": "cancelled"}))
    assert await stock() == 10
    await in_thread(lambda: api.put(f"orders/{pending['id']}", {"status": "cancelled"}))
    assert await stock() == 10


async def test_an_item_marked_as_already_reduced_is_left_alone(sim: Sim) -> None:
    [created] = await sim.products(mug())
    api = sim.official()
    line = {
        "product_id": int(created["id"]),
        "quantity": 3,
        "meta_data": [{"key": "_reduced_stock", "value": "3"}],
    }
    await in_thread(lambda: api.post("orders", {"set_paid": True, "line_items": [line]}))
    assert (await in_thread(lambda: api.get(f"products/{created['id']}"))).json()[
        "stock_quantity"
    ] == 10


def _signed_query(url: str, method: str = "GET", **overrides: str) -> dict[str, str]:
    params = {
        "oauth_consumer_key": KEY,
        "oauth_timestamp": str(int(time.time())),
        "oauth_nonce": "n" + str(time.monotonic_ns()),
        "oauth_signature_method": "HMAC-SHA256",
    }
    params.update(overrides)
    params["oauth_signature"] = oauth_signature(method, url, params, SECRET)
    return params


async def test_a_nonce_is_taken_once_and_an_old_timestamp_is_refused(sim: Sim) -> None:
    url = f"{sim.base_url}/wp-json/wc/v3/products"
    query = _signed_query(url)
    async with sim.session.get(url, params=query) as first:
        assert first.status == 200
    async with sim.session.get(url, params=query) as replay:
        assert (replay.status, (await replay.json())["message"]) == (
            401,
            "Invalid nonce - nonce has already been used.",
        )
    stale = _signed_query(url, oauth_timestamp=str(int(time.time()) - 16 * 60))
    async with sim.session.get(url, params=stale) as old:
        assert (old.status, (await old.json())["message"]) == (401, "Invalid timestamp.")


async def test_a_signature_over_other_parameters_is_refused(sim: Sim) -> None:
    url = f"{sim.base_url}/wp-json/wc/v3/products"
    query = _signed_query(url)
    async with sim.session.get(url, params={**query, "per_page": "5"}) as tampered:
        assert tampered.status == 401
        assert (await tampered.json())["code"] == "woocommerce_rest_authentication_error"


async def test_unknown_ids_routes_and_pages(sim: Sim) -> None:
    api = sim.official()
    missing = await in_thread(lambda: api.get("products/999999"))
    assert (missing.status_code, missing.json()["code"]) == (
        404,
        "woocommerce_rest_product_invalid_id",
    )
    order = await in_thread(lambda: api.get("orders/999999"))
    assert order.json()["code"] == "woocommerce_rest_shop_order_invalid_id"
    no_route = await in_thread(lambda: api.get("products/abc"))
    assert (no_route.status_code, no_route.json()["code"]) == (404, "rest_no_route")
    await sim.products(mug())
    beyond = await in_thread(lambda: api.get("products", params={"page": 5}))
    assert (beyond.status_code, beyond.json()["code"]) == (400, "rest_post_invalid_page_number")


async def test_without_the_extension_its_routes_are_absent() -> None:
    async with running_sim(shipment_tracking=False) as sim:
        index = await (await sim.session.get(f"{sim.base_url}/wp-json/")).json()
        assert "wc-shipment-tracking/v3" not in index["namespaces"]
        api = sim.official(version="wc-shipment-tracking/v3")
        answer = await in_thread(lambda: api.get("orders/100/shipment-trackings"))
        assert (answer.status_code, answer.json()["code"]) == (404, "rest_no_route")


async def test_webhooks_are_signed_and_the_ping_comes_first() -> None:
    received: list[tuple[dict[str, str], bytes]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((dict(request.headers), await request.read()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hooks", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with running_sim(webhook_url=f"http://127.0.0.1:{port}/hooks") as sim:
            await sim.products(mug())
            await sim.control("POST", "/_sim/webhooks/drain", {})
            await asyncio.sleep(0)
    finally:
        await runner.cleanup()
    pings = [body for _, body in received if body.startswith(b"webhook_id=")]
    assert sorted(pings) == sorted(f"webhook_id={n}".encode() for n in range(1, 7))
    [(headers, body)] = [(h, b) for h, b in received if not b.startswith(b"webhook_id=")]
    expected = base64.b64encode(
        hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).digest()
    ).decode()
    assert headers["X-WC-Webhook-Signature"] == expected
    assert headers["X-WC-Webhook-Topic"] == "product.created"
    assert headers["X-WC-Webhook-Delivery-ID"]


async def test_modified_after_excludes_the_moment_itself(sim: Sim) -> None:
    [created] = await sim.products(shirt())
    url = f"{sim.base_url}/wp-json/wc/v3/products"
    product = (await in_thread(lambda: sim.official().get(f"products/{created['id']}"))).json()
    moment = datetime.fromisoformat(product["date_modified_gmt"])
    before = (moment - timedelta(seconds=1)).isoformat()
    for since, expected in ((moment.isoformat(), []), (before, [product["id"]])):
        query = _signed_query(url, modified_after=since, dates_are_gmt="true")
        async with sim.session.get(url, params=query) as answer:
            assert answer.status == 200, await answer.text()
            assert [p["id"] for p in await answer.json()] == expected


async def test_the_official_client_cannot_sign_a_colon_over_http(sim: Sim) -> None:
    """WooCommerce encodes parameter values once in the string it signs; the client encodes
    them twice (as RFC 5849 says), so a value with a reserved character fails over HTTP."""
    answer = await in_thread(
        lambda: sim.official().get("products", params={"modified_after": "2026-01-01T00:00:00"})
    )
    assert answer.status_code == 401
    assert answer.json()["message"] == "Invalid signature - provided signature does not match."
