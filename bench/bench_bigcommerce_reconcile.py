"""A full reconcile of 10,000 BigCommerce products / 50,000 SKUs already on TikTok, at
BigCommerce's documented rate limit.

Set-up (not measured, limits off): the BigCommerce simulator holds 10,000 products of 5
variants, every one mapped; the TikTok simulator lists each as an Active product with the same
seller SKUs. Each store product is recorded as linked to its listing (as in
`bench_reconcile.py`), then the inventory and price jobs push every SKU, so the ledger holds a
fully published catalog.

Measured: the reconciliation cursors are aged and `ttsync run --once` runs in its own process:
connect, then full catalog, inventory and price passes that re-read the whole store and find
nothing to change. The BigCommerce simulator counts calls in its fixed window at the Standard
and Plus plans' documented 150 per 30 s, and the connector paces by the `X-Rate-Limit-*`
headers (keeping its default reserve of 5 for other apps); TikTok at 50 requests/s per
endpoint.

Figures: wall time of the process and of each job's run, peak RSS, the BigCommerce calls made,
the share of the quota of the windows the run spanned that they used (the first window begins
as the run starts), the 429 answers (expected 0) and the TikTok write calls (expected 0).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import replace

from bench_reconcile import (
    JOBS,
    RUN_TIMEOUT,
    WRITES,
    _job_runs,
    _link_catalog,
)
from bigcommerce_support import BigCommerceHarness, BigCommerceSetup
from support import force_reconciliation, progress, run_module

from daemon.ledger import Ledger

PRODUCTS = 10_000
VARIANTS = 5
QUOTA = 150  # BigCommerce Standard and Plus: calls per 30-second window
WINDOW_S = 30
TIKTOK_LIMIT = 50.0
UNLIMITED = 1_000_000_000


async def main() -> dict[str, float]:
    fast = BigCommerceSetup(
        requests_quota=UNLIMITED, tiktok_rate=100_000.0, webhooks=False, map_all=True
    )
    harness = BigCommerceHarness(fast, products=PRODUCTS, variants=VARIANTS, listed=True)
    async with harness:
        progress(
            f"{harness.ready['variants']} SKUs in the store, {harness.ready['listed']} "
            "products listed on TikTok; linking and pushing them (limits off) ..."
        )
        await harness.tiktok_rate_limit(0)
        await harness.store_window(UNLIMITED)
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
        harness.rewrite_config(replace(fast, requests_quota=QUOTA, tiktok_rate=TIKTOK_LIMIT))
        await harness.forget_calls()
        await harness.store_window(QUOTA, WINDOW_S * 1000)  # a fresh window as the run starts
        progress(
            f"set-up took {setup_seconds:.0f}s; measuring the full reconcile "
            f"(BigCommerce {QUOTA} per {WINDOW_S} s, TikTok {TIKTOK_LIMIT:g}/s) ..."
        )
        command = ["daemon", "run", "--once", "--config", str(harness.config_path)]
        measured = await run_module(command, RUN_TIMEOUT, harness.directory, "reconcile")
        if measured.returncode != 0:
            detail = (harness.directory / "reconcile.log").read_text()[-3000:]
            raise RuntimeError(f"run --once exited {measured.returncode}:\n{detail}")
        tiktok = Counter(call["operation"] for call in await harness.tiktok_calls())
        store = await harness.store_calls()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            seconds, counts = await _job_runs(ledger)
        finally:
            await ledger.close()
        baseline = await run_module(
            ["daemon", "check-config", "--config", str(harness.config_path)],
            RUN_TIMEOUT,
            harness.directory,
            "baseline",
        )
    throttled = sum(1 for call in store if call["status"] == 429)  # noqa: PLR2004 HTTP 429
    # The quota of the windows the run spanned (the first began as it started).
    allowed = QUOTA * math.ceil(measured.wall_s / WINDOW_S)
    figures = {
        "bc_reconcile_products": PRODUCTS,
        "bc_reconcile_skus": harness.ready["variants"],
        "bc_reconcile_wall_s": round(measured.wall_s, 1),
        "bc_reconcile_peak_rss_mb": round(measured.peak_rss_mb, 1),
        "bc_reconcile_import_baseline_rss_mb": round(baseline.peak_rss_mb, 1),
        "bc_reconcile_store_calls": len(store),
        "bc_reconcile_quota_per_30s": QUOTA,
        "bc_reconcile_quota_share_used": round(len(store) / allowed, 2),
        "bc_reconcile_store_429_answers": throttled,
        "bc_reconcile_tiktok_calls": sum(tiktok.values()),
        "bc_reconcile_tiktok_write_calls": sum(n for op, n in tiktok.items() if op in WRITES),
        "bc_reconcile_products_changed": counts["inventory"].get("products_changed", 0)
        + counts["price"].get("products_changed", 0),
        "bc_setup_link_and_push_unthrottled_s": round(setup_seconds, 1),
    }
    for job in JOBS:
        figures[f"bc_reconcile_{job}_job_s"] = round(seconds[job], 1)
    return figures
