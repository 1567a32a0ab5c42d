"""A full reconcile of 10,000 commercetools products already on TikTok, with nothing changed.

Set-up (not measured): the commercetools simulator holds 10,000 products (one variant each,
stocked at one supply channel), every one mapped; the TikTok simulator lists each as an Active
product with the same seller SKU. Each store product is recorded as linked to its listing (as
in `bench_reconcile.py`), then the inventory and price jobs push every SKU, so the ledger holds
a fully published catalog.

Measured: the reconciliation cursors are aged and `ttsync run --once` runs in its own process:
connect, then full catalog, inventory and price passes that re-read the whole project (queries
of 500, paged by key) and find nothing to change. commercetools publishes no general request
rate limit, so there is no share of a limit to report: the figures are the calls made, the 429
answers (expected 0) and the TikTok write calls (expected 0), at TikTok's 50 requests/s.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

from bench_reconcile import JOBS, RUN_TIMEOUT, WRITES, _job_runs, _link_catalog
from commercetools_support import CommercetoolsHarness, CommercetoolsSetup
from support import force_reconciliation, progress, run_module

from daemon.ledger import Ledger

PRODUCTS = 10_000
VARIANTS = 1
TIKTOK_LIMIT = 50.0


async def main() -> dict[str, float]:
    fast = CommercetoolsSetup(tiktok_rate=100_000.0, map_all=True)
    harness = CommercetoolsHarness(fast, products=PRODUCTS, variants=VARIANTS, listed=True)
    async with harness:
        progress(
            f"{harness.ready['variants']} SKUs in the project, {harness.ready['listed']} "
            "products listed on TikTok; linking and pushing them (limits off) ..."
        )
        await harness.tiktok_rate_limit(0)
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
        store = await harness.store_calls()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            seconds, counts = await _job_runs(ledger)
        finally:
            await ledger.close()
    by_endpoint = Counter(call["endpoint"] for call in store)
    throttled = sum(1 for call in store if call["status"] == 429)  # noqa: PLR2004 HTTP 429
    figures = {
        "ct_reconcile_products": PRODUCTS,
        "ct_reconcile_skus": harness.ready["variants"],
        "ct_reconcile_wall_s": round(measured.wall_s, 1),
        "ct_reconcile_peak_rss_mb": round(measured.peak_rss_mb, 1),
        "ct_reconcile_store_calls": len(store),
        "ct_reconcile_projection_queries": by_endpoint["product_projections.query"],
        "ct_reconcile_inventory_queries": sum(
            n for endpoint, n in by_endpoint.items() if endpoint.startswith("inventory.")
        ),
        "ct_reconcile_token_requests": by_endpoint["oauth.token"],
        "ct_reconcile_store_429_answers": throttled,
        "ct_reconcile_tiktok_calls": sum(tiktok.values()),
        "ct_reconcile_tiktok_write_calls": sum(n for op, n in tiktok.items() if op in WRITES),
        "ct_reconcile_products_changed": counts["inventory"].get("products_changed", 0)
        + counts["price"].get("products_changed", 0),
        "ct_setup_link_and_push_unthrottled_s": round(setup_seconds, 1),
    }
    for job in JOBS:
        figures[f"ct_reconcile_{job}_job_s"] = round(seconds[job], 1)
    return figures
