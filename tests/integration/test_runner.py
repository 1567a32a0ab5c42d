from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from structlog.testing import capture_logs

from daemon.domain import EntityOutcome, RunOutcome
from daemon.errors import RetriableError
from daemon.jobs import HealthBoard, JobRunner, JobSpec, RunContext
from daemon.ledger import Ledger, runs
from daemon.metrics import Metrics


def runner_for(ledger: Ledger, clock) -> tuple[JobRunner, HealthBoard, Metrics]:
    health, metrics = HealthBoard(), Metrics()
    return JobRunner(ledger, metrics, health, clock), health, metrics


def spec(fn, name: str = "inventory") -> JobSpec:
    return JobSpec("uk", name, fn, timedelta(minutes=1))


async def only_run(ledger: Ledger):
    async with ledger.read() as tx:
        (run,) = await runs.recent_runs(tx, "uk", "inventory", 10)
        return run, await runs.run_results(tx, run.run_id)


async def test_ok_run_records_results_and_counts(ledger: Ledger, clock) -> None:
    async def job(ctx: RunContext) -> None:
        ctx.ok("sku", "v1")
        ctx.failed("sku", "v2", "price above 5600", field_name="price")
        ctx.skipped("sku", "v3", "not tracked")

    runner, health, metrics = runner_for(ledger, clock)
    assert await runner.run(spec(job)) is RunOutcome.OK
    run, results = await only_run(ledger)
    assert run.outcome is RunOutcome.OK
    assert run.counts == {"sku_ok": 1, "sku_failed": 1, "sku_skipped": 1}
    assert [(r.entity_id, r.outcome, r.field) for r in results] == [
        ("v1", EntityOutcome.OK, None),
        ("v2", EntityOutcome.FAILED, "price"),
        ("v3", EntityOutcome.SKIPPED, None),
    ]
    assert health.job("uk", "inventory").last_success == clock()
    sample = metrics.registry.get_sample_value(
        "ttsync_job_runs_total", {"shop": "uk", "job": "inventory", "outcome": "ok"}
    )
    assert sample == 1.0


@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (RetriableError("TikTok answered 503"), "RetriableError: TikTok answered 503"),
        (KeyError("sku"), "unexpected KeyError: 'sku'"),
    ],
)
async def test_failures_are_recorded_with_reason(ledger, clock, error, recorded) -> None:
    async def job(ctx: RunContext) -> None:
        raise error

    runner, health, _ = runner_for(ledger, clock)
    assert await runner.run(spec(job)) is RunOutcome.FAILED
    run, _ = await only_run(ledger)
    assert (run.outcome, run.error) == (RunOutcome.FAILED, recorded)
    assert health.job("uk", "inventory").consecutive_failures == 1


async def test_an_error_inside_a_task_group_is_recorded_as_itself(ledger, clock) -> None:
    """A store's 500 while a task group runs: the run shows the platform's reason, retriable,
    not "unexpected ExceptionGroup", and nothing is logged as a crash."""

    async def never_ends() -> None:
        await asyncio.Event().wait()

    async def job(ctx: RunContext) -> None:
        async with asyncio.TaskGroup() as group:
            group.create_task(never_ends())
            await asyncio.sleep(0)
            raise RetriableError("Shopify answered HTTP 500: internal error")

    runner, health, _ = runner_for(ledger, clock)
    with capture_logs() as logs:
        assert await runner.run(spec(job)) is RunOutcome.FAILED
    run, _ = await only_run(ledger)
    assert run.error == "RetriableError: Shopify answered HTTP 500: internal error"
    assert health.job("uk", "inventory").last_error == run.error
    assert "job_crashed" not in [entry["event"] for entry in logs]


async def test_failing_then_recovered_logs_transitions_once(ledger, clock, capsys) -> None:
    attempts = iter([True, True, False])

    async def job(ctx: RunContext) -> None:
        if next(attempts):
            raise RetriableError("down")

    runner, health, _ = runner_for(ledger, clock)
    with capture_logs() as logs:
        for _ in range(3):
            await runner.run(spec(job))
    events = [entry["event"] for entry in logs]
    assert events.count("job_failing") == 1
    assert events.count("job_recovered") == 1
    assert events.count("job_run") == 3
    assert health.job("uk", "inventory").consecutive_failures == 0


async def test_cancelled_run_is_recorded_and_cancellation_propagates(ledger, clock) -> None:
    started = asyncio.Event()

    async def job(ctx: RunContext) -> None:
        started.set()
        await asyncio.sleep(60)

    runner, _, _ = runner_for(ledger, clock)
    task = asyncio.create_task(runner.run(spec(job)))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    run, _ = await only_run(ledger)
    assert run.outcome is RunOutcome.CANCELLED


async def test_same_job_never_runs_twice_at_once(ledger, clock) -> None:
    active, peak = 0, 0

    async def job(ctx: RunContext) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1

    runner, _, _ = runner_for(ledger, clock)
    await asyncio.gather(*(runner.run(spec(job)) for _ in range(5)))
    assert peak == 1
