"""APScheduler 3.x drives each (shop, job) on its interval; we drain before shutting it down.

APScheduler's asyncio executor cancels running coroutines on shutdown, so the daemon tracks its
own in-flight runs, lets them finish up to the drain timeout, and only then cancels the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from daemon.jobs import JobRunner, JobSpec

log = structlog.get_logger("ttsync.scheduler")

_MAX_JITTER = timedelta(seconds=30)
_STAGGER = timedelta(milliseconds=200)


class Scheduler:
    def __init__(self, runner: JobRunner, specs: Sequence[JobSpec]) -> None:
        self._runner = runner
        self._specs = list(specs)
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._inflight: set[asyncio.Task[object]] = set()

    def start(self, now: datetime) -> None:
        """Schedule every job; the first runs start at once, slightly staggered."""
        for index, spec in enumerate(self._specs):
            jitter = min(spec.interval / 10, _MAX_JITTER)
            self._scheduler.add_job(
                self._fire,
                IntervalTrigger(
                    seconds=spec.interval.total_seconds(),
                    jitter=int(jitter.total_seconds()) or None,
                    timezone="UTC",
                ),
                args=[spec],
                id=spec.key,
                name=spec.key,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(1, int(spec.interval.total_seconds())),
                next_run_time=now + _STAGGER * index,
            )
        self._scheduler.start()
        log.info("scheduler_started", jobs=[spec.key for spec in self._specs])

    async def _fire(self, spec: JobSpec) -> None:
        task = asyncio.current_task()
        assert task is not None  # APScheduler runs coroutine jobs as tasks
        self._inflight.add(task)
        try:
            await self._runner.run(spec)
        finally:
            self._inflight.discard(task)

    @property
    def running_jobs(self) -> int:
        return len(self._inflight)

    async def drain(self, grace: timedelta) -> int:
        """Stop starting runs, wait up to `grace` for running ones, cancel the rest.

        Returns how many runs had to be cancelled.
        """
        if self._scheduler.running:
            self._scheduler.pause()
        pending: set[asyncio.Task[object]] = set(self._inflight)
        if pending:
            log.info("draining", running=len(pending), grace=grace.total_seconds())
            _, pending = await asyncio.wait(pending, timeout=grace.total_seconds())
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            log.warning("runs_cancelled", count=len(pending))
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        return len(pending)
