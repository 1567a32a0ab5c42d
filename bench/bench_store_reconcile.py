"""A full reconcile of 10,000 products / 50,000 SKUs already on TikTok, for the store kinds
without a benchmark of their own (Shopify, WooCommerce and BigCommerce have theirs), through
the neutral harness (`store_harness.py`).

Set-up (not measured, TikTok's limit off): the store simulator generates 10,000 products of 5
variants through its neutral control API; the TikTok simulator lists each as an Active product
with the same seller SKUs. Each store product is recorded as linked to its listing (as in
`bench_reconcile.py`), then the inventory and price jobs push every SKU, so the ledger holds a
fully published catalog.

Measured: the reconciliation cursors are aged and `ttsync run --once` runs in its own process:
connect, then full catalog, inventory and price passes that re-read the whole store and find
nothing to change, at the store simulator's own limits (the platform's documented ones;
Magento documents none) and TikTok's 50 requests/s per endpoint.

Figures per kind: wall time of the process and of each job's run, peak RSS, the store calls
made and the bytes they answered, the 429 answers (expected 0), and the TikTok write calls
(expected 0).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

from bench_reconcile import JOBS, RUN_TIMEOUT, WRITES, _job_runs, _link_catalog
from store_harness import StoreHarness, StoreSetup
from support import force_reconciliation, progress, run_module

from daemon.ledger import Ledger

KINDS = ("magento", "commercetools")
PRODUCTS = 10_000
VARIANTS = 5
TIKTOK_LIMIT = 50.0
UNLIMITED = 100_000.0


async def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    for kind in KINDS:
        figures |= await _reconcile(kind)
    return figures


async def _reconcile(kind: str) -> dict[str, float]:
    fast = StoreSetup(kind, tiktok_rate=UNLIMITED)
    harness = StoreHarness(fast, products=PRODUCTS, variants=VARIANTS, listed=True)
    async with harness:
        progress(
            f"{kind}: {harness.ready['variants']} SKUs in the store, {harness.ready['listed']} "
            "products listed on TikTok; linking and pushing them ..."
        )
        await harness.tiktok_rate_limit(0)
        await harness.start_daemon()
        started = time.perf_counter()
        await harness.run("connect")
        linked = await _link_catalog(harness)
        if linked != PRODUCTS:
            raise RuntimeError(f"{kind}: expected {PRODUCTS} linked products, linked {linked}")
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
        progress(f"{kind}: set-up took {setup_seconds:.0f}s; measuring the full reconcile ...")
        command = ["daemon", "run", "--once", "--config", str(harness.config_path)]
        measured = await run_module(command, RUN_TIMEOUT, harness.directory, f"{kind}-reconcile")
        if measured.returncode != 0:
            detail = (harness.directory / f"{kind}-reconcile.log").read_text()[-3000:]
            raise RuntimeError(f"{kind}: run --once exited {measured.returncode}:\n{detail}")
        tiktok = Counter(call["operation"] for call in await harness.tiktok_calls())
        store = await harness.shopify_calls()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            seconds, counts = await _job_runs(ledger)
        finally:
            await ledger.close()
    throttled = sum(1 for call in store if call["status"] == 429)  # noqa: PLR2004 HTTP 429
    prefix = f"{kind}_reconcile"
    figures: dict[str, float] = {
        f"{prefix}_products": PRODUCTS,
        f"{prefix}_skus": harness.ready["variants"],
        f"{prefix}_wall_s": round(measured.wall_s, 1),
        f"{prefix}_peak_rss_mb": round(measured.peak_rss_mb, 1),
        f"{prefix}_store_calls": len(store),
        f"{prefix}_store_429_answers": throttled,
        f"{prefix}_tiktok_calls": sum(tiktok.values()),
        f"{prefix}_tiktok_write_calls": sum(n for op, n in tiktok.items() if op in WRITES),
        f"{prefix}_products_changed": counts["inventory"].get("products_changed", 0)
        + counts["price"].get("products_changed", 0),
        f"{kind}_setup_link_and_push_s": round(setup_seconds, 1),
    }
    for job in JOBS:
        figures[f"{prefix}_{job}_job_s"] = round(seconds[job], 1)
    return figures
