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
from daemon.connectors.sfcc.webdav import Entry, FileTooLargeError, Listing, WebDav

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
        # The previous listing of each folder: (size, time) by path.
        self._seen: dict[Feed, dict[str, tuple[int, str]]] = {}
        # Files whose outcome is known (an outcome never changes for path, size and time), so
        # a steady folder costs its listing and no ledger read; pruned to what is listed.
        self._applied: set[FeedFile] = set()
        self._refused: set[FeedFile] = set()

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
        folders = self._folders.by_feed
        listings = {feed: await self._dav.listing(folder) for feed, folder in folders.items()}
        pending: dict[Feed, list[Entry]] = {}
        done: list[Entry] = []
        for feed, listing in listings.items():
            pending[feed], applied = await self._sort(listing.entries)
            done.extend(applied)
        ready = {feed: self._ready(feed, pending[feed], listings[feed]) for feed in pending}
        if self._folders.settle > 0 and any(len(ready[f]) < len(pending[f]) for f in pending):
            await asyncio.sleep(self._folders.settle)
            for feed, folder in folders.items():
                if len(ready[feed]) < len(pending[feed]):
                    listings[feed] = await self._dav.listing(folder)
                    ready[feed] = self._ready(feed, pending[feed], listings[feed])
        with tempfile.TemporaryDirectory(prefix="ttsync-feed-") as scratch:
            for feed in folders:
                when = listings[feed].server_time
                done.extend(
                    [
                        e
                        for e in ready[feed]
                        if await self._take(feed, e, Path(scratch), when, report)
                    ]
                )
                report.waiting.extend(e.path for e in pending[feed][len(ready[feed]) :])
        if self._folders.archive is not None:
            names = {entry.path for listing in listings.values() for entry in listing.entries}
            await self._archive(done, names, self._folders.archive)
        return report

    async def _sort(self, entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
        """The feed files of a listing not met before, and those applied, in name order."""
        listed = {_file(entry) for entry in entries}
        self._applied &= listed
        self._refused &= listed
        new: list[Entry] = []
        applied: list[Entry] = []
        for entry in sorted(entries, key=lambda e: e.path):
            file = _file(entry)
            if not _is_feed(entry, self._folders.marker) or file in self._refused:
                continue
            if file not in self._applied:
                outcome = await self._state.outcome(file)
                if outcome is None:
                    new.append(entry)
                    continue
                known = self._applied if outcome.status == "applied" else self._refused
                known.add(file)
            if file in self._applied:
                applied.append(entry)
        return new, applied

    def _ready(self, feed: Feed, pending: Sequence[Entry], listing: Listing) -> list[Entry]:
        """The leading run of `pending` files that are ready (name order holds the rest)."""
        now = {entry.path: (entry.size, entry.modified) for entry in listing.entries}
        before = self._seen.get(feed, {})
        marker = self._folders.marker
        ready: list[Entry] = []
        for entry in pending:
            marked = marker is not None and entry.path + marker in now
            steady = before.get(entry.path) == (entry.size, entry.modified)
            if not (marked or steady):
                break
            ready.append(entry)
        self._seen[feed] = now
        return ready

    async def _take(
        self, feed: Feed, entry: Entry, scratch: Path, when: datetime, report: ScanReport
    ) -> bool:
        """Check and apply one file; False when it was refused."""
        file = _file(entry)
        local = scratch / "feed.xml"
        try:
            await self._fetch(entry, local)
            await asyncio.to_thread(check, local, feed)
            async with self._state.applying(file, when) as writes:
                count = await self._apply(feed, local, writes, when)
        except FeedRefused as refused:
            reason = str(refused)
            await self._state.refuse(file, reason, when)
            self._refused.add(file)
            log.warning("feed_refused", feed=feed.value, file=entry.path, reason=reason)
            report.refused.append(entry.path)
            return False
        self._applied.add(file)
        log.info("feed_applied", feed=feed.value, file=entry.path, size=entry.size, records=count)
        report.applied.append(entry.path)
        return True

    async def _fetch(self, entry: Entry, local: Path) -> None:
        """Download the file; `FeedRefused` when it is over the size taken."""
        limit = self._folders.max_bytes
        if entry.size > limit:
            raise FeedRefused(f"the file is over {limit} bytes (max_file_mb)")
        try:
            await self._dav.download(entry.path, local, max_bytes=limit)
        except FileTooLargeError as exc:  # it grew past the limit since it was listed
            raise FeedRefused(f"{exc} (max_file_mb)") from None

    async def _archive(self, applied: Sequence[Entry], names: set[str], archive: str) -> None:
        """Move applied files (and their markers) under `archive`, keeping their paths."""
        marker = self._folders.marker
        for entry in applied:
            await self._dav.move(entry.path, f"{archive}/{entry.path}")
            if marker is not None and entry.path + marker in names:
                await self._dav.move(entry.path + marker, f"{archive}/{entry.path}{marker}")
            log.info("feed_archived", file=entry.path, to=archive)


def _file(entry: Entry) -> FeedFile:
    return FeedFile(entry.path, entry.size, entry.modified)
