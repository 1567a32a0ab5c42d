"""The returns pass of the cancellation job: TikTok returns and refunds after delivery are
recorded and shown, never mirrored into the store (DOMAIN.md section 8).

A scheduled pass reads returns changed since its own cursor less the overlap (the backfill on
the first run) and records each one by its TikTok return id; the cursor moves only after the
page that carries it has been committed. A targeted pass (webhook 12 names the order) reads
the returns of those orders and leaves the cursor alone. A return TikTok sends that cannot be
read fails alone, with the reason, in the run's results; the others are recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import OrderChannel
from daemon.domain.bookmarks import poll_from_seconds
from daemon.domain.models import BadRecord
from daemon.domain.orders import MarketplaceReturn
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, cursors, returns
from daemon.ledger.returns import ReturnNote

ENTITY = "return"
CURSOR = "returns"


def _note(record: MarketplaceReturn) -> ReturnNote:
    refund = (record.refund.amount, record.refund.currency) if record.refund else None
    return ReturnNote(
        return_id=record.id,
        order_id=record.order_id,
        return_type=record.kind.value,
        status=record.status,
        role=record.role,
        reason=record.reason or None,
        refund=refund,
        units=len(record.line_ids),
        tiktok_create_time=record.created_at,
        tiktok_update_time=record.updated_at,
    )


def _later(latest: int | None, newest: int | None) -> bool:
    return latest is not None and (newest is None or latest > newest)


@dataclass(frozen=True)
class RecordReturns:
    ledger: Ledger
    channel: OrderChannel
    overlap: timedelta
    backfill: timedelta

    async def __call__(self, ctx: RunContext, order_ids: Sequence[str] = ()) -> None:
        since, newest = None, None
        if not order_ids:
            since, newest = await self._window(ctx)
        async for page in self.channel.returns(since=since, order_ids=order_ids):
            good = [record for record in page if isinstance(record, MarketplaceReturn)]
            latest = max((record.updated_at for record in good), default=None)
            advance = (
                since is not None and latest is not None and (newest is None or latest > newest)
            )
            async with self.ledger.transaction() as tx:
                for record in good:
                    if await returns.note_return(tx, ctx.shop_id, _note(record), ctx.now()):
                        self._recorded(ctx, record)
                if advance:
                    await cursors.set_cursor(tx, ctx.shop_id, CURSOR, str(latest), ctx.now())
            if advance:
                newest = latest
            for bad in page:
                if isinstance(bad, BadRecord):
                    self._unreadable(ctx, bad)

    async def _window(self, ctx: RunContext) -> tuple[int, int | None]:
        """Where to start reading (cursor less overlap, or the backfill) and the cursor."""
        async with self.ledger.read() as tx:
            cursor = await cursors.get_cursor(tx, ctx.shop_id, CURSOR)
        mark = int(cursor) if cursor else None
        since = poll_from_seconds(mark, overlap=self.overlap, now=ctx.now(), backfill=self.backfill)
        return since, mark

    @staticmethod
    def _recorded(ctx: RunContext, record: MarketplaceReturn) -> None:
        ctx.ok(ENTITY, record.id)
        ctx.counts["returns_recorded"] += 1
        ctx.log.info(
            "tiktok_return",
            order=record.order_id,
            tiktok_return=record.id,
            kind=record.kind.value,
            status=record.status,
            refund=str(record.refund) if record.refund else None,
        )

    @staticmethod
    def _unreadable(ctx: RunContext, bad: BadRecord) -> None:
        reason = f"TikTok sent a return that cannot be read: {bad.reason}"
        ctx.failed(ENTITY, bad.id, reason)
        ctx.log.warning("tiktok_return_unreadable", tiktok_return=bad.id, reason=bad.reason)
