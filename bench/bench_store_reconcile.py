"""A full reconcile of 10,000 products / 50,000 SKUs already on TikTok, for every store kind in
`store_kinds.KINDS` (WooCommerce, BigCommerce, Magento, commercetools; Shopify has
`bench_reconcile.py`), through the neutral harness (`store_harness.py`).

Set-up (not measured, limits off): the store simulator generates 10,000 products of 5
variants through its neutral control API; the TikTok simulator lists each as an Active product
with the same seller SKUs. Each store product is recorded as linked to its listing (as in
`bench_reconcile.py`), then the inventory and price jobs push every SKU, so the ledger holds a
fully published catalog.

Measured: the reconciliation cursors are aged and `ttsync run --once` runs in its own process:
connect, then full catalog, inventory and price passes that re-read the whole store and find
nothing to change, at TikTok's 50 requests/s per endpoint and the store's own limits: a kind
with a documented request window (BigCommerce: 150 calls per 30 s) has it enforced by its
simulator from a fresh window as the run starts, and its connector told the quota (it paces by
the answers' rate headers, keeping its default reserve for other apps); the others document
none (WooCommerce core, Magento, commercetools).

Figures per kind (``<kind>_reconcile_*``): wall time of the process and of each job's run, peak
RSS (beside it that of `ttsync check-config`, which imports the daemon and runs nothing), the
store calls made, the 429 answers (expected 0), the TikTok calls and write calls (expected 0),
the products changed (expected 0), the set-up's time; the kind's counted endpoints
(WooCommerce: variation reads, one per variable product, as core has no catalog-wide list);
for a windowed store, the quota and the share of the quota of the windows the run spanned
that the run used.
"""

from __future__ import annotations

import math
import time
from collections import Counter

from bench_reconcile import JOBS, WRITES, _job_runs, _link_catalog
from store_harness import StoreHarness, StoreSetup
from store_kinds import KINDS, KindBench, scaled
from support import ChildRun, force_reconciliation, progress, run_module

from daemon.ledger import Ledger

PRODUCTS = scaled(10_000)
VARIANTS = 5
TIKTOK_LIMIT = 50.0
UNLIMITED = 100_000.0
UNLIMITED_CALLS = 1_000_000_000
RUN_TIMEOUT = 1200.0  # WooCommerce reads every variable product's variations one call each


async def main() -> dict[str, float]:
    figures: dict[str, float] = {}
    for entry in KINDS.values():
        figures |= await _reconcile(entry)
    return figures


def _setup(entry: KindBench, *, limited: bool) -> StoreSetup:
    """The config of the set-up (`limited` False: limits off) or of the measured run."""
    store: dict[str, object] = {}
    if entry.window is not None:
        store[entry.window.config_key] = entry.window.quota if limited else UNLIMITED_CALLS
    rate = TIKTOK_LIMIT if limited else UNLIMITED
    return StoreSetup(entry.kind, tiktok_rate=rate, store=store)


async def _reconcile(entry: KindBench) -> dict[str, float]:
    kind = entry.kind
    harness = StoreHarness(
        _setup(entry, limited=False), products=PRODUCTS, variants=VARIANTS, listed=True
    )
    async with harness:
        progress(
            f"{kind}: {harness.ready['variants']} SKUs in the store, {harness.ready['listed']} "
            "products listed on TikTok; linking and pushing them (limits off) ..."
        )
        await harness.tiktok_rate_limit(0)
        await harness.store_window(UNLIMITED_CALLS, 30)
        await harness.store_webhooks(on=False)
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
        harness.rewrite_config(_setup(entry, limited=True))
        await harness.forget_calls()
        if entry.window is not None:  # a fresh window as the run starts
            await harness.store_window(entry.window.quota, entry.window.seconds)
        progress(f"{kind}: set-up took {setup_seconds:.0f}s; measuring the full reconcile ...")
        measured = await _run(harness, ["run", "--once"], f"{kind}-reconcile")
        tiktok = Counter(call["operation"] for call in await harness.tiktok_calls())
        store = await harness.shopify_calls()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            seconds, counts = await _job_runs(ledger)
        finally:
            await ledger.close()
        baseline = await _run(harness, ["check-config"], f"{kind}-baseline")
    by_endpoint = Counter(call["endpoint"] for call in store)
    by_status = Counter(call["status"] for call in store)
    prefix = f"{kind}_reconcile"
    figures: dict[str, float] = {
        f"{prefix}_products": PRODUCTS,
        f"{prefix}_skus": harness.ready["variants"],
        f"{prefix}_wall_s": round(measured.wall_s, 1),
        f"{prefix}_peak_rss_mb": round(measured.peak_rss_mb, 1),
        f"{prefix}_import_baseline_rss_mb": round(baseline.peak_rss_mb, 1),
        f"{prefix}_store_calls": len(store),
        f"{prefix}_store_429_answers": by_status[429],
        f"{prefix}_tiktok_calls": sum(tiktok.values()),
        f"{prefix}_tiktok_write_calls": sum(n for op, n in tiktok.items() if op in WRITES),
        f"{prefix}_products_changed": counts["inventory"].get("products_changed", 0)
        + counts["price"].get("products_changed", 0),
        f"{kind}_setup_link_and_push_s": round(setup_seconds, 1),
    }
    for name, endpoint in entry.counted.items():
        figures[f"{prefix}_{name}"] = by_endpoint[endpoint]
    if entry.window is not None:
        # The quota of the windows the run spanned (the first began as it started).
        allowed = entry.window.quota * math.ceil(measured.wall_s / entry.window.seconds)
        figures[f"{prefix}_quota_per_window"] = entry.window.quota
        figures[f"{prefix}_window_s"] = entry.window.seconds
        figures[f"{prefix}_quota_share_used"] = round(len(store) / allowed, 2)
    for job in JOBS:
        figures[f"{prefix}_{job}_job_s"] = round(seconds[job], 1)
    return figures


async def _run(harness: StoreHarness, command: list[str], name: str) -> ChildRun:
    """``ttsync COMMAND --config ...`` in its own process; a failure stops the benchmark."""
    args = ["daemon", *command, "--config", str(harness.config_path)]
    measured = await run_module(args, RUN_TIMEOUT, harness.directory, name)
    if measured.returncode != 0:
        detail = (harness.directory / f"{name}.log").read_text()[-3000:]
        raise RuntimeError(f"{name}: {' '.join(command)} exited {measured.returncode}:\n{detail}")
    return measured
