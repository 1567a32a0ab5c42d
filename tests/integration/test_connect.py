"""The connection check against both simulators: authorisation, currency, warehouses, halts."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from urllib.parse import urlsplit

import aiohttp
import pytest

from daemon.domain import RunOutcome
from daemon.jobs import JobSpec, RunContext
from daemon.ledger import runs, shops
from daemon.ledger.sealing import PLAINTEXT
from daemon.runtime import Daemon, build, run_once
from daemon.settings import load_settings
from simulators.shopify import ShopifySimulator
from tests.support.shopify import shopify_sim


@pytest.fixture
async def daemon(simulated_config, simulators, clock) -> AsyncIterator[Daemon]:
    async with AsyncExitStack() as stack:
        yield await build(load_settings(simulated_config), stack, clock)


async def readyz(daemon: Daemon) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(daemon.server.url + "/readyz") as response,
    ):
        return response.status, json.loads(await response.text())


async def tiktok_control(simulators, path: str, body: dict) -> dict:
    (url,) = simulators.tiktok
    async with aiohttp.ClientSession() as session, session.post(url + path, json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def test_connect_binds_the_shop_and_stores_tokens(daemon: Daemon) -> None:
    assert await run_once(daemon)
    async with daemon.ledger.read() as tx:
        shop = await shops.get_shop(tx, "uk")
        tokens = await shops.load_tokens(tx, "uk", cipher=PLAINTEXT)
    assert shop is not None
    assert shop.tiktok_cipher
    assert (shop.store_currency, shop.tiktok_currency, shop.halted_reason) == ("GBP", "GBP", None)
    assert tokens is not None
    status, body = await readyz(daemon)
    assert status == 200
    assert body["shops"]["uk"]["tiktok"]["shop_id"] == shop.tiktok_shop_id


async def test_currency_mismatch_halts_the_shop(daemon: Daemon, simulators) -> None:
    store = shopify_sim(simulators)
    config = store.shop.config
    await store.stop()
    dollars = ShopifySimulator(dataclasses.replace(config, currency="USD"))
    port = urlsplit(daemon.settings.shops[0].store.base_url).port
    await dollars.start("127.0.0.1", port)
    simulators.stores["uk"] = dollars

    assert not await run_once(daemon)
    status, body = await readyz(daemon)
    assert status == 503
    halted = body["shops"]["uk"]["halted"]
    assert "USD" in halted
    assert "GBP" in halted


async def test_revoked_authorisation_halts_and_other_jobs_skip(daemon: Daemon, simulators) -> None:
    assert await run_once(daemon)
    await tiktok_control(simulators, "/_sim/tokens/revoke", {})

    ran: list[str] = []

    async def push(ctx: RunContext) -> None:
        ran.append(ctx.run_id)

    inventory = JobSpec("uk", "inventory", push, daemon.specs[-1].interval)
    connect = next(spec for spec in daemon.specs if spec.name == "connect")
    assert await daemon.runner.run(connect) is RunOutcome.FAILED
    assert await daemon.runner.run(inventory) is RunOutcome.SKIPPED
    assert ran == []
    status, body = await readyz(daemon)
    assert status == 503
    assert body["shops"]["uk"]["halted"].startswith("authorization failed:")
    async with daemon.ledger.read() as tx:
        (skipped,) = await runs.recent_runs(tx, "uk", "inventory", 1)
    assert skipped.outcome is RunOutcome.SKIPPED
    assert skipped.error.startswith("shop halted: authorization failed")


async def test_expiring_authorisation_is_shown(daemon: Daemon, clock) -> None:
    assert await run_once(daemon)
    expires = daemon.health.shop("uk").authorization_expires_at
    assert expires is not None
    clock.moment = expires - daemon.settings.shops[0].tiktok.authorization_warning
    _, body = await readyz(daemon)
    assert body["shops"]["uk"]["tiktok"]["authorization_expiring"] is True
