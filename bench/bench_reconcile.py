"""A full reconcile with nothing changed: 10,000 products / 50,000 SKUs, then 20,000 / 100,000,
already on TikTok.

Set-up (not measured, limits off): the Shopify simulator holds N products of 5 variants,
every one mapped; the TikTok simulator already lists each as an Active product with the same
seller SKUs. Each store product is recorded as linked to its listing with the catalog job's own
recording functions (`_link_catalog`; the catalog job's link path itself looks up every linked
product for each product it links, quadratic in the catalog size, too slow to set up 10,000),
then the daemon's inventory and price jobs push every SKU's stock and price, so the ledger holds
a fully published catalog.

Measured: the reconciliation cursors are aged (what the daily `reconcile_every` does) and the
daemon runs `ttsync run --once` in a process of its own: connect, then full catalog, inventory
and price passes that find nothing to change. The store is read whole once, by the catalog's
pass (one Admin GraphQL bulk operation whose products carry their stock levels); the inventory
and price passes then read only what changed since that pass began. Limits during the
measured run are realistic: the TikTok simulator and client at 50 requests/s per endpoint,
Shopify GraphQL at the Standard plan's 100 points/s (a 2,000-point bucket, DOMAIN.md 12.3),
the client pacing itself at 100/s too.

Figures per size: the wall time of that process and of each job's run (from the ledger's run
records), its peak RSS (the kernel's VmHWM of that process, see bench/peak_rss.py; next to it
the same for `ttsync check-config`, which imports the daemon and runs nothing), the Shopify
calls it made and the points they cost, and the TikTok write calls (expected 0). Before the
move to GraphQL (REST at the Plus plan's 20 calls/s), 10,000 / 50,000 took 69.7 s.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import structlog
from support import SHOP, Harness, Setup, force_reconciliation, last_counts, progress, run_module

from daemon.domain.categories import match_category
from daemon.domain.listing import ListedSku, Listing
from daemon.domain.models import Product
from daemon.jobs.catalog import Catalog
from daemon.jobs.recording import record_listing, record_store_product
from daemon.jobs.reviews import REVIEW_BOOKMARK
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, cursors, runs

LOG = structlog.get_logger("bench.reconcile")

# Products per measured size (5 variants each); BENCH_RECONCILE_SIZES=20000 runs one.
SIZES = tuple(int(n) for n in os.environ.get("BENCH_RECONCILE_SIZES", "10000,20000").split(","))
VARIANTS = 5
SHOPIFY_POINTS = 100.0  # Shopify Standard GraphQL: points per second
SHOPIFY_LEAK = 2.0  # Shopify Standard REST (the order side, idle here)
SHOPIFY_BUCKET = 40
TIKTOK_LIMIT = 50.0
UNLIMITED = 100_000.0
RUN_TIMEOUT = 600.0
WRITES = frozenset(
    {
        "update_inventory",
        "update_price",
        "create_product",
        "edit_product",
        "partial_edit_product",
        "upload_product_image",
        "activate_products",
        "deactivate_products",
    }
)
JOBS = ("catalog", "inventory", "price")


async def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    for products in SIZES:
        figures.update(await _size(products))
    return figures


async def _size(products: int) -> dict[str, float]:
    fast = Setup(
        restore_rate=UNLIMITED,
        tiktok_rate=UNLIMITED,
        webhooks=False,
        map_all=True,
    )
    harness = Harness(fast, products=products, variants=VARIANTS, listed=True)
    async with harness:
        progress(
            f"{harness.ready['variants']} SKUs in the store, {harness.ready['listed']} "
            "products listed on TikTok; linking and pushing them (limits off) ..."
        )
        await harness.tiktok_rate_limit(0)
        await harness.shopify_bucket(
            size=int(UNLIMITED), leak_rate=UNLIMITED, restore_rate=UNLIMITED
        )
        await harness.shopify_webhooks(on=False)
        await harness.start_daemon()
        started = time.perf_counter()
        await harness.run("connect")
        linked = await _link_catalog(harness)
        if linked != products:
            raise RuntimeError(f"expected {products} linked products, linked {linked}")
        await harness.run("inventory")
        await harness.run("price")
        setup_seconds = time.perf_counter() - started
        await harness.stop_daemon()

        ledger = await Ledger.open(harness.ledger_path)
        try:
            await force_reconciliation(ledger)
            # A daemon that has been running follows TikTok's review from a recent mark. The
            # set-up linked by hand and pushed every listing's stock and price just now; the
            # mark is set past those pushes and the overlap, as after a quiet while (TikTok's
            # search stops at 10,000 results, fewer than 20,000 listings just touched).
            async with ledger.transaction() as tx:
                now = datetime.now(UTC)
                mark = now + timedelta(minutes=10)
                await cursors.set_cursor(tx, SHOP, REVIEW_BOOKMARK, mark.isoformat(), now)
        finally:
            await ledger.close()
        await harness.tiktok_rate_limit(TIKTOK_LIMIT)
        await harness.shopify_bucket(
            size=SHOPIFY_BUCKET, leak_rate=SHOPIFY_LEAK, restore_rate=SHOPIFY_POINTS
        )
        harness.rewrite_config(
            replace(
                fast,
                restore_rate=SHOPIFY_POINTS,
                tiktok_rate=TIKTOK_LIMIT,
            )
        )
        await harness.forget_calls()
        progress(
            f"set-up took {setup_seconds:.0f}s; measuring the full reconcile "
            f"(Shopify {SHOPIFY_POINTS:g} points/s, TikTok {TIKTOK_LIMIT:g}/s) ..."
        )
        command = ["daemon", "run", "--once", "--config", str(harness.config_path)]
        measured = await run_module(command, RUN_TIMEOUT, harness.directory, "reconcile")
        if measured.returncode != 0:
            detail = (harness.directory / "reconcile.log").read_text()[-3000:]
            raise RuntimeError(f"run --once exited {measured.returncode}:\n{detail}")
        tiktok = Counter(call["operation"] for call in await harness.tiktok_calls())
        shopify = await harness.shopify_calls()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            seconds, counts = await _job_runs(ledger)
        finally:
            await ledger.close()
        # The same interpreter, the daemon imported but nothing run: `ttsync check-config`.
        baseline = await run_module(
            ["daemon", "check-config", "--config", str(harness.config_path)],
            RUN_TIMEOUT,
            harness.directory,
            "baseline",
        )
        bucket = await harness.shopify_control("GET", "bucket")
    throttled = sum(1 for call in shopify if call["status"] == 429)  # noqa: PLR2004 HTTP 429
    key = f"reconcile_{products // 1000}k"
    return {
        f"{key}_products": products,
        f"{key}_skus": harness.ready["variants"],
        f"{key}_wall_s": round(measured.wall_s, 1),
        f"{key}_catalog_job_s": round(seconds["catalog"], 1),
        f"{key}_inventory_job_s": round(seconds["inventory"], 1),
        f"{key}_price_job_s": round(seconds["price"], 1),
        f"{key}_peak_rss_mb": round(measured.peak_rss_mb, 1),
        f"{key}_import_baseline_rss_mb": round(baseline.peak_rss_mb, 1),
        f"{key}_shopify_calls": len(shopify),
        f"{key}_shopify_graphql_throttled": int(bucket["graphql"]["throttled"]),
        f"{key}_shopify_429_answers": throttled,
        f"{key}_shopify_points_per_s": SHOPIFY_POINTS,
        f"{key}_tiktok_limit_per_s": TIKTOK_LIMIT,
        f"{key}_tiktok_calls": sum(tiktok.values()),
        f"{key}_tiktok_write_calls": sum(n for op, n in tiktok.items() if op in WRITES),
        f"{key}_products_changed": counts["inventory"].get("products_changed", 0)
        + counts["price"].get("products_changed", 0),
        f"{key}_setup_link_and_push_unthrottled_s": round(setup_seconds, 1),
    }


async def _link_catalog(harness: Harness) -> int:
    """Record every store product as linked to the listing with its seller SKUs, as the catalog
    job's link path does (`record_store_product`, then `record_listing` matching by seller SKU).
    """
    catalog = harness.spec("catalog").run
    assert isinstance(catalog, Catalog)
    ledger = harness.daemon.ledger
    ctx = RunContext(SHOP, "catalog", uuid.uuid4().hex, lambda: datetime.now(UTC), LOG)
    by_seller_sku: dict[str, Listing] = {}
    # TikTok's product search stops at 10,000 results: the set-up reads the simulator instead.
    state = await harness.tiktok_control("GET", "state")
    for raw in state["products"]:
        listing = Listing(
            product_id=str(raw["id"]),
            status=str(raw["status"]),
            skus=tuple(
                ListedSku(str(sku["id"]), sku.get("seller_sku"), None) for sku in raw["skus"]
            ),
        )
        for sku in listing.skus:
            by_seller_sku[sku.seller_sku or ""] = listing
    linked = 0
    async for product in catalog.store.products():
        if not isinstance(product, Product):
            continue
        match = match_category(product, catalog.options.categories)
        listing = by_seller_sku.get(product.variants[0].sku or "")
        if match is None or listing is None:
            continue
        async with ledger.transaction() as tx:
            await record_store_product(tx, ctx, product, match)
            await record_listing(tx, ctx, product, listing, links=None, category=None)
        linked += 1
    return linked


async def _job_runs(ledger: Ledger) -> tuple[dict[str, float], dict[str, dict[str, int]]]:
    """Each measured job's run time and counts, from the ledger's run records."""
    seconds: dict[str, float] = {}
    counts: dict[str, dict[str, int]] = {}
    async with ledger.read() as tx:
        for job in JOBS:
            (last,) = await runs.recent_runs(tx, SHOP, job, limit=1)
            assert last.finished_at is not None
            seconds[job] = (last.finished_at - last.started_at).total_seconds()
            if not last.counts.get("reconciled"):
                raise RuntimeError(f"the measured {job} run was not a full pass: {last.counts}")
    for job in JOBS:
        counts[job] = await last_counts(ledger, job)
    return seconds, counts
