"""Polling bookmarks (Singer's signpost rule): re-read an overlap, never pass the run's start."""

from __future__ import annotations

from datetime import datetime, timedelta


def read_from(bookmark: datetime | None, overlap: timedelta) -> datetime | None:
    """Where the next poll starts: an overlap before the bookmark (None: from the beginning)."""
    return None if bookmark is None else bookmark - overlap


def advance(bookmark: datetime | None, run_started: datetime) -> datetime:
    """The bookmark after a complete pass that began at `run_started`.

    Everything updated before the run started has been read; anything updated while it ran
    is read again next time. A bookmark never moves backwards.
    """
    return run_started if bookmark is None else max(bookmark, run_started)


def poll_from(
    bookmark: datetime | None, *, overlap: timedelta, now: datetime, backfill: timedelta
) -> datetime:
    """Where a polling job reads from: an overlap before its bookmark, or, on its very first
    poll (no bookmark yet), `backfill` before now."""
    return now - backfill if bookmark is None else bookmark - overlap


def poll_from_seconds(
    bookmark: int | None, *, overlap: timedelta, now: datetime, backfill: timedelta
) -> int:
    """`poll_from` for bookmarks kept in Unix seconds of the marketplace's clock (never below
    zero)."""
    if bookmark is None:
        return int((now - backfill).timestamp())
    return max(0, bookmark - int(overlap.total_seconds()))
