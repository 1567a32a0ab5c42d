"""`ttsync backup FILE`: a consistent copy of the ledger, taken with SQLite's online backup
while the daemon runs (it never stops it, and a restore needs only this one file)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from daemon.ledger import Ledger
from daemon.settings import Settings

EX_CANTCREAT = 73


def target_problem(target: Path, *, force: bool) -> str | None:
    if target.exists() and not force:
        return f"{target} exists; choose another name or pass --force"
    if not target.parent.is_dir():
        return f"the directory {target.parent} does not exist"
    return None


async def backup_command(settings: Settings, target: Path, *, force: bool) -> int:
    if problem := await asyncio.to_thread(target_problem, target, force=force):
        sys.stderr.write(f"ttsync: {problem}\n")
        return EX_CANTCREAT
    ledger = await Ledger.open_existing(
        settings.ledger.path, busy_timeout=settings.ledger.busy_timeout
    )
    try:
        size = await ledger.backup(target)
    finally:
        await ledger.close()
    sys.stdout.write(f"Backed up {settings.ledger.path} to {target} ({size:,} bytes).\n")
    return 0
