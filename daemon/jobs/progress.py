"""Progress of a full pass (an initial sync, a reconciliation): done of total, rate, ETA.

The catalog job counts each product as it is settled; the total is the ledger's count of known
products until the store's listing has been read to its end (read ahead of publishing, up to
`READ_AHEAD` products), then exact. While TikTok's listing quota is used up, the pass waits, and
the ETA says until when. The runtime shows a `ProgressBoard` on a terminal, in the log, on
/readyz and in systemd's STATUS= line.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

T = TypeVar("T")

#: Products listed ahead of publishing: enough to know a typical catalog's size at once,
#: bounded so a huge one never sits in memory whole.
READ_AHEAD = 5_000


@dataclass
class PassProgress:
    shop_id: str
    job: str
    started: datetime
    estimate: int  # the ledger's count of known products, until the listing's end is known
    done: int = 0
    listed: int = 0
    listing_complete: bool = False
    extra: int = 0  # products queued beside the listing (retries, ones waiting for the quota)
    waiting_until: datetime | None = None  # TikTok's listing quota is used up until then
    last_advance: datetime | None = None

    def advance(self, now: datetime) -> None:
        """One more product settled (published, linked, unchanged, failed: not waiting)."""
        self.done += 1
        self.last_advance = now

    def note_listed(self) -> None:
        self.listed += 1

    def note_listing_complete(self) -> None:
        self.listing_complete = True

    @property
    def total(self) -> int:
        if self.listing_complete:
            return self.listed + self.extra
        return max(self.estimate, self.listed + self.extra, self.done)

    def rate(self, now: datetime) -> float:
        """Products settled per second while settling them (a quota wait does not count)."""
        end = self.last_advance if self.waiting(now) and self.last_advance else now
        seconds = (end - self.started).total_seconds()
        return self.done / seconds if seconds > 0 else 0.0

    def waiting(self, now: datetime) -> bool:
        return self.waiting_until is not None and self.waiting_until > now

    def eta(self, now: datetime) -> timedelta | None:
        """Time left at the current rate (plus any quota wait); None when unknown."""
        left = max(0, self.total - self.done)
        wait = (
            self.waiting_until - now if self.waiting_until and self.waiting(now) else timedelta(0)
        )
        if left == 0:
            return wait
        rate = self.rate(now)
        return None if rate <= 0 else wait + timedelta(seconds=left / rate)

    def describe(self, now: datetime) -> str:
        """``catalog uk: 340/2000 (17%), 5.2/s, ETA 5m20s``, or why it waits."""
        total = self.total
        share = f" ({self.done * 100 // total}%)" if total else ""
        approx = "" if self.listing_complete else "~"
        text = f"{self.job} {self.shop_id}: {self.done}/{approx}{total}{share}"
        text += f", {self.rate(now):.1f}/s"
        if self.waiting_until is not None and self.waiting(now):
            text += f", waiting for TikTok's listing quota until {self.waiting_until:%H:%M} UTC"
        eta = self.eta(now)
        text += f", ETA {format_span(eta)}" if eta is not None else ", ETA unknown"
        return text

    def as_json(self, now: datetime) -> dict[str, Any]:
        eta = self.eta(now)
        return {
            "done": self.done,
            "total": self.total,
            "total_exact": self.listing_complete,
            "rate_per_second": round(self.rate(now), 3),
            "eta_seconds": None if eta is None else round(eta.total_seconds()),
            "waiting_for_quota_until": None
            if self.waiting_until is None
            else self.waiting_until.isoformat(),
            "started": self.started.isoformat(),
        }


_MINUTE = 60
_HOUR = 3_600
_TWO_DAYS = 48 * _HOUR


def format_span(span: timedelta) -> str:
    """``45s``, ``5m20s``, ``3h05m``, ``4d02h``."""
    seconds = max(0, round(span.total_seconds()))
    if seconds < _MINUTE:
        return f"{seconds}s"
    if seconds < _HOUR:
        return f"{seconds // _MINUTE}m{seconds % _MINUTE:02d}s"
    hours, minutes = seconds // _HOUR, seconds % _HOUR // _MINUTE
    return f"{hours}h{minutes:02d}m" if seconds < _TWO_DAYS else f"{hours // 24}d{hours % 24:02d}h"


@dataclass
class ProgressBoard:
    """The full passes under way, by (shop, job); shared by the jobs and what shows them."""

    passes: dict[tuple[str, str], PassProgress] = field(default_factory=dict)

    def start(self, shop_id: str, job: str, estimate: int, now: datetime) -> PassProgress:
        progress = PassProgress(shop_id, job, now, estimate)
        self.passes[shop_id, job] = progress
        return progress

    def finish(self, shop_id: str, job: str) -> None:
        self.passes.pop((shop_id, job), None)

    def active(self) -> list[PassProgress]:
        return list(self.passes.values())


async def read_ahead(
    items: AsyncIterator[T], on_item: Callable[[], None], on_end: Callable[[], None]
) -> AsyncIterator[T]:
    """`items`, read up to `READ_AHEAD` ahead of the consumer by a task of its own, so the size
    of a listing is known early; `on_item` per item read, `on_end` once the listing is done."""
    queue: asyncio.Queue[tuple[T] | None] = asyncio.Queue(maxsize=READ_AHEAD)

    async def produce() -> None:
        async for item in items:
            on_item()
            await queue.put((item,))
        on_end()
        await queue.put(None)

    producer = asyncio.create_task(produce(), name="read-ahead")
    try:
        while True:
            if producer.done():
                if queue.empty():
                    producer.result()  # the listing failed: its error, once all read is used
                    return
                entry = queue.get_nowait()  # what was read, then (if it ended well) its None
            else:
                getter = asyncio.ensure_future(queue.get())
                await asyncio.wait({getter, producer}, return_when=asyncio.FIRST_COMPLETED)
                if not getter.done():
                    getter.cancel()
                    await asyncio.gather(getter, return_exceptions=True)
                    continue
                entry = getter.result()
            if entry is None:
                return
            yield entry[0]
    finally:
        producer.cancel()
        await asyncio.gather(producer, return_exceptions=True)
