"""Webhook hints become targeted, debounced job runs. Losing one costs latency, never data:
the scheduled runs poll everything anyway."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import structlog

from daemon.jobs import JobRunner, JobSpec

log = structlog.get_logger("ttsync.triggers")

#: More hints than this for one run (a bulk edit, a platform replaying its retries) make an
#: ordinary run instead: its poll of changes since the bookmark finds them all in a few paged
#: calls, where looking at each one alone would take a call or two apiece and hold the job's
#: lock (and so its scheduled runs) for minutes.
MAX_TARGETED = 50


class Triggers:
    """Collects entity ids per (shop, job) for `debounce`, then runs the job once for all."""

    def __init__(self, runner: JobRunner, specs: Sequence[JobSpec], debounce: timedelta) -> None:
        self._runner = runner
        self._specs = {(spec.shop_id, spec.name): spec for spec in specs}
        self._debounce = debounce.total_seconds()
        self._pending: dict[tuple[str, str], set[str]] = {}
        self._first_seen: dict[tuple[str, str], datetime] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    def knows(self, shop_id: str, job: str) -> bool:
        return (shop_id, job) in self._specs

    def request(self, shop_id: str, job: str, entity_ids: Iterable[str]) -> bool:
        """Ask for a targeted run soon; False when the job does not exist or we are stopping."""
        key = (shop_id, job)
        if self._closed or key not in self._specs:
            return False
        waiting = self._pending.get(key)
        if waiting is not None:
            waiting.update(entity_ids)
            return True
        self._pending[key] = set(entity_ids)
        self._first_seen[key] = self._runner.now()
        task = asyncio.create_task(self._fire(key), name=f"trigger:{shop_id}:{job}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _fire(self, key: tuple[str, str]) -> None:
        await asyncio.sleep(self._debounce)
        hints = frozenset(self._pending.pop(key, set()))
        seen_at = self._first_seen.pop(key, None)
        if len(hints) > MAX_TARGETED:
            log.info("webhook_burst", shop=key[0], job=key[1], hints=len(hints))
            hints = frozenset()
        # No entity (e.g. a deauthorisation notice, a burst) means a whole run of the job.
        await self._runner.run(self._specs[key], hints, seen_at=seen_at)

    async def close(self, grace: timedelta) -> None:
        """Stop accepting hints; let targeted runs finish for `grace`, then cancel them."""
        self._closed = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace.total_seconds())
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if pending:
            log.info("targeted_runs_cancelled", count=len(pending))
