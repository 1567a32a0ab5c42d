"""Progress of a full pass: done/total, rate, ETA (a quota wait included), read-ahead, and how
the reporter shows it (terminal bar, log line, STATUS=)."""

from __future__ import annotations

import io
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import structlog
from structlog.testing import capture_logs

from daemon.domain.retry import RetryPolicy
from daemon.jobs import RunContext
from daemon.jobs.failures import FailureQueue
from daemon.jobs.progress import PassProgress, ProgressBoard, format_span, read_ahead
from daemon.jobs.pushing import SHOWN_FROM, Links, Pusher
from daemon.metrics import Metrics
from daemon.runtime.notify import SystemdNotifier
from daemon.runtime.progress_report import ProgressReporter

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_done_total_rate_and_eta() -> None:
    progress = PassProgress("uk", "catalog", T0, estimate=100)
    for second in range(1, 41):
        progress.advance(T0 + timedelta(seconds=second * 0.25))
    now = T0 + timedelta(seconds=10)
    assert progress.total == 100  # the ledger's estimate while the listing is being read
    assert progress.rate(now) == 4.0
    assert progress.eta(now) == timedelta(seconds=15)
    assert progress.describe(now) == "catalog uk: 40/~100 (40%), 4.0/s, ETA 15s"
    progress.listed, progress.extra = 150, 2
    progress.note_listing_complete()
    assert progress.total == 152
    assert progress.describe(now).startswith("catalog uk: 40/152 (26%)")


def test_a_quota_wait_is_in_the_eta_and_does_not_slow_the_rate() -> None:
    progress = PassProgress("uk", "catalog", T0, estimate=0, listed=10, listing_complete=True)
    for second in range(1, 5):
        progress.advance(T0 + timedelta(seconds=second))
    progress.waiting_until = T0 + timedelta(hours=1)
    later = T0 + timedelta(minutes=30)
    assert progress.rate(later) == 1.0  # measured while publishing, not while waiting
    assert progress.eta(later) == timedelta(minutes=30, seconds=6)
    assert "waiting for TikTok's listing quota until 10:00 UTC" in progress.describe(later)
    assert progress.as_json(later)["waiting_for_quota_until"] == "2026-11-30T10:00:00+00:00"


def test_format_span() -> None:
    spans = [timedelta(seconds=s) for s in (4, 320, 3 * 3600 + 300, 4 * 86400 + 7200)]
    assert [format_span(span) for span in spans] == ["4s", "5m20s", "3h05m", "4d02h"]


async def _items(count: int, fail: bool = False) -> AsyncIterator[int]:
    for item in range(count):
        yield item
    if fail:
        raise RuntimeError("the listing broke")


async def test_read_ahead_knows_the_total_before_the_consumer_is_done() -> None:
    progress = PassProgress("uk", "catalog", T0, estimate=0)
    ahead = read_ahead(_items(50), progress.note_listed, progress.note_listing_complete)
    seen = [(item, progress.listed, progress.listing_complete) async for item in ahead]
    assert [item for item, _, _ in seen] == list(range(50))
    assert seen[1][1:] == (50, True)  # read to the end while the first items were consumed


async def test_read_ahead_raises_the_listing_error() -> None:
    got: list[int] = []

    async def consume() -> None:
        async for item in read_ahead(_items(3, fail=True), list, list):
            got.append(item)  # noqa: PERF401 the items handed out before the error are the point

    with pytest.raises(RuntimeError, match="the listing broke"):
        await consume()
    assert got == [0, 1, 2]  # what was read before the error is handed out first


def test_the_reporter_draws_a_bar_logs_and_sets_status(tmp_path: Path) -> None:
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        sock.settimeout(2)
        board = ProgressBoard()
        progress = board.start("uk", "catalog", 2000, T0)
        for _ in range(340):
            progress.advance(T0 + timedelta(seconds=60))
        terminal = io.StringIO()
        notifier = SystemdNotifier(path)
        reporter = ProgressReporter(
            board, notifier, lambda: T0 + timedelta(seconds=68), terminal=terminal
        )
        reporter.draw()
        with capture_logs() as events:
            reporter.tell()
            reporter.tell()  # unchanged: no second STATUS=
        status = sock.recv(4096).decode()
        board.finish("uk", "catalog")
        reporter.draw()
        notifier.close()
    assert "[####--------------------] catalog uk: 340/~2000 (17%), 5.0/s, ETA 5m32s" in (
        terminal.getvalue()
    )
    assert terminal.getvalue().endswith("\r\x1b[K")  # cleared once no pass is under way
    assert status == "STATUS=catalog uk: 340/~2000 (17%), 5.0/s, ETA 5m32s"
    (line, _) = events
    assert (line["event"], line["done"], line["total"], line["eta_seconds"]) == (
        "sync_progress",
        340,
        2000,
        332,
    )


async def test_a_long_push_shows_its_progress(ledger) -> None:
    board = ProgressBoard()
    seen: list[tuple[int, int] | None] = []

    async def send(product_id: str, _: object) -> list:
        shown = board.active()
        seen.append((shown[0].done, shown[0].total) if shown else None)
        return []

    async def record(*_: object) -> None:
        return None

    ctx = RunContext("uk", "inventory", "run-1", lambda: T0, structlog.get_logger())
    pusher = Pusher(
        ledger,
        FailureQueue(RetryPolicy(timedelta(minutes=1), timedelta(hours=1), 3), Metrics()),
        send,
        record,
        Links({}, {}, {}),
        board,
    )
    await pusher.push(ctx, [(f"p{n}", ()) for n in range(SHOWN_FROM)])
    assert seen[0] == (0, SHOWN_FROM)
    assert seen[-1] == (SHOWN_FROM - 1, SHOWN_FROM)
    assert board.active() == []  # done: no longer shown
    await pusher.push(ctx, [("p1", ())])  # a short push is not shown
    assert seen[-1] is None
