"""Re-authorisation end to end against the TikTok simulator: a revoked authorisation halts the
shop with the cause and the fix; a new code (by `ttsync authorize`, or in the config at start)
lifts the halt; a used code is never sent again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from daemon import cli
from daemon.domain import RunOutcome
from daemon.ledger import shops
from daemon.runtime import build, run_once
from daemon.settings import Settings, load_settings
from tests.support.world import World, open_world


@pytest.fixture
async def world(simulated_config: Path) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        yield opened


def restarted(config: Path) -> Settings:
    """The config as a second daemon beside the world's reads it (its own HTTP port)."""
    settings = load_settings(config)
    return settings.model_copy(update={"http": settings.http.model_copy(update={"port": 0})})


async def halted(world: World) -> str | None:
    async with world.daemon.ledger.read() as tx:
        shop = await shops.get_shop(tx, "uk")
    assert shop is not None
    return shop.halted_reason


async def revoke_and_issue(world: World, code: str) -> None:
    """The seller revokes the app, then authorises it again: TikTok issues `code`."""
    async with world.daemon.ledger.read() as tx:
        shop = await shops.get_shop(tx, "uk")
    assert shop is not None
    assert shop.tiktok_shop_id
    await world.tiktok("POST", "tokens/revoke", {})
    await world.tiktok("POST", "auth_codes", {"shop_ids": [shop.tiktok_shop_id], "code": code})


async def test_authorize_command_lifts_the_halt_of_a_running_daemon(
    world: World, simulated_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_once(world.daemon)
    await revoke_and_issue(world, "fresh-code-1")

    assert await world.run("connect") is RunOutcome.FAILED
    reason = await halted(world)
    assert reason is not None
    assert reason.startswith(
        "authorization failed: TikTok refused the access token: the seller revoked the app's "
        "authorisation"
    )
    assert "ttsync authorize --shop uk --code NEW_CODE" in reason
    assert await world.run("inventory") is RunOutcome.SKIPPED

    argv = [
        "authorize",
        "--config",
        str(simulated_config),
        "--shop",
        "uk",
        "--code",
        "fresh-code-1",
    ]
    assert await asyncio.to_thread(cli.main, argv) == 0
    out = capsys.readouterr().out
    assert "Shop 'uk' is authorised" in out
    assert "halt is lifted" in out
    assert await halted(world) is None
    # The running daemon still holds the revoked token: its next call reads the new one.
    assert await world.run("inventory") is RunOutcome.OK
    assert await world.run("connect") is RunOutcome.OK

    # The code is single use: a second go is refused by TikTok and reported, not a traceback.
    assert await asyncio.to_thread(cli.main, argv) == 1
    assert "the auth_code is invalid, used or expired" in capsys.readouterr().err


async def test_a_new_code_in_the_config_is_exchanged_at_start(
    world: World, simulated_config: Path
) -> None:
    assert await run_once(world.daemon)
    await revoke_and_issue(world, "fresh-code-2")
    assert await world.run("connect") is RunOutcome.FAILED
    assert await halted(world) is not None

    text = simulated_config.read_text()
    simulated_config.write_text(
        text.replace('auth_code = "sim-auth-code-uk"', 'auth_code = "fresh-code-2"')
    )
    async with AsyncExitStack() as stack:
        assert await run_once(await build(restarted(simulated_config), stack))
    assert await halted(world) is None
    exchanges = await world.tiktok_calls("token_get")
    assert len(exchanges) == 2  # the first code once, the new one once

    # Restarting with the same (now used) code sends it no more.
    async with AsyncExitStack() as stack:
        assert await run_once(await build(restarted(simulated_config), stack))
    assert len(await world.tiktok_calls("token_get")) == 2
