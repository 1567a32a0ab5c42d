from __future__ import annotations

from datetime import timedelta

import structlog
from structlog.testing import capture_logs

from daemon.domain.retry import RetryPolicy
from daemon.jobs import RunContext
from daemon.jobs.failures import FailureQueue
from daemon.ledger import Ledger, retry
from daemon.metrics import Metrics


async def test_failures_back_off_park_with_metric_and_resolve(ledger: Ledger, clock) -> None:
    metrics = Metrics()
    queue = FailureQueue(RetryPolicy(timedelta(minutes=1), timedelta(hours=1), 3), metrics)
    ctx = RunContext("uk", "orders", "run-1", clock, structlog.get_logger())
    with capture_logs() as logs:
        for _ in range(4):
            async with ledger.transaction() as tx:
                entry = await queue.failed(
                    tx, ctx, "order", "576", "SKU X is not linked", field_name="sku"
                )
    assert (entry.attempts, entry.parked) == (4, True)
    assert entry.last_error == "sku: SKU X is not linked"
    assert [log["event"] for log in logs].count("record_parked") == 1
    parked = metrics.registry.get_sample_value(
        "ttsync_records_parked_total", {"shop": "uk", "job": "orders"}
    )
    assert parked == 1.0
    assert len(ctx.results) == 4
    async with ledger.transaction() as tx:
        assert await queue.due(tx, ctx, "order") == []  # parked waits for a person
        await retry.requeue(tx, entry.id, clock())
        assert await queue.due(tx, ctx, "order") == ["576"]
        await queue.succeeded(tx, ctx, "order", "576")
        assert await retry.list_entries(tx) == []
