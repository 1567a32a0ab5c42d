"""The daemon as a process, for end-to-end tests: `ttsync run` as systemd starts it, or forked
from `tests.support.forkserver` when a test starts it many times."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


async def start_daemon(config: Path, log: Path) -> asyncio.subprocess.Process:
    """`ttsync run` as systemd starts it."""
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "daemon",
            "run",
            "--config",
            str(config),
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=sink,
            stderr=sink,
        )


class ForkServer:
    """`ttsync run` processes from `tests.support.forkserver` (imports paid once)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> ForkServer:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.support.forkserver",
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def run_daemon(self, config: Path, log: Path) -> int:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(f"{log} run --config {config}\n".encode())
        await self.process.stdin.drain()
        return int(await asyncio.wait_for(self.process.stdout.readline(), 10))

    async def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), 10)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
