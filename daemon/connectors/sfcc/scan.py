"""Discovery: list the feed folders, take each new file in name order once it is ready, check
it, apply it and (as configured) archive it.

A file is ready when a marker file (its name plus the marker suffix) lies beside it, or when
its size and modification time are the same in two listings `settle` apart; a folder is taken
in name order, so a file that is not ready yet holds back the ones after it. Files already met
(same path, size and time) are skipped: applied once; a replaced file is met anew. A refused
file is recorded with its reason and logged; nothing of it is applied.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import structlog

from daemon.connectors.feeds import FeedFile, FeedState, FeedWrites
from daemon.connectors.sfcc.validation import Feed, FeedRefused, check
from daemon.connectors.sfcc.webdav import Entry, WebDav

log = structlog.get_logger("ttsync.sfcc")

# Applies one checked file of a feed; the time is the server's when it listed the file.
Apply = Callable[[Feed, Path, FeedWrites, datetime], Awaitable[int]]


@dataclass(frozen=True)
class Folders:
    """Where each kind of feed is dropped, in the order they are read."""

    by_feed: Mapping[Feed, str]
    archive: str | None
    marker: str | None
    settle: float
    max_bytes: int


@dataclass
class ScanReport:
    applied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


def _is_feed(entry: Entry, marker: str | None) -> bool:
    name = entry.path.rsplit("/", 1)[-1]
    return name.lower().endswith(".xml") and not (marker and name.endswith(marker))


class Scanner:
    def __init__(self, dav: WebDav, state: FeedState, folders: Folders, apply: Apply) -> None:
        self._dav = dav
        self._state = state
        self._folders = folders
        self._apply = apply
        self._lock = asyncio.Lock()
        self._started = float("-inf")
        self._seen: dict[str, tuple[int, str]] = {}  # the previous listing, per file

    async def refresh(self) -> ScanReport | None:
        """Scan unless a scan begun after this call was made has already looked."""
        asked = time.monotonic()
        async with self._lock:
            if self._started >= asked:
                return None
            self._started = time.monotonic()
            return await self._scan()

    async def _scan(self) -> ScanReport:
        report = ScanReport()
        listings = {
            feed: await self._dav.listing(folder) for feed, folder in self._folders.by_feed.items()
        }
        pending = {feed: await self._new(listing.entries) for feed, listing in listings.items()}
        ready = {
            feed: self._ready(files, listings[feed].entries) for feed, files in pending.items()
        }
        if self._folders.settle > 0 and any(
            len(ready[feed]) < len(pending[feed]) for feed in pending
        ):
            await asyncio.sleep(self._folders.settle)
            for feed, folder in self._folders.by_feed.items():
                if len(ready[feed]) < len(pending[feed]):
                    listings[feed] = await self._dav.listing(folder)
                    ready[feed] = self._ready(pending[feed], listings[feed].entries)
        with tempfile.TemporaryDirectory(prefix="ttsync-feed-") as scratch:
            for feed in self._folders.by_feed:
                when = listings[feed].server_time
                for entry in ready[feed]:
                    await self._take(feed, entry, Path(scratch), when, report)
                report.waiting.extend(e.path for e in pending[feed][len(ready[feed]) :])
        await self._archive_consumed(listings)
        return report

    async def _new(self, entries: Sequence[Entry]) -> list[Entry]:
        """Files not met before, in name order."""
        found = []
        for entry in sorted(entries, key=lambda e: e.path):
            if not _is_feed(entry, self._folders.marker):
                continue
            if await self._state.outcome(_file(entry)) is None:
                found.append(entry)
        return found

    def _ready(self, pending: Sequence[Entry], listed: Sequence[Entry]) -> list[Entry]:
        """The leading run of `pending` files that are ready (name order holds the rest)."""
        names = {entry.path for entry in listed}
        now = {entry.path: (entry.size, entry.modified) for entry in listed}
        ready: list[Entry] = []
        for entry in pending:
            marked = self._folders.marker is not None and entry.path + self._folders.marker in names
            steady = self._seen.get(entry.path) == (entry.size, entry.modified)
            if not (marked or steady):
                break
            ready.append(entry)
        self._seen.update(now)
        return ready

    async def _take(
        self, feed: Feed, entry: Entry, scratch: Path, when: datetime, report: ScanReport
    ) -> None:
        file = _file(entry)
        local = scratch / "feed.xml"
        await self._dav.download(entry.path, local, max_bytes=self._folders.max_bytes)
        try:
            await asyncio.to_thread(check, local, feed)
            async with self._state.applying(file, when) as writes:
                count = await self._apply(feed, local, writes, when)
        except FeedRefused as refused:
            reason = str(refused)
            await self._state.refuse(file, reason, when)
            log.warning("feed_refused", feed=feed.value, file=entry.path, reason=reason)
            report.refused.append(entry.path)
            return
        log.info("feed_applied", feed=feed.value, file=entry.path, size=entry.size, records=count)
        report.applied.append(entry.path)

    async def _archive_consumed(self, listings: Mapping[Feed, object]) -> None:
        archive = self._folders.archive
        if archive is None:
            return
        for feed in listings:
            listing = await self._dav.listing(self._folders.by_feed[feed])
            names = {entry.path for entry in listing.entries}
            for entry in listing.entries:
                if not _is_feed(entry, self._folders.marker):
                    continue
                if await self._state.outcome(_file(entry)) is None:
                    continue
                await self._dav.move(entry.path, f"{archive}/{entry.path}")
                marker = entry.path + (self._folders.marker or "")
                if self._folders.marker and marker in names:
                    await self._dav.move(marker, f"{archive}/{marker}")
                log.info("feed_archived", file=entry.path, to=archive)


def _file(entry: Entry) -> FeedFile:
    return FeedFile(entry.path, entry.size, entry.modified)
