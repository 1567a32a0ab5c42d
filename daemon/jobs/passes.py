"""A polling pass: where it starts (the bookmark, or everything when reconciling) and how its
bookmark advances once the pass completes (never before its changes are committed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from daemon.domain.bookmarks import advance, read_from
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, Tx, cursors


@dataclass(frozen=True)
class Pass:
    name: str  # the cursor's name; its reconciliation time is kept as "<name>.reconciled"
    started: datetime
    bookmark: datetime | None
    full: bool  # read everything: the first pass, and every `reconcile_every`

    def since(self, overlap: timedelta) -> datetime | None:
        """Where the pass reads from: None (everything) or an overlap before the bookmark."""
        return None if self.full else read_from(self.bookmark, overlap)


async def begin(
    ledger: Ledger, ctx: RunContext, name: str, reconcile_every: timedelta, *, full: bool = False
) -> Pass:
    """Where the pass starts; `full` reads everything whatever the bookmark says."""
    async with ledger.read() as tx:
        bookmark = await cursors.get_cursor(tx, ctx.shop_id, name)
        reconciled = await cursors.get_cursor(tx, ctx.shop_id, f"{name}.reconciled")
    started = ctx.now()
    full = (
        full
        or reconciled is None
        or started - datetime.fromisoformat(reconciled) >= reconcile_every
    )
    return Pass(name, started, None if bookmark is None else datetime.fromisoformat(bookmark), full)


async def finish(ledger: Ledger, ctx: RunContext, done: Pass) -> None:
    """The pass read everything up to its start: move the bookmark there."""
    async with ledger.transaction() as tx:
        mark = advance(done.bookmark, done.started).isoformat()
        await cursors.set_cursor(tx, ctx.shop_id, done.name, mark, done.started)
        if done.full:
            await cursors.set_cursor(
                tx, ctx.shop_id, f"{done.name}.reconciled", done.started.isoformat(), done.started
            )
    ctx.counts["reconciled"] = int(done.full)


async def request_full(tx: Tx, shop_id: str, name: str) -> None:
    """Make the next pass of `name` a full one (a resync of everything, a rules change)."""
    await cursors.delete_cursor(tx, shop_id, f"{name}.reconciled")


async def shared_read(
    ledger: Ledger,
    ctx: RunContext,
    mark: str,
    current: Pass,
    *,
    reconcile_every: timedelta,
    overlap: timedelta,
) -> datetime | None:
    """Where a reconciliation reads from when another job's full pass of this reconciliation
    (within `reconcile_every`) has recorded everything it needs and kept its start as the
    cursor `mark`: an overlap before that start. None (read everything) without one."""
    async with ledger.read() as tx:
        text = await cursors.get_cursor(tx, ctx.shop_id, mark)
    if text is None:
        return None
    read = datetime.fromisoformat(text)
    if current.started - read >= reconcile_every:
        return None
    ctx.counts["shared_store_read"] = 1
    return read_from(read, overlap)
