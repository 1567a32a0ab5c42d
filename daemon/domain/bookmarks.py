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
