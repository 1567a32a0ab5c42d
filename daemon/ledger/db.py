"""One aiosqlite connection to the ledger: WAL, synchronous=FULL, foreign keys, migrations.

All access goes through `Ledger.transaction()` (writes, ``BEGIN IMMEDIATE``) or `Ledger.read()`
(a consistent snapshot). One asyncio lock serialises them, so two coroutines never interleave
statements on the shared connection, and a crash at any point leaves only whole transactions.

A write the database refuses (a full or read-only disk, an I/O error) rolls back and raises
`LedgerError` ("ledger: database or disk is full"); `Ledger.write_error` keeps that reason
until a write commits again, so that /readyz can name it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from daemon.errors import LedgerError

Params = Sequence[Any] | dict[str, Any]
Row = sqlite3.Row


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered ``NNNN_name.sql`` files shipped in ``daemon/ledger/migrations``."""
    found: list[Migration] = []
    for entry in resources.files("daemon.ledger").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append(Migration(int(number), name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    expected = list(range(1, len(found) + 1))
    if [migration.version for migration in found] != expected:
        raise LedgerError("ledger migrations are not numbered 1..N without gaps")
    return found


async def _to_the_end(step: Awaitable[object]) -> None:
    """Await a transaction-control statement to completion even if the caller is cancelled
    meanwhile; the cancellation is delivered once the statement is done."""
    task = asyncio.ensure_future(step)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    task.result()  # raise the statement's own error, if it failed
    if cancelled:
        raise asyncio.CancelledError


def _seal(copy: sqlite3.Connection, partial: Path, target: Path) -> int:
    """Make the copy one self-contained file, check it, and move it into place."""
    copy.execute("PRAGMA journal_mode = DELETE")
    check = copy.execute("PRAGMA integrity_check").fetchone()
    if check is None or check[0] != "ok":
        raise LedgerError(f"the backup failed its integrity check: {check}")
    partial.replace(target)
    return target.stat().st_size


class Tx:
    """Statements inside one transaction (or one read snapshot)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        async with self._conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row's id."""
        async with self._conn.execute(sql, params) as cursor:
            rowid = cursor.lastrowid
        if rowid is None:
            raise LedgerError("insert returned no row id")
        return rowid

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._conn.execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())


class Ledger:
    """The ledger database. Open with `Ledger.open`; close with `close`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._closed = False
        self.path = path
        self.write_error: str | None = None

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout: timedelta = timedelta(seconds=5),
        migrations: list[Migration] | None = None,
    ) -> Ledger:
        """Open (creating if needed) and migrate the ledger at `path`."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(f"cannot create {path.parent}: {exc.strerror}") from None
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise LedgerError(f"cannot open the ledger {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        ledger = cls(conn, path)
        try:
            await ledger._configure(busy_timeout)
            await ledger._migrate(migrations if migrations is not None else bundled_migrations())
        except BaseException:
            await conn.close()
            raise
        return ledger

    @classmethod
    async def open_existing(
        cls, path: Path, *, busy_timeout: timedelta = timedelta(seconds=5)
    ) -> Ledger:
        """Open the ledger at `path` for a command that inspects it: a missing file is a
        `LedgerError` naming the path, never a new, empty ledger."""
        if not await asyncio.to_thread(path.is_file):
            exists = await asyncio.to_thread(path.exists)
            problem = "is not a file" if exists else "does not exist"
            raise LedgerError(
                f"{path} {problem}: check [ledger] path in the config (the daemon creates the "
                "ledger when it first starts)"
            )
        return await cls.open(path, busy_timeout=busy_timeout)

    async def _configure(self, busy_timeout: timedelta) -> None:
        millis = int(busy_timeout.total_seconds() * 1000)
        try:
            # busy_timeout first: the WAL switch itself may have to wait for another process.
            await self._conn.execute(f"PRAGMA busy_timeout = {millis}")
            async with self._conn.execute("PRAGMA journal_mode = WAL") as cursor:
                row = await cursor.fetchone()
            if row is None or str(row[0]).lower() != "wal":
                raise LedgerError(f"the ledger {self.path} cannot use WAL journaling")
            await self._conn.execute("PRAGMA synchronous = FULL")
            await self._conn.execute("PRAGMA foreign_keys = ON")
            # Checkpoints are ours (see `checkpoint`); keep SQLite's automatic ones as a backstop.
            await self._conn.execute("PRAGMA wal_autocheckpoint = 1000")
            await self._conn.execute("PRAGMA journal_size_limit = 67108864")
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"the ledger {self.path} is not usable: {exc}") from None

    async def _migrate(self, migrations: list[Migration]) -> None:
        current = await self.schema_version()
        latest = migrations[-1].version if migrations else 0
        if current > latest:
            raise LedgerError(
                f"the ledger {self.path} has schema version {current}, newer than this "
                f"ttsync knows ({latest}); upgrade ttsync or restore a backup"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            script = (
                f"BEGIN IMMEDIATE;\n{migration.sql}\n"
                f"PRAGMA user_version = {migration.version};\nCOMMIT;"
            )
            try:
                await self._conn.executescript(script)
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    await self._conn.rollback()
                raise LedgerError(
                    f"migration {migration.version:04d}_{migration.name} failed: {exc}"
                ) from None

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: everything inside commits together or not at all.

        Cancellation-safe: BEGIN, COMMIT and ROLLBACK always run to the end before the lock is
        released, so a task cancelled at any point never leaves the shared connection inside a
        transaction for the next one.
        """
        async with self._lock:
            self._check_open()
            try:
                try:
                    await _to_the_end(self._conn.execute("BEGIN IMMEDIATE"))
                    yield Tx(self._conn)
                    await _to_the_end(self._conn.commit())
                except BaseException:  # a failed COMMIT leaves the transaction open, too
                    await _to_the_end(self._conn.rollback())
                    raise
            except sqlite3.OperationalError as exc:
                self.write_error = f"ledger: {exc}"
                raise LedgerError(self.write_error) from None
            self.write_error = None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Tx]:
        """A read-only snapshot; nothing written inside it is kept."""
        async with self._lock:
            self._check_open()
            try:
                await _to_the_end(self._conn.execute("BEGIN DEFERRED"))
                yield Tx(self._conn)
            finally:
                await _to_the_end(self._conn.rollback())

    async def ping(self) -> None:
        """Prove the ledger answers; raise `LedgerError` when it does not."""
        try:
            async with self.read() as tx:
                await tx.fetchone("SELECT 1")
        except sqlite3.Error as exc:
            raise LedgerError(f"ledger ping failed: {exc}") from None

    async def checkpoint(self) -> int:
        """Copy the WAL into the database and truncate it; return the pages it held."""
        async with self._lock:
            self._check_open()
            try:
                async with self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                    row = await cursor.fetchone()
            except sqlite3.OperationalError as exc:
                raise LedgerError(f"ledger: {exc}") from None
        return int(row[1]) if row else 0

    async def backup(self, target: Path) -> int:
        """Copy the ledger to `target` with SQLite's online backup, consistent while the daemon
        writes; the copy is checked and moved into place whole. Returns its size in bytes."""
        partial = target.with_name(target.name + ".partial")
        try:
            copy = sqlite3.connect(partial, check_same_thread=False)
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot create {partial}: {exc}") from None
        try:
            async with self._lock:
                self._check_open()
                await self._conn.backup(copy)
            return await asyncio.to_thread(_seal, copy, partial, target)
        except sqlite3.Error as exc:
            raise LedgerError(f"the backup to {target} failed: {exc}") from None
        finally:
            copy.close()

    def wal_bytes(self) -> int:
        """The WAL file's current size on disk."""
        try:
            return self.path.with_name(self.path.name + "-wal").stat().st_size
        except FileNotFoundError:
            return 0

    def _check_open(self) -> None:
        if self._closed:
            raise LedgerError(f"the ledger {self.path} is closed")

    async def close(self) -> None:
        async with self._lock:
            if not self._closed:
                self._closed = True
                await self._conn.close()
