"""The units, the example configs and docs/OPERATIONS.md name the same credential files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from daemon.resources import SHIPPED, data_path

ROOT = Path(__file__).parents[2]
UNITS = ("ttsync.service", "ttsync@.service")


def unit_credentials(unit: str) -> dict[str, str]:
    """name -> source path of every LoadCredential= line, active or commented out."""
    text = (ROOT / "systemd" / unit).read_text()
    return dict(re.findall(r"^#?LoadCredential=([\w-]+):(\S+)$", text, flags=re.MULTILINE))


def config_credentials() -> set[str]:
    found: set[str] = set()
    for example in (ROOT / "config").glob("example-*.toml"):
        found.update(re.findall(r'"credential:([a-z0-9][a-z0-9-]*)"', example.read_text()))
    return found


@pytest.mark.parametrize("unit", UNITS)
def test_every_credential_of_the_examples_has_a_unit_line_and_a_row_in_the_guide(
    unit: str,
) -> None:
    listed = unit_credentials(unit)
    named = config_credentials()
    assert named == set(listed), f"{unit} and the example configs disagree"
    directory = "/etc/ttsync/credentials/" + ("%i/" if "@" in unit else "")
    for name, source in listed.items():
        assert source == directory + name
    guide = (ROOT / "docs" / "OPERATIONS.md").read_text()
    table = guide[guide.index("### Credentials") :]
    for name in named:
        assert f"`{name}`" in table, f"{name} is missing from OPERATIONS.md's credential table"
    assert "mode 0600" in guide
    assert "install -m 0600 /dev/stdin /etc/ttsync/credentials/" in guide


def test_shipped_files_resolve_in_a_checkout() -> None:
    assert data_path("config", "carriers.toml") == ROOT / "config" / "carriers.toml"
    assert data_path("systemd", "ttsync.service").is_file()
    assert set(SHIPPED) == {"config", "systemd", "docs"}
    with pytest.raises(ValueError, match="not shipped"):
        data_path("tests", "conftest.py")
