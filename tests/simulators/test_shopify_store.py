"""The Shopify simulator on the kit: `start_store` from a neutral seed, its webhook policy
(retries on Shopify's schedule, redelivery with the same webhook id), neutral actions firing
Shopify's webhooks, and Shopify's words for the kit's faults (``drop`` included)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from daemon.connectors.shopify import verify_delivery
from simulators.kit import StoreSeed
from simulators.shopify import SAMPLE_OPTIONS, RunningShopify, start_store
from tests.support.shopify import SimControl, product, running, webhook_receiver

SEED = StoreSeed(
    name="Seeded shop",
    currency="EUR",
    locations=("Dublin", "Cork"),
    webhook_url=None,
    options=SAMPLE_OPTIONS,
)


@pytest.fixture
async def seeded() -> AsyncIterator[tuple[RunningShopify, SimControl]]:
    store = await start_store(SEED, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield store, SimControl(store.base_url, session, SAMPLE_OPTIONS["access_token"])
    finally:
        await store.stop()


async def test_start_store_applies_the_seed(seeded: tuple[RunningShopify, SimControl]) -> None:
    store, control = seeded
    _, body, headers = await control.admin("GET", "shop")
    assert (body["shop"]["name"], body["shop"]["currency"]) == ("Seeded shop", "EUR")
    assert body["shop"]["domain"] == SAMPLE_OPTIONS["shop_domain"]
    assert headers["X-Shopify-API-Version"] == SAMPLE_OPTIONS["api_version"]
    _, body, _ = await control.admin("GET", "locations")
    assert [loc["name"] for loc in body["locations"]] == ["Dublin", "Cork"]
    assert store.control_url == f"{store.base_url}/_sim/store"


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({**SAMPLE_OPTIONS, "colour": "blue"}, "colour"),
        ({**SAMPLE_OPTIONS, "shop_name": "again"}, "shop_name"),  # the seed sets it
        ({k: v for k, v in SAMPLE_OPTIONS.items() if k != "webhook_secret"}, "webhook_secret"),
        ({**SAMPLE_OPTIONS, "leak_rate": "fast"}, "leak_rate"),
        ({**SAMPLE_OPTIONS, "bucket_size": True}, "bucket_size"),
        (
            {**SAMPLE_OPTIONS, "webhook_retry_delays_seconds": ["1m"]},
            "webhook_retry_delays_seconds",
        ),
    ],
)
async def test_start_store_names_a_bad_option(options: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        await start_store(replace(SEED, options=options), "127.0.0.1", 0)


async def test_plain_options_reach_the_config() -> None:
    options = {**SAMPLE_OPTIONS, "leak_rate": 100, "webhook_retry_delays_seconds": [1, 2]}
    store = await start_store(replace(SEED, options=options), "127.0.0.1", 0)
    try:
        config = store.simulator.config
        assert (config.leak_rate, config.webhook_retry_delays_seconds) == (100, (1.0, 2.0))
    finally:
        await store.stop()


async def test_a_failed_webhook_is_retried_on_shopifys_schedule() -> None:
    async with running() as (_, control), webhook_receiver(status=500) as (url, received):
        await control.sim("POST", "webhooks", {"url": url})
        await control.load([product("A")], webhooks=True)
        await control.sim("POST", "webhooks/drain", {})
        for seconds, expected in ((59, 1), (1, 2), (119, 2), (1, 3)):  # 1 min, then 2 min
            await control.advance(seconds)
            await control.sim("POST", "webhooks/drain", {})
            assert len(received) == expected, seconds
        deliveries = (await control.sim("GET", "webhooks"))["deliveries"]
    assert [d["attempt"] for d in deliveries] == [1, 2, 3]
    assert len({headers["X-Shopify-Webhook-Id"] for headers, _ in received}) == 1
    assert len({body for _, body in received}) == 1  # the payload is frozen at trigger time


async def test_every_tenth_delivered_webhook_comes_again_with_the_same_id() -> None:
    async with running() as (_, control), webhook_receiver() as (url, received):
        await control.sim("POST", "webhooks", {"url": url, "secret": "hush"})
        policy = await control.sim("GET", "webhooks/policy")
        assert (policy["redeliver_every"], policy["redeliver_after_seconds"]) == (10, 60)
        await control.load([product(f"P{n}") for n in range(10)], webhooks=True)
        await control.sim("POST", "webhooks/drain", {})
        assert len(received) == 10
        await control.advance(60)
        await control.sim("POST", "webhooks/drain", {})
        assert len(received) == 11
        deliveries = (await control.sim("GET", "webhooks"))["deliveries"]
    hints = [verify_delivery("hush", headers, body) for headers, body in received]
    assert hints[-1].webhook_id == hints[9].webhook_id  # what the daemon de-duplicates on
    assert received[-1][1] == received[9][1]
    assert [d["redelivery"] for d in deliveries] == [False] * 10 + [True]


async def test_neutral_actions_fire_shopifys_webhooks(
    seeded: tuple[RunningShopify, SimControl],
) -> None:
    store, control = seeded
    async with webhook_receiver() as (url, received), aiohttp.ClientSession() as session:
        await control.sim("POST", "webhooks", {"url": url})

        async def neutral(path: str, body: dict[str, Any]) -> Any:
            async with session.post(f"{store.control_url}/{path}", json=body) as response:
                assert response.status == 200, await response.text()
                return await response.json()

        (location, _) = [
            loc["id"] for loc in (await control.sim("GET", "store/locations"))["locations"]
        ]
        spec = {"title": "Cup", "variants": [{"sku": "CUP", "price": "3.00"}]}
        (created,) = (await neutral("products", {"products": [spec]}))["products"]
        await neutral("stock", {"levels": [{"sku": "CUP", "location": location, "available": 5}]})
        await neutral("prices", {"prices": [{"sku": "CUP", "price": "4.00"}]})
        await neutral(f"products/{created['id']}/published", {"published": False})
        await control.sim("POST", "webhooks/drain", {})
    topics = [headers["X-Shopify-Topic"] for headers, _ in received]
    assert topics == [
        "products/create",
        "inventory_levels/update",
        "products/update",
        "products/update",
    ]
    level = json.loads(received[1][1])
    assert (str(level["inventory_item_id"]), level["available"]) == (
        created["variants"][0]["stock_key"],
        5,
    )
    assert json.loads(received[3][1])["status"] == "draft"


async def test_shopify_fault_words_include_a_lost_answer() -> None:
    async with running() as (simulator, control):
        [created] = await control.load([product("A", {"sku": "A1", "price": "5.00"})])
        queue = [{"endpoint": "orders.create", "kind": "drop"}]
        assert (await control.sim("POST", "faults", {"queue": queue}))["queue"] == [
            {"endpoint": "orders.create", "kind": "drop", "times": 1}
        ]
        order = {
            "order": {"line_items": [{"variant_id": created["variants"][0]["id"], "quantity": 1}]}
        }
        connector = aiohttp.TCPConnector(force_close=True)
        async with aiohttp.ClientSession(connector=connector) as fresh:
            with pytest.raises(aiohttp.ClientConnectionError):
                await SimControl(control.base_url, fresh, control.token).admin(
                    "POST", "orders", order
                )
        assert len(simulator.shop.state.orders) == 1  # created, though nobody heard
        (call,) = await control.calls(endpoint="orders.create")
        assert call["fault"] == "drop"
        rule = {"endpoint": "shop", "error_503": 1, "count": 1}
        assert (await control.sim("PUT", "faults", rule))["rules"] == ["shop"]
        assert [(await control.admin("GET", "shop"))[0] for _ in range(2)] == [503, 200]
