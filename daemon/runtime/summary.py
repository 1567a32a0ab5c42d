"""What `run --once` says at its end on a terminal: the outcome, each job's last run with its
failures, products by status, orders by phase and the retry queue, in words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from daemon.jobs import JobSpec
from daemon.ledger import Ledger, observed, retry
from daemon.runtime.report import last_runs_report


async def once_summary(
    ledger: Ledger, specs: tuple[JobSpec, ...], *, passed: bool, seconds: float
) -> str:
    async with ledger.read() as tx:
        products = await observed.product_counts(tx)
        orders = await observed.order_counts(tx)
        entries = await retry.list_entries(tx)
    failed = "all passed" if passed else "some failed (see below)"
    lines = [f"\nRan {len(specs)} job(s) once in {seconds:.1f} s: {failed}.", ""]
    lines.append(await last_runs_report(ledger, specs))
    lines.extend(_counts("Products", products))
    lines.extend(_counts("Orders", orders))
    parked = sum(entry.parked for entry in entries)
    lines.append(
        f"Retry queue: {len(entries) - parked} waiting, {parked} parked"
        + (" (ttsync failures lists them)" if entries else "")
    )
    return "\n".join(lines) + "\n"


def _counts(title: str, counts: Mapping[tuple[str, str], int]) -> list[str]:
    by_shop: dict[str, list[str]] = defaultdict(list)
    for (shop, state), count in sorted(counts.items()):
        by_shop[shop].append(f"{state.replace('_', ' ')} {count}")
    if not by_shop:
        return [f"{title}: none"]
    return [f"{title} ({shop}): " + ", ".join(parts) for shop, parts in by_shop.items()]
