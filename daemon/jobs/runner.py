"""Runs one (shop, job) cycle: a lock, a run record, a log context and the error policy."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog

from daemon.domain import EntityOutcome, RunOutcome
from daemon.errors import AuthError, LedgerError, SyncError, unwrap
from daemon.jobs.health import HealthBoard
from daemon.jobs.watch import Watch
from daemon.ledger import Ledger, runs, shops
from daemon.ledger.runs import EntityResult
from daemon.metrics import Metrics

Clock = Callable[[], datetime]
DAEMON_WIDE = "*"  # the shop id of jobs that serve the whole daemon
#: How the halt reason set by a refused authorisation begins (`ttsync authorize` lifts it).
AUTH_HALT = "authorization failed: "


@dataclass
class RunContext:
    """Handed to a job: who it runs for, the clock, the log, and where results go."""

    shop_id: str
    job: str
    run_id: str
    clock: Clock
    log: structlog.stdlib.BoundLogger
    # Entity ids a webhook asked to look at now; empty for a scheduled (full) run.
    hints: frozenset[str] = frozenset()
    results: list[EntityResult] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    # When the changes this run carries were seen: the webhook's arrival for a targeted run,
    # else the run's start (its read of the store). Set by the runner.
    seen_at: datetime | None = None
    latencies: list[float] = field(default_factory=list)  # seconds, one per accepted change

    @property
    def targeted(self) -> bool:
        return bool(self.hints)

    def now(self) -> datetime:
        return self.clock()

    def ok(self, entity_kind: str, entity_id: str) -> None:
        self.results.append(EntityResult(entity_kind, entity_id, EntityOutcome.OK))
        self.counts[f"{entity_kind}_ok"] += 1

    def accepted(self, changes: int = 1) -> None:
        """TikTok accepted `changes` store changes now: note their propagation latency."""
        if self.seen_at is not None:
            seconds = max(0.0, (self.clock() - self.seen_at).total_seconds())
            self.latencies.extend([seconds] * changes)

    def failed(
        self, entity_kind: str, entity_id: str, reason: str, *, field_name: str | None = None
    ) -> None:
        self.results.append(
            EntityResult(entity_kind, entity_id, EntityOutcome.FAILED, field_name, reason)
        )
        self.counts[f"{entity_kind}_failed"] += 1

    def skipped(self, entity_kind: str, entity_id: str, reason: str) -> None:
        self.results.append(
            EntityResult(entity_kind, entity_id, EntityOutcome.SKIPPED, None, reason)
        )
        self.counts[f"{entity_kind}_skipped"] += 1


JobFn = Callable[[RunContext], Awaitable[None]]


@dataclass(frozen=True)
class JobSpec:
    """One schedulable job: what runs, for which shop, how often."""

    shop_id: str
    name: str
    run: JobFn
    interval: timedelta
    # A halted shop (wrong currency, revoked authorisation) runs only the jobs that can mend it.
    runs_while_halted: bool = False

    @property
    def key(self) -> str:
        return f"{self.shop_id}:{self.name}"


class JobRunner:
    def __init__(
        self,
        ledger: Ledger,
        metrics: Metrics,
        health: HealthBoard,
        clock: Clock,
        *,
        shops: tuple[str, ...] = (),
    ) -> None:
        self._ledger = ledger
        self._metrics = metrics
        self._health = health
        self._clock = clock
        self._locks: dict[str, asyncio.Lock] = {}
        self._closed = False
        self._watch = Watch(ledger, metrics, shops)

    def now(self) -> datetime:
        return self._clock()

    def close(self) -> None:
        """The daemon is stopping: from now on no run starts (running ones go on)."""
        self._closed = True

    @property
    def closed(self) -> bool:
        return self._closed

    async def run(
        self,
        spec: JobSpec,
        hints: frozenset[str] = frozenset(),
        *,
        seen_at: datetime | None = None,
    ) -> RunOutcome:
        """Run `spec` once (waiting for its previous run to end) and record the outcome.

        With `hints`, the job looks only at those entities (a webhook's targeted sync). Once
        `close` was called, nothing runs or is recorded: the outcome is CANCELLED.
        """
        lock = self._locks.setdefault(spec.key, asyncio.Lock())
        async with lock:
            if self._closed:
                structlog.get_logger("ttsync.job").debug(
                    "run_not_started", shop=spec.shop_id, job=spec.name, reason="stopping"
                )
                return RunOutcome.CANCELLED
            return await self._run_locked(spec, hints, seen_at)

    async def _run_locked(
        self, spec: JobSpec, hints: frozenset[str], seen_at: datetime | None
    ) -> RunOutcome:
        run_id = uuid.uuid4().hex
        log = structlog.get_logger("ttsync.job").bind(
            shop=spec.shop_id, job=spec.name, run_id=run_id
        )
        ctx = RunContext(spec.shop_id, spec.name, run_id, self._clock, log, hints)
        ctx.seen_at = seen_at or self._clock()
        started = time.monotonic()
        try:
            async with self._ledger.transaction() as tx:
                await runs.start_run(
                    tx, run_id=run_id, shop_id=spec.shop_id, job=spec.name, now=self._clock()
                )
        except LedgerError as exc:  # a full disk: the run cannot even be recorded
            self._report(ctx, RunOutcome.FAILED, f"{type(exc).__name__}: {exc}", 0.0)
            return RunOutcome.FAILED
        halted = None if spec.runs_while_halted else await self._halted_reason(spec.shop_id)
        if halted is not None:
            await self._finish(ctx, RunOutcome.SKIPPED, f"shop halted: {halted}", 0.0)
            return RunOutcome.SKIPPED
        health = self._health.job(spec.shop_id, spec.name)
        health.running = True
        outcome, error = RunOutcome.FAILED, None
        try:
            with structlog.contextvars.bound_contextvars(
                shop=spec.shop_id, job=spec.name, run_id=run_id
            ):
                await _unwrapped(spec.run(ctx))
            outcome = RunOutcome.OK
        except asyncio.CancelledError:
            outcome, error = RunOutcome.CANCELLED, "cancelled at shutdown"
            raise
        except AuthError as exc:
            error = f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(LedgerError):  # the run's record says why, below
                await self._halt(spec.shop_id, f"{AUTH_HALT}{exc}")
        except SyncError as exc:
            error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug in one job fails its run, never the daemon
            error = f"unexpected {type(exc).__name__}: {exc}"
            log.exception("job_crashed")
        finally:
            health.running = False
            outcome, error = await self._finish(ctx, outcome, error, time.monotonic() - started)
        return outcome

    async def _watch_after(self, ctx: RunContext) -> None:
        try:
            await self._watch.after_run()
        except LedgerError as exc:  # a full disk: the run's own outcome stands, retried next run
            ctx.log.warning("watch_failed", error=str(exc))
        except Exception:  # the run's own outcome stands; the next run's end tries again
            ctx.log.exception("watch_failed")

    async def _halted_reason(self, shop_id: str) -> str | None:
        if shop_id == DAEMON_WIDE:
            return None
        async with self._ledger.read() as tx:
            shop = await shops.get_shop(tx, shop_id)
        return shop.halted_reason if shop else None

    async def _halt(self, shop_id: str, reason: str) -> None:
        """Stop the shop's sync until a connection check succeeds; /readyz shows why."""
        async with self._ledger.transaction() as tx:
            await shops.set_halted(tx, shop_id, reason, self._clock())

    async def _finish(
        self, ctx: RunContext, outcome: RunOutcome, error: str | None, seconds: float
    ) -> tuple[RunOutcome, str | None]:
        """Record the run, then report it; a run whose record cannot be written failed."""
        try:
            async with self._ledger.transaction() as tx:
                await runs.finish_run(
                    tx,
                    run_id=ctx.run_id,
                    outcome=outcome,
                    error=error,
                    counts=dict(ctx.counts),
                    results=ctx.results,
                    now=self._clock(),
                )
        except LedgerError as exc:
            if outcome is not RunOutcome.CANCELLED:
                outcome, error = RunOutcome.FAILED, f"{type(exc).__name__}: {exc}"
        await self._watch_after(ctx)
        self._report(ctx, outcome, error, seconds)
        return outcome, error

    def _report(
        self, ctx: RunContext, outcome: RunOutcome, error: str | None, seconds: float
    ) -> None:
        """Metrics, health and the run's log line."""
        now = self._clock()
        labels = {"shop": ctx.shop_id, "job": ctx.job}
        self._metrics.job_runs.labels(outcome=outcome, **labels).inc()
        self._metrics.job_duration.labels(**labels).observe(seconds)
        for latency in ctx.latencies:
            self._metrics.propagation.labels(**labels).observe(latency)
        summary = {
            "outcome": outcome,
            "seconds": round(seconds, 3),
            "targeted": len(ctx.hints),
            **ctx.counts,
        }
        if outcome is RunOutcome.OK:
            self._metrics.last_success.labels(**labels).set(now.timestamp())
            if self._health.succeeded(ctx.shop_id, ctx.job, now):
                ctx.log.info("job_recovered")
            ctx.log.info("job_run", **summary)
        elif outcome is RunOutcome.FAILED:
            self._metrics.job_failures.labels(**labels).inc()
            if self._health.failed(ctx.shop_id, ctx.job, now, error or "unknown"):
                ctx.log.error("job_failing", error=error)
            ctx.log.warning("job_run", error=error, **summary)
        elif outcome is RunOutcome.SKIPPED:
            ctx.log.info("job_run", reason=error, **summary)
        else:
            ctx.log.info("job_run", **summary)


async def _unwrapped(job: Awaitable[None]) -> None:
    """Await `job`, raising the error a task group's exception group stands for, so that the
    policy above sees (and the run records) the real cause."""
    try:
        await job
    except BaseExceptionGroup as group:
        raise unwrap(group) from None
