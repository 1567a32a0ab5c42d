"""`ttsync run --once` on a terminal: a progress bar while the initial sync runs, then a summary
in words."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.settings import load_settings
from tests.support.process import ROOT, http_json, simulators
from tests.support.world import item, variant


@pytest.fixture
def config(simulated_config: Path) -> Iterator[Path]:
    with simulators(simulated_config):
        yield simulated_config


def on_a_terminal(*args: str, timeout: float = 60) -> tuple[int, str]:
    """Run `ttsync ARGS` with a pseudo-terminal as stdout and stderr; (exit code, output)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "daemon", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "160"},
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=10), b"".join(chunks).decode(errors="replace")


def test_run_once_on_a_terminal_shows_progress_and_a_summary(config: Path) -> None:
    settings = load_settings(config)
    store = settings.shops[0].store.base_url
    tiktok = settings.shops[0].tiktok.api_base_url
    products = [item(f"Mug {n}", variant(f"TTY-{n}")) for n in range(6)]
    assert http_json(f"{store}/_sim/catalog", {"products": products})[0] == 200
    slow = {"operation": "create_product", "p_slow": 1.0, "slow_seconds": 1.2}
    assert http_json(f"{tiktok}/_sim/faults", slow, method="PUT")[0] == 200

    code, out = on_a_terminal("run", "--once", "--config", str(config))
    assert code == 0, out[-3000:]
    bars = re.findall(r"\[[#-]{24}\] catalog uk: \d+/~?\d+ \(\d+%\), [\d.]+/s, ETA \S+", out)
    assert bars, out[-3000:]
    assert "\x1b[K" in out  # the bar is redrawn in place, then cleared
    summary = out[out.index("Ran ") :]
    assert re.match(r"Ran \d+ job\(s\) once in [\d.]+ s: all passed\.", summary)
    assert "uk catalog: ok" in summary
    assert "Products (uk): under review 6" in summary
    assert "Retry queue: 0 waiting, 0 parked" in summary
