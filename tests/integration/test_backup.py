"""`ttsync backup FILE`: a consistent, self-contained copy of a ledger in use."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from daemon import cli
from daemon.runtime import run_once
from tests.support.world import open_world


async def test_backup_copies_the_ledger_of_a_running_daemon(
    simulated_config: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "backup.sqlite3"
    argv = ["backup", "--config", str(simulated_config), str(target)]
    async with open_world(simulated_config) as world:
        assert await run_once(world.daemon)
        async with world.daemon.ledger.read() as tx:
            row = await tx.fetchone("SELECT count(*) FROM job_runs")
        assert row is not None
        runs = int(row[0])
        assert await asyncio.to_thread(cli.main, argv) == 0
        assert f"to {target}" in capsys.readouterr().out
        assert await asyncio.to_thread(cli.main, argv) == 73  # never overwritten by accident
        assert f"{target} exists" in capsys.readouterr().err
        assert await asyncio.to_thread(cli.main, [*argv, "--force"]) == 0
    assert not Path(f"{target}-wal").exists()
    assert not Path(f"{target}.partial").exists()
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM job_runs").fetchone() == (runs,)
        assert copy.execute("PRAGMA user_version").fetchone()[0] >= 8
