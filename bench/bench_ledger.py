"""Ledger and job-runner costs: what one committed business step costs on this disk."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from daemon.jobs import HealthBoard, JobRunner, JobSpec, RunContext
from daemon.ledger import Ledger, cursors, products, pushed, shops
from daemon.metrics import Metrics

COMMITS = 1_000
ROWS = 50_000
RUNS = 500


def now() -> datetime:
    return datetime.now(UTC)


async def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        ledger = await Ledger.open(Path(directory) / "bench.sqlite3")
        try:
            return await _measure(ledger)
        finally:
            await ledger.close()


async def _measure(ledger: Ledger) -> dict[str, float]:
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "bench", "shopify", now())

    latencies = []
    for i in range(COMMITS):
        started = time.perf_counter()
        async with ledger.transaction() as tx:
            await cursors.set_cursor(tx, "bench", "orders", str(i), now())
        latencies.append(time.perf_counter() - started)
    latencies.sort()

    started = time.perf_counter()
    async with ledger.transaction() as tx:
        for p in range(ROWS // 5):
            await products.upsert_product(
                tx,
                shop_id="bench",
                store_product_id=f"p{p}",
                title="t",
                category_id="1",
                store_updated_at=None,
                now=now(),
            )
            for v in range(5):
                await products.upsert_sku(
                    tx,
                    shop_id="bench",
                    store_variant_id=f"p{p}v{v}",
                    store_product_id=f"p{p}",
                    seller_sku=None,
                    now=now(),
                )
    sku_seconds = time.perf_counter() - started
    quantities = {(f"p{p}v{v}", "wh"): p % 100 for p in range(ROWS // 5) for v in range(5)}
    started = time.perf_counter()
    async with ledger.transaction() as tx:
        await pushed.record_quantities(tx, "bench", quantities, now())
    pushed_seconds = time.perf_counter() - started
    started = time.perf_counter()
    async with ledger.read() as tx:
        loaded = await pushed.pushed_quantities(tx, "bench")
    load_seconds = time.perf_counter() - started
    assert len(loaded) == ROWS

    async def empty(ctx: RunContext) -> None:
        ctx.ok("noop", "1")

    runner = JobRunner(ledger, Metrics(), HealthBoard(), now)
    spec = JobSpec("bench", "noop", empty, timedelta(minutes=1))
    started = time.perf_counter()
    for _ in range(RUNS):
        await runner.run(spec)
    run_seconds = time.perf_counter() - started

    return {
        "ledger_commit_p50_ms": round(statistics.median(latencies) * 1000, 3),
        "ledger_commit_p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 3),
        "ledger_commits_per_s": round(COMMITS / sum(latencies), 1),
        "ledger_sku_upserts_per_s": round(ROWS / sku_seconds),
        "ledger_pushed_rows_per_s": round(ROWS / pushed_seconds),
        "ledger_load_50k_pushed_ms": round(load_seconds * 1000, 1),
        "job_runner_overhead_ms": round(run_seconds / RUNS * 1000, 3),
    }
