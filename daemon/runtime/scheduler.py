"""APScheduler 3.x drives each (shop, job) on its interval; we drain before shutting it down.

APScheduler's asyncio executor cancels running coroutines on shutdown, so the daemon tracks its
own in-flight runs, lets them finish up to the drain timeout, and only then cancels the rest. A
run cancelled at stop ends its task quietly (the runner has recorded it), so APScheduler does
not log it as a crash.

APScheduler's own log lines name a job by its repr and repeat at every tick (a catalog pass
longer than its interval is skipped once per interval); its logger is kept to errors
(`daemon.log`) and its events become our lines instead: with the shop and the job, once when a
streak of skipped or missed runs starts and once, with the count, when it ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

import structlog
from apscheduler.events import (
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
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
        self._by_key = {spec.key: spec for spec in self._specs}
        self._streaks: dict[str, tuple[str, int]] = {}  # job key -> (why skipped, how often)
        self._scheduler.add_listener(
            self._on_event, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED | EVENT_JOB_SUBMITTED
        )

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
        except asyncio.CancelledError:
            # Cancelled by `drain` at stop: the runner recorded the run as cancelled. This is the
            # task's top, so the cancellation ends here rather than as an APScheduler error.
            log.info("run_cancelled_at_stop", shop=spec.shop_id, job=spec.name)
        finally:
            self._inflight.discard(task)

    def _on_event(self, event: JobEvent) -> None:
        spec = self._by_key.get(event.job_id)
        if spec is None:
            return
        if event.code == EVENT_JOB_SUBMITTED:
            why, count = self._streaks.pop(spec.key, ("", 0))
            if count:
                log.info(
                    "scheduled_runs_resumed",
                    shop=spec.shop_id,
                    job=spec.name,
                    skipped=count,
                    reason=why,
                )
            return
        why = (
            "the previous run was still going"
            if event.code == EVENT_JOB_MAX_INSTANCES
            else "the event loop was too busy to start it in time"
        )
        _, count = self._streaks.get(spec.key, (why, 0))
        self._streaks[spec.key] = (why, count + 1)
        if count == 0:
            log.info("scheduled_run_skipped", shop=spec.shop_id, job=spec.name, reason=why)

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
