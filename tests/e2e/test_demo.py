"""`ttsync demo` (what `make demo` runs) tells its story and exits 0; one kind's story runs from
the built wheel, installed away from the checkout, with the config the wheel carries."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from daemon.connectors.registry import STORE_KINDS
from tests.conftest import free_port
from tests.support.process import ROOT

pytestmark = pytest.mark.slow

FROM_THE_WHEEL = "shopify"  # this kind's story runs from the installed wheel
SHIPPED = {
    "daemon/data/config/carriers.toml",
    *(
        f"daemon/data/config/{name}-{kind}.toml"
        for name in ("demo", "example")
        for kind in STORE_KINDS
    ),
    "daemon/data/systemd/ttsync.service",
    "daemon/data/systemd/ttsync@.service",
    "daemon/data/docs/OPERATIONS.md",
    "daemon/ledger/migrations/0001_init.sql",
}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, installed (without its dependencies, which this
    interpreter has) into a directory of its own."""
    wheels = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("ttsync-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = {posixpath.normpath(name) for name in archive.namelist()}
    assert {posixpath.normpath(name) for name in SHIPPED} <= names
    target = tmp_path_factory.mktemp("site")
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "-t", str(target)]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True, timeout=120)
    return target


@pytest.mark.parametrize("kind", sorted(STORE_KINDS))
def test_the_demo_story_runs_to_the_end(tmp_path: Path, kind: str, request) -> None:
    cwd, env = ROOT, dict(os.environ)
    source = ROOT / "config" / f"demo-{kind}.toml"
    if kind == FROM_THE_WHEEL:
        site = request.getfixturevalue("installed")
        cwd, env["PYTHONPATH"] = tmp_path, str(site)
        source = site / "daemon" / "data" / "config" / f"demo-{kind}.toml"
        where = subprocess.run(
            [
                sys.executable,
                "-c",
                "import daemon.resources as r; print(r.data_path('config', 'x'))",
            ],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert where.stdout.startswith(str(site)), where.stdout  # not the checkout's files
    text = source.read_text()
    for port in ("8787", "8788", "8789"):
        text = text.replace(port, str(free_port()))
    text = text.replace("state/demo/ledger.sqlite3", str(tmp_path / "ledger.sqlite3"))
    config = tmp_path / "demo.toml"
    config.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "daemon", "demo", "--config", str(config)],
        cwd=cwd,
        env=env,
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
