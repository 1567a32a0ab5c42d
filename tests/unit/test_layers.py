"""The architecture's arrows, checked: what each layer may import (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

DAEMON = Path(__file__).parents[2] / "daemon"


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def modules(package: str) -> list[Path]:
    return sorted((DAEMON / package).rglob("*.py"))


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_the_domain_is_pure(path: Path) -> None:
    forbidden = {"asyncio", "aiohttp", "aiosqlite", "sqlite3", "time"}
    daemon_layers = {"daemon.connectors", "daemon.ledger", "daemon.jobs", "daemon.runtime"}
    for name in imports_of(path):
        assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
        assert not any(name.startswith(layer) for layer in daemon_layers), name


# `ttsync simulate` and `ttsync demo` are the only ways in; the CLI imports them lazily.
_SIMULATOR_ENTRIES = {"simulate.py"}


@pytest.mark.parametrize(
    "path",
    [path for path in sorted(DAEMON.rglob("*.py")) if path.name not in _SIMULATOR_ENTRIES],
    ids=lambda p: str(p.relative_to(DAEMON)),
)
def test_the_daemon_never_imports_the_simulators(path: Path) -> None:
    for name in imports_of(path):
        assert name.split(".")[0] != "simulators", f"{path} imports {name}"


@pytest.mark.parametrize("package", ["jobs"])
def test_jobs_talk_neither_http_nor_sql(package: str) -> None:
    for path in modules(package):
        for name in imports_of(path):
            assert name.split(".")[0] not in {"aiohttp", "aiosqlite", "sqlite3"}, path


def test_running_the_daemon_loads_no_simulator() -> None:
    code = (
        "import sys, daemon.cli, daemon.runtime.app; "
        "print(sorted(m for m in sys.modules if m.startswith('simulators')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


SIMULATORS = DAEMON.parent / "simulators"
# The simulators share only the pure signing functions with the daemon: the rest is theirs.
_SIMULATORS_MAY_IMPORT = {"daemon.connectors.tiktok.signing"}


@pytest.mark.parametrize(
    "path", sorted(SIMULATORS.rglob("*.py")), ids=lambda p: str(p.relative_to(SIMULATORS))
)
def test_the_simulators_take_only_pure_signing_from_the_daemon(path: Path) -> None:
    for name in imports_of(path):
        if name.split(".")[0] == "daemon":
            assert name in _SIMULATORS_MAY_IMPORT, f"{path} imports {name}"


@pytest.mark.parametrize("path", modules("connectors"), ids=lambda p: str(p.relative_to(DAEMON)))
def test_connectors_own_no_state_and_read_no_settings(path: Path) -> None:
    for name in imports_of(path):
        assert not name.startswith(("daemon.ledger", "daemon.settings")), f"{path} imports {name}"


def _store_kinds() -> list[str]:
    from daemon.connectors.registry import STORE_KINDS  # noqa: PLC0415 read at collection

    return sorted(STORE_KINDS)


_STORE_NEUTRAL = [
    *modules("domain"),
    *modules("jobs"),
    *modules("runtime"),
    *(DAEMON / name for name in ("cli.py", "config_types.py", "demo.py", "settings.py")),
    DAEMON / "simulate.py",
    *(DAEMON / "connectors" / name for name in ("base.py", "http.py", "store_kind.py")),
    DAEMON / "connectors" / "transport.py",
    DAEMON / "connectors" / "tiktok" / "order_channel.py",
]


@pytest.mark.parametrize("path", _STORE_NEUTRAL, ids=lambda p: str(p.relative_to(DAEMON)))
def test_no_store_is_named_outside_its_own_folders(path: Path) -> None:
    """The domain, jobs, runtime, entry points, shared connector parts and the TikTok order
    channel know stores only through the registry: they import no store's package and do not
    spell a store's name, not even in a comment."""
    text = path.read_text().lower()
    for kind in _store_kinds():
        for name in imports_of(path):
            assert not name.startswith(f"daemon.connectors.{kind}"), f"{path} imports {name}"
            assert not name.startswith(f"simulators.{kind}"), f"{path} imports {name}"
        assert kind not in text, f"{path} names {kind!r}"


@pytest.mark.parametrize("kind", _store_kinds())
def test_a_store_connector_names_no_other_platform(kind: str) -> None:
    others = [other for other in _store_kinds() if other != kind]
    for path in sorted((DAEMON / "connectors" / kind).rglob("*.py")):
        for name in imports_of(path):
            assert not any(name.startswith(f"daemon.connectors.{o}") for o in others), path
            assert not name.startswith("daemon.connectors.tiktok"), f"{path} imports {name}"
