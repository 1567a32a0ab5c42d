"""The whole daemon as a process: start, answer, SIGTERM, SIGKILL and restart."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from daemon.connectors.registry import STORE_KINDS
from daemon.settings import load_settings
from tests.conftest import MINIMAL_SHOP
from tests.support.process import ROOT, simulators, ttsync, wait_http

SECRETS = ("shpat_0123456789abcdef", "tiktok-app-secret-xyz")


@pytest.fixture
def config(simulated_config: Path) -> Iterator[tuple[Path, int]]:
    """The simulated config, with `ttsync simulate` serving its simulators meanwhile."""
    with simulators(simulated_config):
        yield simulated_config, load_settings(simulated_config).http.port


@pytest.fixture
def notify(tmp_path: Path) -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify.sock"))
    sock.settimeout(20)
    yield sock
    sock.close()


def test_runs_answers_and_stops_cleanly_on_sigterm(config, notify, tmp_path) -> None:
    path, port = config
    process = ttsync(
        "run",
        "--config",
        str(path),
        env={"NOTIFY_SOCKET": str(tmp_path / "notify.sock"), "WATCHDOG_USEC": "400000"},
    )
    try:
        messages = []
        while not any(m.startswith("READY=1") for m in messages):
            messages.append(notify.recv(4096).decode())
        status, body = wait_http(f"http://127.0.0.1:{port}/readyz")
        assert status == 200
        assert body["status"] == "ready"
        assert wait_http(f"http://127.0.0.1:{port}/healthz") == (200, {"status": "alive"})
        time.sleep(1.5)  # a few checkpoints and watchdog pings
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        out, err = process.communicate(timeout=10)
        assert time.monotonic() - started < 10
    finally:
        process.kill()
        process.communicate(timeout=5)
    assert process.returncode == 0, err
    notify.settimeout(0.5)
    try:
        while True:
            messages.append(notify.recv(4096).decode())
    except TimeoutError:
        pass
    assert any(m == "WATCHDOG=1" for m in messages)
    assert any(m.startswith("STOPPING=1") for m in messages)
    lines = [json.loads(line) for line in out.splitlines()]
    events = [line["event"] for line in lines]
    assert "daemon_started" in events
    assert "daemon_stopped" in events
    assert any(e == "job_run" and "run_id" in line for e, line in zip(events, lines, strict=True))
    assert [line for line in lines if line["level"] in {"error", "critical"}] == []
    assert "Traceback" not in out + err
    for secret in SECRETS:
        assert secret not in out + err


def test_sigkill_then_restart_opens_the_same_ledger(config, tmp_path) -> None:
    path, port = config
    process = ttsync("run", "--config", str(path))
    try:
        wait_http(f"http://127.0.0.1:{port}/readyz")
        time.sleep(1.2)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.communicate(timeout=5)
    assert process.returncode == -signal.SIGKILL
    ledger = tmp_path / "ledger.sqlite3"
    before = copy_and_count(ledger, tmp_path / "copy-1.sqlite3")
    assert before >= 1

    restarted = ttsync("run", "--config", str(path))
    try:
        status, body = wait_http(f"http://127.0.0.1:{port}/readyz")
        assert status == 200
        assert body["daemon"]["jobs"]["maintenance"]["last_success"] is not None
        restarted.send_signal(signal.SIGTERM)
        restarted.communicate(timeout=10)
    finally:
        restarted.kill()
        restarted.communicate(timeout=5)
    assert restarted.returncode == 0
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        total = conn.execute("SELECT count(*) FROM job_runs").fetchone()[0]
        running = conn.execute(
            "SELECT count(*) FROM job_runs WHERE outcome = 'running'"
        ).fetchone()[0]
    assert total > before
    assert running == 0


def copy_and_count(ledger: Path, copy: Path) -> int:
    """Count committed runs from a copy, so the test never holds the live file open."""
    for suffix in ("", "-wal"):
        source = Path(str(ledger) + suffix)
        if source.exists():
            shutil.copy(source, Path(str(copy) + suffix))
    with sqlite3.connect(copy) as conn:
        return int(conn.execute("SELECT count(*) FROM job_runs").fetchone()[0])


def test_run_once_exits_zero(config) -> None:
    path, _ = config
    process = ttsync("run", "--once", "--config", str(path))
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert '"event": "job_run"' in out


def test_check_config_ok(config) -> None:
    path, _ = config
    process = ttsync("check-config", str(path))
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert out.startswith(f"OK: {path} (1 shop(s): uk)\n")


@pytest.mark.parametrize("command", ["check-config", "run"])
def test_invalid_config_exits_78_naming_key_and_file(write_config, command) -> None:
    path = write_config(MINIMAL_SHOP.replace('app_key = "app-key-1"', "app_key = 5"))
    args = [command, str(path)] if command == "check-config" else [command, "--config", str(path)]
    process = ttsync(*args)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 78
    assert str(path) in err
    assert "shops[0].tiktok.app_key: Input should be a valid string" in err
    assert "Traceback" not in out + err
    for secret in SECRETS:
        assert secret not in out + err


def test_unknown_store_kind_exits_78_listing_the_known_kinds(write_config) -> None:
    path = write_config(MINIMAL_SHOP.replace('kind = "shopify"', 'kind = "prestashop"'))
    process = ttsync("check-config", str(path))
    _, err = process.communicate(timeout=30)
    assert process.returncode == 78
    assert str(path) in err
    known = ", ".join(sorted(STORE_KINDS))
    assert f"shops[0].store: unknown store kind 'prestashop'; known kinds: {known}" in err
    assert "Traceback" not in err


def test_missing_config_file_exits_78(tmp_path) -> None:
    process = ttsync("run", "--config", str(tmp_path / "nope.toml"))
    _, err = process.communicate(timeout=30)
    assert process.returncode == 78
    assert "nope.toml" in err
    assert "No such file" in err


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize(
    ("unit", "instance"), [("ttsync.service", None), ("ttsync@.service", "shop1")]
)
def test_systemd_units_verify(tmp_path, unit: str, instance: str | None) -> None:
    executable = shutil.which("ttsync") or str(Path(sys.executable).with_name("ttsync"))
    text = (ROOT / "systemd" / unit).read_text().replace("/usr/local/bin/ttsync", executable)
    (tmp_path / unit).write_text(text)
    name = unit.replace("@", f"@{instance}") if instance else unit
    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / name)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize(("unit", "name"), [("ttsync.service", None), ("ttsync@.service", "shop1")])
def test_systemd_exposure_stays_at_or_below_one(tmp_path, unit: str, name: str | None) -> None:
    """`systemd-analyze security` rates the unit's exposure 0 (locked) to 10 (exposed)."""
    text = (ROOT / "systemd" / unit).read_text()
    target = tmp_path / (unit.replace("@", f"@{name}") if name else unit)
    target.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=true", str(target)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d)", result.stdout)
    if found is None and "--offline" in result.stderr:
        pytest.skip(f"this systemd-analyze cannot assess unit files offline: {result.stderr}")
    assert found is not None, result.stdout + result.stderr
    assert float(found.group(1)) <= 1.0, result.stdout
