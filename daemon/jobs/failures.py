"""Failed records: into the retry queue with backoff, parked (with a metric and a log line)
after the configured attempts, out of it once they sync. A record entering the queue is told
once (`record_failed`, a warning), not at each retry; a product is told by its status instead
(`jobs/watch.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.domain.retry import RetryPolicy
from daemon.jobs.runner import RunContext
from daemon.ledger import Tx, retry
from daemon.metrics import Metrics

#: Entities whose failures the ledger's status already tells (once, as they enter it).
_TOLD_BY_STATUS = frozenset({"product"})


@dataclass(frozen=True)
class FailureQueue:
    policy: RetryPolicy
    metrics: Metrics

    async def failed(
        self,
        tx: Tx,
        ctx: RunContext,
        entity_kind: str,
        entity_id: str,
        reason: str,
        *,
        field_name: str | None = None,
    ) -> retry.RetryEntry:
        """Record the failure in the run's results and the retry queue (in `tx`)."""
        ctx.failed(entity_kind, entity_id, reason, field_name=field_name)
        entry = await retry.record_failure(
            tx,
            shop_id=ctx.shop_id,
            job=ctx.job,
            entity_kind=entity_kind,
            entity_id=entity_id,
            error=f"{field_name}: {reason}" if field_name else reason,
            policy=self.policy,
            now=ctx.now(),
        )
        if entry.attempts == 1 and entity_kind not in _TOLD_BY_STATUS:
            ctx.log.warning(
                "record_failed",
                entity=entity_kind,
                id=entity_id,
                field=field_name,
                reason=reason,
                next_attempt_at=entry.next_attempt_at.isoformat(),
            )
        if entry.parked and entry.attempts == self.policy.max_attempts:
            self.metrics.records_parked.labels(shop=ctx.shop_id, job=ctx.job).inc()
            ctx.log.error(
                "record_parked",
                entity=f"{entity_kind}:{entity_id}",
                attempts=entry.attempts,
                error=entry.last_error,
                action="fix the cause, then `ttsync retry` it",
            )
        return entry

    async def succeeded(self, tx: Tx, ctx: RunContext, entity_kind: str, entity_id: str) -> None:
        """The record synced: it leaves the retry queue (if it was there)."""
        await retry.resolve(
            tx, shop_id=ctx.shop_id, job=ctx.job, entity_kind=entity_kind, entity_id=entity_id
        )

    async def due(self, tx: Tx, ctx: RunContext, entity_kind: str) -> list[str]:
        """Ids of this job's records of `entity_kind` whose next attempt has come."""
        entries = await retry.due(tx, ctx.shop_id, ctx.job, ctx.now())
        return [entry.entity_id for entry in entries if entry.entity_kind == entity_kind]
