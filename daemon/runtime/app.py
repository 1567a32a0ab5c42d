"""The composition root: builds every part from Settings on one AsyncExitStack, and runs them."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from daemon.connectors.base import WebhookReceiver
from daemon.connectors.images import ImageFetcher
from daemon.domain import RunOutcome
from daemon.domain.retry import RetryPolicy
from daemon.jobs import DAEMON_WIDE, Clock, HealthBoard, JobRunner, JobSpec
from daemon.jobs.maintenance import Maintenance
from daemon.ledger import Ledger, runs, shops
from daemon.ledger.sealing import TokenCipher
from daemon.metrics import Metrics
from daemon.runtime.catalog_rules import note_rule_changes
from daemon.runtime.notify import SystemdNotifier, watchdog, watchdog_interval
from daemon.runtime.page import status_page
from daemon.runtime.progress_report import ProgressReporter
from daemon.runtime.report import last_runs_report
from daemon.runtime.scheduler import Scheduler
from daemon.runtime.server import HttpServer, Readiness, build_app
from daemon.runtime.shops import Shared, open_shop, shop_jobs, webhook_receivers
from daemon.runtime.summary import once_summary
from daemon.runtime.supervisor import StopSignal
from daemon.runtime.triggers import Triggers
from daemon.runtime.webhooks import WebhookRouter
from daemon.settings import Settings

log = structlog.get_logger("ttsync.daemon")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Daemon:
    settings: Settings
    ledger: Ledger
    metrics: Metrics
    health: HealthBoard
    runner: JobRunner
    specs: tuple[JobSpec, ...]
    server: HttpServer
    triggers: Triggers


async def build(
    settings: Settings,
    stack: AsyncExitStack,
    clock: Clock = utc_now,
    *,
    dry_run: bool = False,
    full: bool = False,
) -> Daemon:
    """Open the ledger, build the jobs and start the HTTP server; the stack closes them.

    `full` makes every catalog run of this process read the whole catalog (`run --once --full`).
    """
    ledger = await Ledger.open(settings.ledger.path, busy_timeout=settings.ledger.busy_timeout)
    stack.push_async_callback(ledger.close)
    now = clock()
    cipher = TokenCipher(settings.ledger.token_keys())
    async with ledger.transaction() as tx:
        interrupted = await runs.mark_interrupted(tx, now)
        for shop in settings.shops:
            await shops.ensure_shop(tx, shop.name, shop.store.kind, now)
        # Seal every token with the current key (a rotation's second half); without a key,
        # prove none is sealed, so that a forgotten key stops the start, not a job.
        await shops.reseal_tokens(tx, cipher)
    if interrupted:
        log.warning("runs_interrupted", count=interrupted)
    if not cipher.encrypting:
        log.warning(
            "tokens_stored_in_plain_text",
            hint="set [ledger] token_key to encrypt the TikTok tokens in the ledger",
        )
    for shop in settings.shops:
        for key, hint in shop.store.retired_keys():
            log.warning("config_key_retired", shop=shop.name, key=f"store.{key}", hint=hint)
    changed = await note_rule_changes(ledger, settings.shops, now, dry_run=dry_run)

    metrics = Metrics()
    health = HealthBoard()
    maintenance = Maintenance(ledger, metrics, settings.ledger.run_retention)
    specs = [JobSpec(DAEMON_WIDE, "maintenance", maintenance, settings.ledger.checkpoint_interval)]
    images = ImageFetcher(metrics)
    stack.push_async_callback(images.close)
    retry = settings.retry
    policy = RetryPolicy(retry.base_delay, retry.max_delay, retry.max_attempts)
    shared = Shared(ledger, health, metrics, images, policy, dry_run)
    receivers: dict[tuple[str, str], WebhookReceiver] = {}
    notices: dict[str, Callable[[], list[str]]] = {}
    for shop in settings.shops:
        parts = await open_shop(shop, ledger, metrics, stack, cipher)
        # A dry run previews what a rules change will do: a full pass, as the real run makes.
        specs.extend(shop_jobs(parts, shared, full=full or (dry_run and shop.name in changed)))
        receivers.update(webhook_receivers(parts))
        if parts.store.notices is not None:
            notices[shop.name] = parts.store.notices
    await _seed_health(ledger, health, specs)
    runner = JobRunner(
        ledger, metrics, health, clock, shops=tuple(shop.name for shop in settings.shops)
    )

    readiness = Readiness(
        ledger,
        health,
        tuple(shop.name for shop in settings.shops),
        tuple(specs),
        settings.daemon.failures_before_unready,
        clock,
        {shop.name: shop.tiktok.authorization_warning for shop in settings.shops},
        notices,
    )
    triggers = Triggers(runner, specs, settings.daemon.webhook_debounce)
    stack.push_async_callback(triggers.close, settings.daemon.drain_timeout)
    router = WebhookRouter(ledger, triggers, clock, receivers)
    page = status_page(settings, ledger, clock)
    page.nudge = triggers.request  # a page action runs its job soon, not at the next schedule
    app = build_app(readiness, metrics, router, page)
    server = HttpServer(app, settings.http.host, settings.http.port)
    await server.start()
    stack.push_async_callback(server.stop)
    return Daemon(settings, ledger, metrics, health, runner, tuple(specs), server, triggers)


async def _seed_health(ledger: Ledger, health: HealthBoard, specs: list[JobSpec]) -> None:
    """Carry last success, last failure and the failing streak over a restart."""
    async with ledger.read() as tx:
        for spec in specs:
            job = health.job(spec.shop_id, spec.name)
            recent = await runs.recent_runs(tx, spec.shop_id, spec.name, limit=50)
            for run in recent:
                if run.outcome is not RunOutcome.FAILED:
                    break
                job.consecutive_failures += 1
            if last_ok := await runs.last_with_outcome(tx, spec.shop_id, spec.name, RunOutcome.OK):
                job.last_success = last_ok.finished_at
            if last_bad := await runs.last_with_outcome(
                tx, spec.shop_id, spec.name, RunOutcome.FAILED
            ):
                job.last_failure = last_bad.finished_at
                job.last_error = last_bad.error


async def run_once(daemon: Daemon) -> bool:
    """Run every job once: shops side by side, each shop's jobs in order. True if all passed."""
    by_shop: dict[str, list[JobSpec]] = {}
    for spec in daemon.specs:
        by_shop.setdefault(spec.shop_id, []).append(spec)

    async def shop_sequence(specs: list[JobSpec]) -> list[RunOutcome]:
        return [await daemon.runner.run(spec) for spec in specs]

    outcomes = await asyncio.gather(*(shop_sequence(specs) for specs in by_shop.values()))
    return all(outcome is RunOutcome.OK for shop in outcomes for outcome in shop)


async def serve(
    settings: Settings,
    *,
    once: bool = False,
    dry_run: bool = False,
    full: bool = False,
    clock: Clock = utc_now,
) -> int:
    """The daemon's life: start, run until a stop signal (or once), drain, close. Exit code."""
    notifier = SystemdNotifier.from_environment()
    stop = StopSignal()
    stop.install()
    try:
        async with AsyncExitStack() as stack:
            stack.callback(notifier.close)
            daemon = await build(settings, stack, clock, dry_run=dry_run, full=full)
            log.info("daemon_started", http=daemon.server.url, jobs=len(daemon.specs))
            reporter = ProgressReporter(
                daemon.health.progress,
                notifier,
                clock,
                terminal=sys.stderr if sys.stderr.isatty() else None,
            )
            shows = asyncio.create_task(reporter.run(), name="progress")
            stack.push_async_callback(_cancel, shows)
            if once:
                return await _run_once(daemon, stop, dry_run=dry_run, summary=sys.stdout.isatty())
            reporter.idle_status = _idle_status(daemon)
            return await _run_scheduled(daemon, stop, notifier, stack, shows)
    finally:
        stop.uninstall()


async def _run_once(daemon: Daemon, stop: StopSignal, *, dry_run: bool, summary: bool) -> int:
    started = time.monotonic()
    passed = await _unless_stopped(daemon, stop)
    if dry_run:
        sys.stdout.write("Dry run: nothing was changed on TikTok.\n")
        sys.stdout.write(await last_runs_report(daemon.ledger, daemon.specs))
    elif summary:  # a person is watching: the outcome in words
        seconds = time.monotonic() - started
        report = await once_summary(daemon.ledger, daemon.specs, passed=passed, seconds=seconds)
        sys.stdout.write(report)
    return 0 if passed else 1


async def _unless_stopped(daemon: Daemon, stop: StopSignal) -> bool:
    """`run_once`, but a stop signal starts no further job and gives the running ones
    `drain_timeout` to finish before they are cancelled."""
    runs = asyncio.create_task(run_once(daemon), name="run-once")
    stopped = asyncio.create_task(stop.wait(), name="stop")
    try:
        await asyncio.wait({runs, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not runs.done():
            daemon.runner.close()
            grace = daemon.settings.daemon.drain_timeout.total_seconds()
            await asyncio.wait({runs}, timeout=grace)
    finally:
        for task in (runs, stopped):
            task.cancel()
        await asyncio.gather(runs, stopped, return_exceptions=True)
    return runs.result() if not runs.cancelled() else False


def _idle_status(daemon: Daemon) -> str:
    return f"syncing {len(daemon.settings.shops)} shop(s); health at {daemon.server.url}"


async def _run_scheduled(
    daemon: Daemon,
    stop: StopSignal,
    notifier: SystemdNotifier,
    stack: AsyncExitStack,
    shows: asyncio.Task[None],
) -> int:
    scheduler = Scheduler(daemon.runner, daemon.specs)
    scheduler.start(utc_now())
    if (interval := watchdog_interval()) is not None:
        pinger = asyncio.create_task(watchdog(notifier, interval), name="watchdog")
        stack.push_async_callback(_cancel, pinger)
    notifier.ready(_idle_status(daemon))
    await stop.wait()
    # From here no run starts, scheduled or webhook-triggered; running ones share one grace.
    daemon.runner.close()
    await _cancel(shows)  # STATUS= says "draining" from now on, not a pass's progress
    notifier.stopping(f"draining {scheduler.running_jobs} running job(s)")
    grace = daemon.settings.daemon.drain_timeout
    cancelled, _ = await asyncio.gather(scheduler.drain(grace), daemon.triggers.close(grace))
    log.info("daemon_stopped", signal=stop.received, cancelled_runs=cancelled)
    return 0


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
