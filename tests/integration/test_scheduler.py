from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from daemon.jobs import HealthBoard, JobRunner, JobSpec, RunContext
from daemon.ledger import Ledger, runs
from daemon.metrics import Metrics
from daemon.runtime.scheduler import Scheduler


def utc_now() -> datetime:
    return datetime.now(UTC)


async def test_jobs_run_on_their_interval_and_drain_waits(ledger: Ledger) -> None:
    calls: list[str] = []

    async def quick(ctx: RunContext) -> None:
        calls.append(ctx.job)

    runner = JobRunner(ledger, Metrics(), HealthBoard(), utc_now)
    specs = [JobSpec("uk", "quick", quick, timedelta(seconds=1))]
    scheduler = Scheduler(runner, specs)
    scheduler.start(utc_now())
    await asyncio.sleep(2.5)
    assert await scheduler.drain(timedelta(seconds=5)) == 0
    assert 2 <= len(calls) <= 4
    count = len(calls)
    await asyncio.sleep(1.2)
    assert len(calls) == count  # nothing runs after drain


async def test_drain_lets_a_short_run_finish_and_cancels_a_long_one(ledger: Ledger) -> None:
    started = {"short": asyncio.Event(), "long": asyncio.Event()}
    finished: list[str] = []

    async def work(ctx: RunContext) -> None:
        started[ctx.job].set()
        await asyncio.sleep(0.3 if ctx.job == "short" else 30)
        finished.append(ctx.job)

    runner = JobRunner(ledger, Metrics(), HealthBoard(), utc_now)
    specs = [
        JobSpec("uk", "short", work, timedelta(hours=1)),
        JobSpec("uk", "long", work, timedelta(hours=1)),
    ]
    scheduler = Scheduler(runner, specs)
    scheduler.start(utc_now())
    await asyncio.wait_for(started["long"].wait(), 5)
    await started["short"].wait()
    assert await scheduler.drain(timedelta(seconds=1)) == 1
    assert finished == ["short"]
    async with ledger.read() as tx:
        (long_run,) = await runs.recent_runs(tx, "uk", "long", 5)
        (short_run,) = await runs.recent_runs(tx, "uk", "short", 5)
    assert (long_run.outcome, short_run.outcome) == ("cancelled", "ok")
