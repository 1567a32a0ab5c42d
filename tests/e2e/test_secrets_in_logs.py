"""No secret reaches a log line at any level: a full cycle at debug, every line searched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from daemon.settings import load_settings
from tests.support.process import simulators, ttsync


def test_a_debug_cycle_logs_no_token_or_secret(simulated_config: Path, tmp_path: Path) -> None:
    debug = tmp_path / "debug.toml"
    debug.write_text(
        simulated_config.read_text().replace(
            'log_format = "json"', 'log_format = "json"\nlog_level = "debug"'
        )
    )
    settings = load_settings(debug)
    with simulators(simulated_config):
        process = ttsync("run", "--once", "--config", str(debug))
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert '"level": "debug"' in out  # the level really was debug
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as conn:
        tokens = conn.execute("SELECT access_token, refresh_token FROM tiktok_tokens").fetchall()
    assert tokens, "the cycle obtained no TikTok tokens"
    secrets = [value for row in tokens for value in row] + settings.secret_values()
    lines = (out + err).splitlines()
    assert len(lines) > 5
    for secret in secrets:
        leaking = [line for line in lines if secret in line]
        assert not leaking, f"a secret appears in {len(leaking)} lines, first: {leaking[0][:300]}"
