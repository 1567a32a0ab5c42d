"""A readable account of the last run of every job: what it did, what failed and why."""

from __future__ import annotations

from daemon.domain import EntityOutcome
from daemon.jobs import JobSpec
from daemon.ledger import Ledger, runs


async def last_runs_report(ledger: Ledger, specs: tuple[JobSpec, ...], *, limit: int = 50) -> str:
    lines: list[str] = []
    async with ledger.read() as tx:
        for spec in specs:
            recent = await runs.recent_runs(tx, spec.shop_id, spec.name, limit=1)
            if not recent:
                continue
            run = recent[0]
            counts = ", ".join(f"{key} {value}" for key, value in sorted(run.counts.items()))
            lines.append(
                f"{spec.shop_id} {spec.name}: {run.outcome}" + (f" ({counts})" if counts else "")
            )
            if run.error:
                lines.append(f"    error: {run.error}")
            failed = [
                r
                for r in await runs.run_results(tx, run.run_id)
                if r.outcome is EntityOutcome.FAILED
            ]
            for result in failed[:limit]:
                field = f" [{result.field}]" if result.field else ""
                lines.append(f"    {result.entity_kind} {result.entity_id}{field}: {result.reason}")
            if len(failed) > limit:
                lines.append(f"    ... and {len(failed) - limit} more")
    return "\n".join(lines) + "\n"
