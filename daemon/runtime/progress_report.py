"""Shows the full passes under way (`ProgressBoard`): a bar redrawn on a terminal, a log line
every few seconds, and systemd's STATUS= line (``systemctl status ttsync``)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

import structlog

from daemon.jobs.progress import PassProgress, ProgressBoard
from daemon.runtime.notify import SystemdNotifier

log = structlog.get_logger("ttsync.progress")

DRAW_EVERY = 0.5  # seconds between redraws of the terminal bar
TELL_EVERY = 5.0  # seconds between log lines and STATUS= updates
_BAR = 24


def bar(progress: PassProgress, now: datetime, width: int) -> str:
    """``[#########---------------] catalog uk: 340/2000 (17%), 5.2/s, ETA 5m20s``."""
    total = progress.total
    filled = _BAR * min(progress.done, total) // total if total else 0
    line = f"[{'#' * filled}{'-' * (_BAR - filled)}] {progress.describe(now)}"
    return line[: max(10, width - 1)]


class ProgressReporter:
    def __init__(
        self,
        board: ProgressBoard,
        notifier: SystemdNotifier,
        clock: Callable[[], datetime],
        *,
        terminal: TextIO | None,
        idle_status: str = "",
    ) -> None:
        self._board = board
        self._notifier = notifier
        self._clock = clock
        self._terminal = terminal
        self.idle_status = idle_status
        self._drawn = False
        self._told = ""

    async def run(self) -> None:
        """Until cancelled: redraw every `DRAW_EVERY`, tell every `TELL_EVERY` seconds."""
        ticks = 0
        per_tell = round(TELL_EVERY / DRAW_EVERY)
        try:
            while True:
                await asyncio.sleep(DRAW_EVERY)
                ticks += 1
                self.draw()
                if ticks % per_tell == 0:
                    self.tell()
        finally:
            self.clear()

    def draw(self) -> None:
        if self._terminal is None:
            return
        passes = self._board.active()
        if not passes:
            self.clear()
            return
        width = shutil.get_terminal_size().columns
        line = " | ".join(bar(p, self._clock(), width // len(passes)) for p in passes)
        self._terminal.write(f"\r\x1b[K{line}")
        self._terminal.flush()
        self._drawn = True

    def clear(self) -> None:
        if self._terminal is not None and self._drawn:
            self._terminal.write("\r\x1b[K")
            self._terminal.flush()
            self._drawn = False

    def tell(self) -> None:
        """A log line per pass under way, and the STATUS= line when it changed."""
        now = self._clock()
        passes = self._board.active()
        for progress in passes:
            eta = progress.eta(now)
            until = progress.waiting_until if progress.waiting(now) else None
            log.info(
                "sync_progress",
                shop=progress.shop_id,
                job=progress.job,
                done=progress.done,
                total=progress.total,
                total_exact=progress.listing_complete,
                rate_per_second=round(progress.rate(now), 2),
                eta_seconds=None if eta is None else round(eta.total_seconds()),
                waiting_for_quota_until=None if until is None else until.isoformat(),
            )
        status = "; ".join(p.describe(now) for p in passes) or self.idle_status
        if status and status != self._told:
            self._notifier.status(status)
            self._told = status
