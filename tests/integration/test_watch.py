"""Failed and blocked records are visible where operators look: one warning per record when it
enters the state (not on every repeat), gauges by status and phase, and the propagation
latency histogram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import structlog
from structlog.testing import capture_logs

from daemon.domain import OrderPhase, ProductStatus, RunOutcome
from daemon.domain.retry import RetryPolicy
from daemon.jobs import RunContext
from daemon.jobs.failures import FailureQueue
from daemon.jobs.watch import Watch, split_reason
from daemon.ledger import Ledger, orders, products, shops
from daemon.ledger.order_flow import move_phase
from daemon.metrics import Metrics
from tests.support.world import World, item, open_world, variant

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def told(events: list[dict], name: str) -> list[dict]:
    return [event for event in events if event["event"] == name]


async def test_a_state_is_told_once_when_entered_and_counted(ledger: Ledger) -> None:
    metrics = Metrics()
    watch = Watch(ledger, metrics, ("uk", "de"))
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", NOW)
        for attempt in range(2):  # a retry failing the same way
            await products.record_failure(
                tx,
                shop_id="uk",
                store_product_id="p1",
                reason="package_weight: the store has no weight",
                now=NOW,
                title=f"Mug {attempt}",
            )
        await orders.upsert_order(
            tx,
            shop_id="uk",
            tiktok_order_id="T1",
            tiktok_status="AWAITING_SHIPMENT",
            tiktok_update_time=1,
            now=NOW,
        )
        for _ in range(2):
            await move_phase(
                tx,
                "T1",
                OrderPhase.BLOCKED,
                allowed_from=[OrderPhase.SEEN, OrderPhase.BLOCKED],
                reason="SKU 77 is not linked to a store variant",
                now=NOW,
                blocked_kind="unlinked",
            )
    with capture_logs() as events:
        await watch.after_run()
        await watch.after_run()  # nothing new: nothing told
    (product,) = told(events, "product_failed")
    assert (product["shop"], product["id"], product["field"]) == ("uk", "p1", "package_weight")
    assert product["reason"] == "the store has no weight"
    assert product["log_level"] == "warning"
    (order,) = told(events, "order_blocked")
    assert (order["id"], order["state"], order["previous"]) == ("T1", "blocked", "seen")

    sample = metrics.registry.get_sample_value
    assert sample("ttsync_products", {"shop": "uk", "status": "failed_to_sync"}) == 1
    assert sample("ttsync_products", {"shop": "de", "status": "active"}) == 0
    assert sample("ttsync_orders", {"shop": "uk", "phase": "blocked"}) == 1
    assert sample("ttsync_orders_blocked", {"shop": "uk", "cause": "unlinked"}) == 1

    async with ledger.transaction() as tx:  # review fails later: a new state, told again
        await products.set_product_status(
            tx,
            shop_id="uk",
            store_product_id="p1",
            status=ProductStatus.FAILED_REVIEW,
            reason="Image is blurry",
            now=NOW,
        )
    with capture_logs() as events:
        await watch.after_run()
    (review,) = told(events, "product_failed")
    assert (review["state"], review["previous"], review["field"]) == (
        "failed_review",
        "failed_to_sync",
        None,
    )
    assert sample("ttsync_products", {"shop": "uk", "status": "failed_to_sync"}) == 0


def test_split_reason() -> None:
    assert split_reason("seller_sku: missing") == ("seller_sku", "missing")
    assert split_reason("TikTok Shop code 1 (x): y") == (None, "TikTok Shop code 1 (x): y")
    assert split_reason(None) == (None, "no reason recorded")


@pytest.fixture
async def world(simulated_config: Path) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        yield opened


async def test_the_daemon_tells_a_failing_product_once_and_times_propagation(
    world: World,
) -> None:
    (failing,) = await world.load(item("Mug without code", variant("NOCODE-1", barcode=None)))
    (stocked,) = await world.load(item("Stocked mug", variant("STOCK-1", stock=100)))
    with capture_logs() as events:
        assert await world.run("catalog") is RunOutcome.OK
        # looked at again (a webhook's targeted run): it fails the same way, and is not told
        assert await world.run("catalog", frozenset({str(failing["id"])})) is RunOutcome.OK
    runs = told(events, "job_run")
    assert [run.get("product_failed", 0) for run in runs[-2:]] == [1, 1]
    (failed,) = told(events, "product_failed")
    assert failed["skus"] == ["NOCODE-1"]
    assert "NOCODE-1" in failed["reason"]

    await world.finish_reviews()
    await world.run("catalog")  # listed with the stock its read carried
    level = {"inventory_item_id": stocked["variants"][0]["inventory_item_id"], "available": 60}
    await world.shopify("POST", "inventory", {"levels": [level]})
    assert await world.run("inventory") is RunOutcome.OK
    sample = world.daemon.metrics.registry.get_sample_value
    pushed = sample("ttsync_propagation_seconds_count", {"shop": "uk", "job": "inventory"})
    created = sample("ttsync_propagation_seconds_count", {"shop": "uk", "job": "catalog"})
    assert pushed is not None
    assert pushed >= 1
    assert created == 1  # the good mug's listing
    assert sample("ttsync_products", {"shop": "uk", "status": "failed_to_sync"}) == 1


async def test_a_record_entering_the_retry_queue_is_told_once(ledger: Ledger) -> None:
    queue = FailureQueue(RetryPolicy(timedelta(minutes=1), timedelta(hours=1), 5), Metrics())
    ctx = RunContext("uk", "price", "run-1", lambda: NOW, structlog.get_logger())
    with capture_logs() as events:
        for _ in range(3):  # the first failure and two retries failing the same way
            async with ledger.transaction() as tx:
                await queue.failed(tx, ctx, "sku", "v1", "price out of range", field_name="price")
        async with ledger.transaction() as tx:
            await queue.succeeded(tx, ctx, "sku", "v1")
            await queue.failed(tx, ctx, "sku", "v1", "price out of range", field_name="price")
    told = [e for e in events if e["event"] == "record_failed"]
    assert len(told) == 2  # on entering the queue, and on entering it again after a success
    assert (told[0]["entity"], told[0]["id"], told[0]["field"], told[0]["log_level"]) == (
        "sku",
        "v1",
        "price",
        "warning",
    )
