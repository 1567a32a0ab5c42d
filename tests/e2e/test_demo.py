"""`ttsync demo` (what `make demo` runs) tells its story and exits 0."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from daemon.connectors.registry import STORE_KINDS
from tests.conftest import free_port
from tests.support.process import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("kind", sorted(STORE_KINDS))
def test_the_demo_story_runs_to_the_end(tmp_path: Path, kind: str) -> None:
    text = (ROOT / "config" / f"demo-{kind}.toml").read_text()
    for port in ("8787", "8788", "8789"):
        text = text.replace(port, str(free_port()))
    text = text.replace("state/demo/ledger.sqlite3", str(tmp_path / "ledger.sqlite3"))
    config = tmp_path / "demo.toml"
    config.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "daemon", "demo", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    title = STORE_KINDS[kind].title  # the story names the store kind it plays against
    assert re.search(r"1\. Initial sync .*: 2 failed to sync, \d+ under review, \d+ unmapped", out)
    assert "Mug with no barcode: failed to sync: barcode:" in out
    assert "TikTok accepts 0.01 to 5,600 GBP" in out
    assert "a table was flattened" in out
    assert re.search(r"2\. TikTok reviewed the listings .*: \d+ active", out)
    assert "reached TikTok as 35" in out
    assert f"at £24.99 in {title} reached TikTok" in out
    assert f"The other 3 were imported into {title} once each" in out
    assert "shipped with 'Hermes' as TikTok's Evri" in out
    assert "as TikTok's Royal Mail (unknown carrier" in out
    assert f"the {title} order was cancelled and restocked" in out
    assert f"never created in {title}" in out
    assert "exited with code 0" in out
