"""TikTok tokens are encrypted at rest under ``[ledger] token_key``, and the key rotates."""

from __future__ import annotations

import sqlite3
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from structlog.testing import capture_logs

from daemon.domain import RunOutcome
from daemon.domain.models import TokenRecord
from daemon.errors import ConfigError, LedgerError
from daemon.ledger import Ledger, shops
from daemon.ledger.sealing import PLAINTEXT, SEALED_PREFIX, TokenCipher
from daemon.runtime import Daemon, build
from daemon.settings import load_settings

TOKEN = TokenRecord("access-abc", 1_800_000_000, "refresh-xyz", 1_900_000_000, "oid", "S", ())
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


async def raw(ledger: Ledger) -> tuple[str, str]:
    async with ledger.read() as tx:
        row = await tx.fetchone("SELECT access_token, refresh_token FROM tiktok_tokens")
    assert row is not None
    return str(row[0]), str(row[1])


async def load(ledger: Ledger, cipher: TokenCipher) -> TokenRecord | None:
    async with ledger.read() as tx:
        return await shops.load_tokens(tx, "uk", cipher=cipher)


async def test_sealed_tokens_open_only_with_a_known_key(ledger: Ledger, clock) -> None:
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())
        await shops.save_tokens(tx, "uk", TOKEN, clock(), cipher=TokenCipher([OLD]))
    access, refresh = await raw(ledger)
    assert access.startswith(SEALED_PREFIX)
    assert refresh.startswith(SEALED_PREFIX)
    assert "access-abc" not in access
    assert "refresh-xyz" not in refresh
    assert await load(ledger, TokenCipher([OLD])) == TOKEN
    assert await load(ledger, TokenCipher([NEW, OLD])) == TOKEN  # mid-rotation
    with pytest.raises(LedgerError, match="neither \\[ledger\\] token_key nor one of previous"):
        await load(ledger, TokenCipher([NEW]))
    with pytest.raises(LedgerError, match="encrypted but no \\[ledger\\] token_key is set"):
        await load(ledger, PLAINTEXT)

    async with ledger.transaction() as tx:  # the rotation's second half, as a start runs it
        assert await shops.reseal_tokens(tx, TokenCipher([NEW, OLD])) == 1
    assert await load(ledger, TokenCipher([NEW])) == TOKEN
    with pytest.raises(LedgerError):
        await load(ledger, TokenCipher([OLD]))


async def test_plain_tokens_are_sealed_once_a_key_is_set(ledger: Ledger, clock) -> None:
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())
        await shops.save_tokens(tx, "uk", TOKEN, clock(), cipher=PLAINTEXT)
        assert await shops.plain_tokens(tx) == 1
    assert await raw(ledger) == ("access-abc", "refresh-xyz")
    async with ledger.transaction() as tx:
        await shops.reseal_tokens(tx, TokenCipher([NEW]))
        assert await shops.plain_tokens(tx) == 0
    assert (await raw(ledger))[0].startswith(SEALED_PREFIX)
    assert await load(ledger, TokenCipher([NEW])) == TOKEN


async def connect(daemon: Daemon) -> RunOutcome:
    return await daemon.runner.run(next(s for s in daemon.specs if s.name == "connect"))


def with_keys(config: Path, name: str, *lines: str) -> Path:
    path = config.with_name(name)
    path.write_text(
        config.read_text().replace("[ledger]\n", "[ledger]\n" + "\n".join(lines) + "\n")
    )
    return path


async def test_the_daemon_seals_tokens_and_rotates_its_key(
    simulated_config: Path, simulators, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    del simulators
    plain = load_settings(simulated_config)
    with capture_logs() as logs:
        async with AsyncExitStack() as stack:
            daemon = await build(plain, stack)
            assert await connect(daemon) is RunOutcome.OK
    assert "tokens_stored_in_plain_text" in [entry["event"] for entry in logs]

    old = load_settings(with_keys(simulated_config, "old.toml", f'token_key = "{OLD}"'))
    rotated = with_keys(
        simulated_config,
        "rotated.toml",
        'token_key = "env:TTSYNC_TEST_KEY"',
        f'previous_token_keys = ["{OLD}"]',
    )
    async with AsyncExitStack() as stack:
        daemon = await build(old, stack)  # the start seals the plain tokens
        assert await connect(daemon) is RunOutcome.OK
    ledger_path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(ledger_path) as conn:
        (access,) = conn.execute("SELECT access_token FROM tiktok_tokens").fetchone()
    assert access.startswith(SEALED_PREFIX)

    monkeypatch.setenv("TTSYNC_TEST_KEY", NEW)
    async with AsyncExitStack() as stack:
        daemon = await build(load_settings(rotated), stack)
        assert await connect(daemon) is RunOutcome.OK
        async with daemon.ledger.read() as tx:
            assert await shops.load_tokens(tx, "uk", cipher=TokenCipher([NEW])) is not None

    with pytest.raises(LedgerError, match="encrypted but no"):
        async with AsyncExitStack() as stack:
            await build(plain, stack)  # the key forgotten: the start says so


def test_a_bad_key_is_a_config_error_naming_the_key(simulated_config: Path) -> None:
    with pytest.raises(ConfigError, match=r"ledger\.token_key: not a Fernet key"):
        load_settings(with_keys(simulated_config, "bad.toml", 'token_key = "hunter2"'))
    with pytest.raises(ConfigError, match="previous_token_keys is set but token_key is not"):
        load_settings(with_keys(simulated_config, "half.toml", f'previous_token_keys = ["{OLD}"]'))
