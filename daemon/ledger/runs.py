"""Job runs and their per-entity results."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from daemon.domain import EntityOutcome, RunOutcome
from daemon.ledger.db import Tx
from daemon.ledger.times import parse, parse_optional, stamp


@dataclass(frozen=True)
class EntityResult:
    entity_kind: str
    entity_id: str
    outcome: EntityOutcome
    field: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    shop_id: str
    job: str
    started_at: datetime
    finished_at: datetime | None
    outcome: RunOutcome
    error: str | None
    counts: dict[str, int]


_RUN_COLUMNS = "run_id, shop_id, job, started_at, finished_at, outcome, error, counts"


def _run(row: Sequence[object]) -> RunRecord:
    return RunRecord(
        run_id=str(row[0]),
        shop_id=str(row[1]),
        job=str(row[2]),
        started_at=parse(str(row[3])),
        finished_at=parse_optional(None if row[4] is None else str(row[4])),
        outcome=RunOutcome(str(row[5])),
        error=None if row[6] is None else str(row[6]),
        counts=json.loads(str(row[7])),
    )


async def start_run(tx: Tx, *, run_id: str, shop_id: str, job: str, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO job_runs (run_id, shop_id, job, started_at, outcome) VALUES (?, ?, ?, ?, ?)",
        (run_id, shop_id, job, stamp(now), RunOutcome.RUNNING),
    )


async def finish_run(
    tx: Tx,
    *,
    run_id: str,
    outcome: RunOutcome,
    error: str | None,
    counts: dict[str, int],
    results: Sequence[EntityResult],
    now: datetime,
) -> None:
    await tx.execute(
        "UPDATE job_runs SET finished_at = ?, outcome = ?, error = ?, counts = ? WHERE run_id = ?",
        (stamp(now), outcome, error, json.dumps(counts, sort_keys=True), run_id),
    )
    await tx.executemany(
        "INSERT INTO job_results (run_id, entity_kind, entity_id, outcome, field, reason) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, r.entity_kind, r.entity_id, r.outcome, r.field, r.reason) for r in results],
    )


async def mark_interrupted(tx: Tx, now: datetime) -> int:
    """Close runs left 'running' by a process that died; return how many there were."""
    return await tx.execute(
        "UPDATE job_runs SET outcome = ?, finished_at = ?, "
        "error = 'the daemon stopped before the run finished' WHERE outcome = ?",
        (RunOutcome.INTERRUPTED, stamp(now), RunOutcome.RUNNING),
    )


async def get_run(tx: Tx, run_id: str) -> RunRecord | None:
    row = await tx.fetchone(f"SELECT {_RUN_COLUMNS} FROM job_runs WHERE run_id = ?", (run_id,))
    return None if row is None else _run(row)


async def recent_runs(tx: Tx, shop_id: str, job: str, limit: int) -> list[RunRecord]:
    """The newest finished runs of one (shop, job), newest first."""
    rows = await tx.fetchall(
        f"SELECT {_RUN_COLUMNS} FROM job_runs WHERE shop_id = ? AND job = ? "
        "AND outcome != ? ORDER BY started_at DESC, id DESC LIMIT ?",
        (shop_id, job, RunOutcome.RUNNING, limit),
    )
    return [_run(row) for row in rows]


async def last_with_outcome(
    tx: Tx, shop_id: str, job: str, outcome: RunOutcome
) -> RunRecord | None:
    row = await tx.fetchone(
        f"SELECT {_RUN_COLUMNS} FROM job_runs WHERE shop_id = ? AND job = ? AND outcome = ? "
        "ORDER BY started_at DESC, id DESC LIMIT 1",
        (shop_id, job, outcome),
    )
    return None if row is None else _run(row)


async def run_results(tx: Tx, run_id: str) -> list[EntityResult]:
    rows = await tx.fetchall(
        "SELECT entity_kind, entity_id, outcome, field, reason FROM job_results "
        "WHERE run_id = ? ORDER BY rowid",
        (run_id,),
    )
    return [EntityResult(str(r[0]), str(r[1]), EntityOutcome(str(r[2])), r[3], r[4]) for r in rows]


async def prune_runs(tx: Tx, before: datetime) -> int:
    """Forget finished runs (and their results) that started before `before`."""
    return await tx.execute(
        "DELETE FROM job_runs WHERE started_at < ? AND outcome != ?",
        (stamp(before), RunOutcome.RUNNING),
    )
