"""The ledger's disk fills up: runs fail with the reason, /readyz and the metrics say so,
webhooks answer 503 so the platforms deliver again, and it all resumes when space returns.

A small tmpfs is the disk; mounting one needs root (CI runs as root), elsewhere the test skips.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import json
import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from daemon.connectors.tiktok.signing import sign_webhook
from daemon.domain import RunOutcome
from daemon.runtime import Daemon, build, run_once
from daemon.settings import load_settings

FULL = "ledger: database or disk is full"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB filesystem of its own."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
async def daemon(simulated_config: Path, simulators, disk: Path) -> AsyncIterator[Daemon]:
    del simulators
    text = simulated_config.read_text()
    ledger_line = next(line for line in text.splitlines() if line.strip().startswith("path ="))
    config = simulated_config.with_name("full-disk.toml")
    config.write_text(text.replace(ledger_line, f'path = "{disk}/ledger.sqlite3"'))
    async with AsyncExitStack() as stack:
        yield await build(load_settings(config), stack)


def fill(disk: Path) -> Path:
    """Write a file until the filesystem refuses another byte."""
    filler = disk / "filler"
    # Unbuffered: nothing is left to flush (and refused again) when the file closes.
    with (  # noqa: PT012 the loop is the single statement that fills the disk
        filler.open("wb", buffering=0) as sink,
        pytest.raises(OSError, match="No space left") as refused,
    ):
        while True:
            sink.write(b"\0" * 65536)
    assert refused.value.errno == errno.ENOSPC
    return filler


async def readyz(daemon: Daemon) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{daemon.server.url}/readyz") as reply,
    ):
        return reply.status, await reply.json()


async def order_webhook(daemon: Daemon) -> int:
    body = json.dumps({"type": 1, "tts_notification_id": "n-1", "data": {"order_id": "5"}})
    signature = sign_webhook("app-key-1", "tiktok-app-secret-xyz", body.encode())
    headers = {"Authorization": signature, "Content-Type": "application/json"}
    url = f"{daemon.server.url}/webhooks/tiktok/uk"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


def failures(daemon: Daemon, job: str) -> float:
    labels = {"shop": "uk", "job": job}
    return daemon.metrics.registry.get_sample_value("ttsync_job_failures_total", labels) or 0.0


async def test_a_full_disk_is_loud_and_safe_and_passes(daemon: Daemon, disk: Path) -> None:
    unhandled: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _, context: unhandled.append(context))
    spec = next(spec for spec in daemon.specs if spec.name == "connect")
    assert await daemon.runner.run(spec) is RunOutcome.OK
    await daemon.ledger.checkpoint()  # an empty WAL: the next write needs new space
    filler = fill(disk)

    assert not await run_once(daemon)  # every job fails, none crashes the daemon
    health = daemon.health.job("uk", "connect")
    assert health.last_error == f"LedgerError: {FULL}"
    assert failures(daemon, "connect") == 1
    status, body = await readyz(daemon)
    assert (status, body["ledger"]) == (503, {"ok": False, "error": FULL})
    assert await order_webhook(daemon) == 503

    filler.unlink()
    assert await daemon.runner.run(spec) is RunOutcome.OK
    status, body = await readyz(daemon)
    assert (status, body["ledger"]) == (200, {"ok": True})
    assert await order_webhook(daemon) == 200
    await asyncio.sleep(0)
    gc.collect()  # a task whose exception nobody retrieved reports it when collected
    assert unhandled == []
