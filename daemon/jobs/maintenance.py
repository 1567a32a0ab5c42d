"""Daemon-wide upkeep: keep the WAL bounded, forget old runs, refresh queue gauges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, retry, runs, webhooks
from daemon.metrics import Metrics

_DELIVERY_MEMORY = timedelta(days=2)


@dataclass(frozen=True)
class Maintenance:
    ledger: Ledger
    metrics: Metrics
    run_retention: timedelta

    async def __call__(self, ctx: RunContext) -> None:
        pages = await self.ledger.checkpoint()
        ctx.counts["wal_pages_checkpointed"] = pages
        self.metrics.wal_bytes.set(self.ledger.wal_bytes())
        async with self.ledger.transaction() as tx:
            ctx.counts["runs_pruned"] = await runs.prune_runs(tx, ctx.now() - self.run_retention)
            # Platforms stop retrying a delivery within a day (the stores we know: 4 hours).
            ctx.counts["deliveries_pruned"] = await webhooks.prune_deliveries(
                tx, ctx.now() - _DELIVERY_MEMORY
            )
            depth = await retry.depth(tx)
        self.metrics.retry_queue_depth.clear()
        for (shop_id, parked), count in depth.items():
            self.metrics.retry_queue_depth.labels(shop=shop_id, parked=str(parked).lower()).set(
                count
            )
