"""Webhooks end to end: signed deliveries from the simulators trigger targeted runs."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator

import pytest

from daemon.domain import ProductStatus, RunOutcome
from daemon.ledger import runs
from daemon.runtime.triggers import MAX_TARGETED
from tests.support.world import World, item, open_world, variant


@pytest.fixture
async def world(simulated_config) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


async def until(check, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_a_stock_webhook_pushes_without_waiting_for_the_poll(world: World) -> None:
    (product,) = await world.load(item("Hooked mug", variant("HOOK-1", stock=20)))
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    await world.run("inventory")
    before = len(await world.tiktok_calls("update_inventory"))
    item_id = product["variants"][0]["inventory_item_id"]
    await world.shopify(
        "POST", "inventory", {"levels": [{"inventory_item_id": item_id, "available": 3}]}
    )

    async def pushed() -> bool:
        return len(await world.tiktok_calls("update_inventory")) > before

    await until(pushed)
    async with world.daemon.ledger.read() as tx:
        (run,) = await runs.recent_runs(tx, "uk", "inventory", 1)
    assert run.outcome is RunOutcome.OK


def shopify_signed(body: bytes, secret: str = "shpss_webhook_secret_abc") -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-Topic": "inventory_levels/update",
        "X-Shopify-Shop-Domain": "uk-demo.myshopify.com",
        "X-Shopify-API-Version": "2024-04",
        "X-Shopify-Webhook-Id": "delivery-1",
        "Content-Type": "application/json",
    }


async def test_bad_signatures_are_refused_and_repeats_run_once(world: World) -> None:
    url = f"{world.daemon.server.url}/webhooks/shopify/uk"
    body = json.dumps({"inventory_item_id": 123, "location_id": 1, "available": 4}).encode()
    bad = dict(shopify_signed(body), **{"X-Shopify-Hmac-Sha256": "AAAA"})
    async with world.session.post(url, data=body, headers=bad) as response:
        assert response.status == 401
    async with world.session.post(f"{url}x", data=body, headers=shopify_signed(body)) as response:
        assert response.status == 404

    async def inventory_runs() -> list[runs.RunRecord]:
        async with world.daemon.ledger.read() as tx:
            return await runs.recent_runs(tx, "uk", "inventory", 10)

    async def post() -> None:
        async with world.session.post(url, data=body, headers=shopify_signed(body)) as response:
            assert response.status == 200
            assert await response.read() == b""

    await post()

    async def ran_once() -> bool:
        return len(await inventory_runs()) == 1

    await until(ran_once)
    for _ in range(2):  # Shopify retries the same delivery id: no second run
        await post()
    await asyncio.sleep(world.daemon.settings.daemon.webhook_debounce.total_seconds() + 0.5)
    recent = await inventory_runs()
    assert len(recent) == 1
    assert recent[0].counts.get("levels_read") == 0  # item 123 is not in the store


async def test_a_review_webhook_moves_the_product_to_active(world: World) -> None:
    (product,) = await world.load(item("Reviewed mug", variant("REV-1")))
    await world.run("catalog")
    await world.finish_reviews()  # TikTok decides and sends webhook type 5

    async def active() -> bool:
        status, _ = (await world.statuses())[str(product["id"])]
        return status is ProductStatus.ACTIVE

    await until(active)
    async with world.daemon.ledger.read() as tx:
        recent = await runs.recent_runs(tx, "uk", "catalog", 5)
    assert recent[0].counts.get("review_active") == 1  # a targeted run, not a poll


async def test_a_burst_of_hints_makes_one_ordinary_run(world: World) -> None:
    """Many webhooks at once (a bulk edit, retries replayed) are handled by the poll, not one
    store call per product: the run is untargeted and reads only what changed."""
    (product,) = await world.load(item("Bulk mug", variant("BULK-1")))
    assert await world.run("catalog") is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        (before,) = await runs.recent_runs(tx, "uk", "catalog", 1)
    await world.shopify("DELETE", "calls")
    hints = [str(product["id"]), *(str(9_000_000 + n) for n in range(MAX_TARGETED))]
    triggers = world.daemon.triggers
    for hint in hints:
        assert triggers.request("uk", "catalog", [hint])

    async def ran() -> bool:
        async with world.daemon.ledger.read() as tx:
            (run,) = await runs.recent_runs(tx, "uk", "catalog", 1)
        return run.run_id != before.run_id and run.outcome is RunOutcome.OK

    await until(ran)
    async with world.daemon.ledger.read() as tx:
        (run,) = await runs.recent_runs(tx, "uk", "catalog", 1)
    assert (
        "reconciled" in run.counts
    )  # set by an ordinary pass only (targeted runs keep no bookmark)

    fetched = await world.shopify("GET", "calls", endpoint="products.get")
    assert fetched["calls"] == []  # no product was read one by one


async def test_a_bulk_finish_webhook_ends_the_connectors_wait_for_that_operation(
    world: World,
) -> None:
    """No job runs for it: the shop's Shopify connector stops waiting for the operation."""
    store = world.spec("inventory").run.store  # the shop's ShopifyClient
    finishes = store._reader.finishes
    operation = "gid://shopify/BulkOperation/5500000099"
    finishes.expect(operation)
    body = json.dumps(
        {
            "admin_graphql_api_id": operation,
            "completed_at": "2026-11-30T10:00:05-05:00",
            "created_at": "2026-11-30T10:00:00-05:00",
            "error_code": None,
            "status": "completed",
            "type": "query",
        }
    ).encode()
    headers = dict(shopify_signed(body), **{"X-Shopify-Topic": "bulk_operations/finish"})
    url = f"{world.daemon.server.url}/webhooks/shopify/uk"
    async with world.session.post(url, data=body, headers=headers) as response:
        assert response.status == 200
    assert await finishes.wait(operation, 0.01) is True
    finishes.done(operation)
