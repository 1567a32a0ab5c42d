"""`check-config` checks what `run` loads, outside systemd too; read-only commands never create
a ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from daemon import cli

EXAMPLE = Path(__file__).parents[2] / "config" / "example-shopify.toml"
CREDENTIALS = ("shopify-token", "shopify-webhook-secret", "tiktok-app-secret")


@pytest.fixture(autouse=True)
def _outside_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    # set first, so that monkeypatch restores the variable's absence after a command sets it
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", "/nonexistent")
    monkeypatch.delenv("CREDENTIALS_DIRECTORY")


def test_the_example_passes_outside_systemd_listing_its_credentials(capsys) -> None:
    assert cli.main(["check-config", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK: {EXAMPLE}")
    assert "reads at start from $CREDENTIALS_DIRECTORY" in out
    assert ", ".join(CREDENTIALS) in out


def test_a_credentials_dir_is_read_and_loose_modes_are_warned(tmp_path: Path, capsys) -> None:
    for name in CREDENTIALS:
        (tmp_path / name).write_text(f"value-of-{name}\n")
        (tmp_path / name).chmod(0o600)
    (tmp_path / "shopify-token").chmod(0o644)
    argv = ["check-config", str(EXAMPLE), "--credentials-dir", str(tmp_path)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "reads at start" not in out
    assert f"warning: {tmp_path}/shopify-token: others than its owner may read it" in out
    assert "value-of-" not in out

    (tmp_path / "tiktok-app-secret").unlink()
    assert cli.main(argv) == 78
    err = capsys.readouterr().err
    assert "shops[0].tiktok.app_secret: cannot read secret file" in err
    assert "tiktok-app-secret" in err


def test_an_inline_secret_draws_a_warning_without_showing_it(tmp_path: Path, capsys) -> None:
    text = EXAMPLE.read_text().replace('"credential:tiktok-app-secret"', '"s3cr3t-inline"')
    config = tmp_path / "ttsync.toml"
    config.write_text(text)
    assert cli.main(["check-config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "warning: shops[0].tiktok.app_secret: a secret written in the config file" in out
    assert "s3cr3t-inline" not in out


def test_a_retired_key_is_accepted_with_a_warning_naming_it(tmp_path: Path, capsys) -> None:
    text = EXAMPLE.read_text().replace("[shops.store]\n", "[shops.store]\nleak_rate = 2.0\n", 1)
    assert "leak_rate" in text
    config = tmp_path / "ttsync.toml"
    config.write_text(text)
    assert cli.main(["check-config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "warning: shops[0].store.leak_rate (" in out
    assert "every Shopify call is GraphQL now" in out
    assert cli.main(["check-config", str(EXAMPLE)]) == 0
    assert "no longer used" not in capsys.readouterr().out


def test_a_missing_carriers_file_fails_the_check(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "carriers.toml"
    config = tmp_path / "ttsync.toml"
    config.write_text(
        EXAMPLE.read_text().replace(
            "[shops.orders]", f'[shops.orders]\ncarriers_file = "{missing}"', 1
        )
    )
    assert cli.main(["check-config", str(config)]) == 78
    err = capsys.readouterr().err
    assert f"ttsync: invalid configuration in {missing}:" in err
    assert "shops[0].orders.carriers_file (uk-main): cannot read the carrier map" in err


@pytest.mark.parametrize("command", ["failures", "orders"])
def test_read_only_commands_never_create_a_ledger(tmp_path: Path, capsys, command: str) -> None:
    ledger = tmp_path / "nowhere" / "ledger.sqlite3"
    config = tmp_path / "ttsync.toml"
    text = EXAMPLE.read_text().replace('"credential:', '"literal-')
    default = 'path = "/var/lib/ttsync/ledger.sqlite3"'
    assert default in text
    config.write_text(text.replace(default, f'path = "{ledger}"'))
    assert cli.main([command, "--config", str(config)]) != 0
    err = capsys.readouterr().err
    assert f"{ledger} does not exist: check [ledger] path in the config" in err
    assert not ledger.parent.exists()
