"""A clean stop: after the stop signal no run starts (scheduled or webhook-triggered), a run
cancelled at the drain deadline is no error, and the scheduler speaks once per streak of
skipped runs, naming the shop and the job."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from structlog.testing import capture_logs

from daemon.domain import RunOutcome
from daemon.jobs import HealthBoard, JobRunner, JobSpec, RunContext
from daemon.ledger import Ledger, runs
from daemon.metrics import Metrics
from daemon.runtime.app import _unless_stopped
from daemon.runtime.scheduler import Scheduler
from daemon.runtime.supervisor import StopSignal
from daemon.runtime.triggers import Triggers


def utc_now() -> datetime:
    return datetime.now(UTC)


async def test_a_closed_runner_starts_nothing_webhook_triggered_included(ledger: Ledger) -> None:
    ran: list[frozenset[str]] = []

    async def job(ctx: RunContext) -> None:
        ran.append(ctx.hints)

    runner = JobRunner(ledger, Metrics(), HealthBoard(), utc_now)
    spec = JobSpec("uk", "inventory", job, timedelta(minutes=2))
    triggers = Triggers(runner, [spec], debounce=timedelta(milliseconds=50))
    assert triggers.request("uk", "inventory", ["p1"])  # waiting in its debounce
    runner.close()
    await asyncio.sleep(0.15)
    assert await runner.run(spec) is RunOutcome.CANCELLED
    await triggers.close(timedelta(seconds=1))
    assert not triggers.request("uk", "inventory", ["p2"])
    assert ran == []
    async with ledger.read() as tx:
        assert await runs.recent_runs(tx, "uk", "inventory", 5) == []


async def test_a_run_cancelled_at_stop_logs_no_error(
    ledger: Ledger, caplog: pytest.LogCaptureFixture
) -> None:
    started = asyncio.Event()

    async def endless(_: RunContext) -> None:
        started.set()
        await asyncio.sleep(30)

    runner = JobRunner(ledger, Metrics(), HealthBoard(), utc_now)
    scheduler = Scheduler(runner, [JobSpec("uk", "catalog", endless, timedelta(hours=1))])
    scheduler.start(utc_now())
    await asyncio.wait_for(started.wait(), 5)
    runner.close()
    begun = asyncio.get_running_loop().time()
    with caplog.at_level(logging.DEBUG), capture_logs() as events:
        assert await scheduler.drain(timedelta(milliseconds=200)) == 1
        await asyncio.sleep(0.05)  # let APScheduler see the task's end
    assert asyncio.get_running_loop().time() - begun < 1.0
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not [e for e in events if e["log_level"] in {"error", "critical"}]
    assert {"event": "run_cancelled_at_stop", "shop": "uk", "job": "catalog"}.items() <= next(
        e for e in events if e["event"] == "run_cancelled_at_stop"
    ).items()
    async with ledger.read() as tx:
        (run,) = await runs.recent_runs(tx, "uk", "catalog", 5)
    assert run.outcome is RunOutcome.CANCELLED


async def test_skipped_scheduled_runs_are_told_once_per_streak(ledger: Ledger) -> None:
    long_run = asyncio.Event()

    async def slow(_: RunContext) -> None:
        if not long_run.is_set():
            long_run.set()
            await asyncio.sleep(1.3)

    runner = JobRunner(ledger, Metrics(), HealthBoard(), utc_now)
    scheduler = Scheduler(runner, [JobSpec("uk", "catalog", slow, timedelta(seconds=0.3))])
    with capture_logs() as events:
        scheduler.start(utc_now())
        await asyncio.sleep(1.9)
        await scheduler.drain(timedelta(seconds=2))
    skipped = [e for e in events if e["event"] == "scheduled_run_skipped"]
    assert len(skipped) == 1
    assert skipped[0]["shop"] == "uk"
    assert skipped[0]["job"] == "catalog"
    assert skipped[0]["reason"] == "the previous run was still going"
    (resumed,) = [e for e in events if e["event"] == "scheduled_runs_resumed"]
    assert resumed["skipped"] >= 2


async def test_a_stop_during_run_once_lets_the_running_job_end_and_starts_no_other(
    ledger: Ledger,
) -> None:
    started = asyncio.Event()
    ran: list[str] = []

    async def slow(ctx: RunContext) -> None:
        started.set()
        await asyncio.sleep(0.2)
        ran.append(ctx.job)

    async def quick(ctx: RunContext) -> None:
        ran.append(ctx.job)

    runner = JobRunner(ledger, Metrics(), HealthBoard(), utc_now)
    every = timedelta(minutes=5)
    daemon = SimpleNamespace(
        specs=(JobSpec("uk", "catalog", slow, every), JobSpec("uk", "inventory", quick, every)),
        runner=runner,
        settings=SimpleNamespace(daemon=SimpleNamespace(drain_timeout=timedelta(seconds=2))),
    )
    stop = StopSignal()
    once = asyncio.create_task(_unless_stopped(daemon, stop))
    await asyncio.wait_for(started.wait(), 5)
    stop.event.set()
    assert await once is False
    assert ran == ["catalog"]  # finished within the grace; inventory never started
