"""WooCommerce: a full reconcile of 10,000 products with nothing changed, and stock-change
propagation to TikTok by webhook and by polling.

Reconcile: as `bench_reconcile.py` for Shopify, against the WooCommerce simulator: 10,000
variable products of 5 variations (50,000 SKUs), every one already listed on TikTok and linked
and pushed during an unmeasured set-up; then `ttsync run --once` in its own process with the
reconciliation cursors aged, so the catalog, inventory and price jobs each read the whole store
and find nothing to change. WooCommerce core documents no rate limit (and sends no rate
headers), so the store is not throttled; the figure to watch is its calls: each pass reads 100
products a page and the variations of every variable product (one call each, `concurrency`
at a time), because core WooCommerce has no catalog-wide variation list. TikTok is at 50/s.

Latency: a small published catalog; each sample sets one variation's stock through the
simulator's `/_sim/items/{id}/stock` (a value never used before, on a tracked item without
backorders) and waits for TikTok's Update Inventory call carrying it, as `bench_latency.py`
measures Shopify: by webhook (`product.updated`, debounce 50 ms) and by polling (no webhooks,
the inventory job every 2 s, changes at random moments of the cycle).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial

from bench_latency import Target, _arrival
from bench_reconcile import WRITES, _job_runs, _link_catalog
from support import SHOP, force_reconciliation, percentile, progress, run_module, wait_until
from woo_harness import WooHarness, WooSetup

from daemon.ledger import Ledger, stock
from daemon.runtime.scheduler import Scheduler

PRODUCTS = int(os.environ.get("WOO_BENCH_PRODUCTS", "10000"))
VARIANTS = 5
TIKTOK_LIMIT = 50.0
UNLIMITED = 100_000.0
RUN_TIMEOUT = 1200.0
LATENCY_PRODUCTS = 24
LATENCY_VARIANTS = 3
SAMPLES = 30
DEBOUNCE_MS = 50
POLL_INTERVAL_S = 2
SETTLE_S = 3.0
SAMPLE_TIMEOUT_S = 15.0
GAP_S = 0.5


async def main() -> dict[str, float]:
    figures = await reconcile()
    progress(f"webhook path ({SAMPLES} samples, debounce {DEBOUNCE_MS} ms) ...")
    webhook = await _latencies(
        WooSetup(webhook_debounce=f"{DEBOUNCE_MS}ms", map_all=True), webhooks=True
    )
    progress(f"polling path ({SAMPLES} samples, inventory every {POLL_INTERVAL_S}s) ...")
    polling_setup = WooSetup(
        webhooks=False, schedules={"inventory": f"{POLL_INTERVAL_S}s"}, map_all=True
    )
    polling = await _latencies(polling_setup, webhooks=False)
    return {
        **figures,
        "woo_webhook_latency_p50_ms": round(statistics.median(webhook), 1),
        "woo_webhook_latency_p95_ms": round(percentile(webhook, 0.95), 1),
        "woo_webhook_samples": len(webhook),
        "woo_poll_latency_p50_ms": round(statistics.median(polling), 1),
        "woo_poll_latency_p95_ms": round(percentile(polling, 0.95), 1),
        "woo_poll_samples": len(polling),
        "woo_poll_interval_s": POLL_INTERVAL_S,
    }


async def reconcile() -> dict[str, float]:
    fast = WooSetup(tiktok_rate=UNLIMITED, webhooks=False, map_all=True)
    async with WooHarness(fast, products=PRODUCTS, variants=VARIANTS, listed=True) as harness:
        progress(
            f"{harness.ready['variants']} SKUs in WooCommerce, {harness.ready['listed']} listed on "
            "TikTok; linking and pushing them (limits off) ..."
        )
        await harness.tiktok_rate_limit(0)
        await harness.store_webhooks(on=False)
        await harness.start_daemon()
        started = time.perf_counter()
        await harness.run("connect")
        linked = await _link_catalog(harness)
        if linked != PRODUCTS:
            raise RuntimeError(f"expected {PRODUCTS} linked products, linked {linked}")
        await harness.run("inventory")
        await harness.run("price")
        setup_seconds = time.perf_counter() - started
        await harness.stop_daemon()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            await force_reconciliation(ledger)
        finally:
            await ledger.close()
        await harness.tiktok_rate_limit(TIKTOK_LIMIT)
        harness.rewrite_config(replace(fast, tiktok_rate=TIKTOK_LIMIT))
        await harness.forget_calls()
        progress(f"set-up took {setup_seconds:.0f}s; measuring the full reconcile ...")
        command = ["daemon", "run", "--once", "--config", str(harness.config_path)]
        measured = await run_module(command, RUN_TIMEOUT, harness.directory, "reconcile")
        if measured.returncode != 0:
            detail = (harness.directory / "reconcile.log").read_text()[-3000:]
            raise RuntimeError(f"run --once exited {measured.returncode}:\n{detail}")
        tiktok = Counter(call["operation"] for call in await harness.tiktok_calls())
        store_calls = await harness.shopify_calls(limit="1000000")
        ledger = await Ledger.open(harness.ledger_path)
        try:
            seconds, counts = await _job_runs(ledger)
        finally:
            await ledger.close()
    by_endpoint = Counter(call["endpoint"] for call in store_calls)
    return {
        "woo_reconcile_products": PRODUCTS,
        "woo_reconcile_skus": harness.ready["variants"],
        "woo_reconcile_wall_s": round(measured.wall_s, 1),
        "woo_reconcile_catalog_job_s": round(seconds["catalog"], 1),
        "woo_reconcile_inventory_job_s": round(seconds["inventory"], 1),
        "woo_reconcile_price_job_s": round(seconds["price"], 1),
        "woo_reconcile_peak_rss_mb": round(measured.peak_rss_mb, 1),
        "woo_reconcile_store_calls": len(store_calls),
        "woo_reconcile_store_variation_calls": by_endpoint["variations.list"],
        "woo_reconcile_store_429_answers": sum(1 for c in store_calls if c["status"] == 429),  # noqa: PLR2004 HTTP 429
        "woo_reconcile_tiktok_calls": sum(tiktok.values()),
        "woo_reconcile_tiktok_write_calls": sum(n for op, n in tiktok.items() if op in WRITES),
        "woo_reconcile_products_changed": counts["inventory"].get("products_changed", 0)
        + counts["price"].get("products_changed", 0),
        "woo_setup_link_and_push_s": round(setup_seconds, 1),
    }


async def _latencies(setup: WooSetup, *, webhooks: bool) -> list[float]:
    async with WooHarness(setup, products=LATENCY_PRODUCTS, variants=LATENCY_VARIANTS) as harness:
        await harness.store_webhooks(on=False)  # while publishing
        await harness.start_daemon()
        await harness.publish_and_activate()
        async with harness.daemon.ledger.read() as tx:
            linked = await stock.linked_skus(tx, SHOP)
        targets = [
            Target(sku.stock_key, sku.tiktok_product_id, sku.tiktok_sku_id)
            for sku in linked
            if sku.tracked and not sku.continue_selling and sku.stock_key
        ]
        await harness.store_webhooks(on=webhooks)
        scheduler = Scheduler(harness.daemon.runner, harness.daemon.specs)
        scheduler.start(datetime.now(UTC))
        try:
            await asyncio.sleep(SETTLE_S)
            return await _samples(harness, targets, webhooks=webhooks)
        finally:
            await scheduler.drain(timedelta(seconds=5))


async def _samples(harness: WooHarness, targets: list[Target], *, webhooks: bool) -> list[float]:
    rng = random.Random(1)  # a repeatable spread of change times
    offset = await harness.tiktok_clock_offset()
    latencies = []
    for index in range(SAMPLES):
        target = targets[index % len(targets)]
        quantity = 5_000 + index
        await asyncio.sleep(GAP_S if webhooks else rng.uniform(0, POLL_INTERVAL_S))
        sent = time.time() + offset
        await harness.shopify_control(
            "POST", f"items/{target.inventory_item_id}/stock", {"quantity": quantity}
        )
        arrival = partial(_arrival, harness, target, quantity, sent)
        received = await wait_until(arrival, SAMPLE_TIMEOUT_S, poll_s=0.01)
        latencies.append((received - sent) * 1000)
    return latencies
