from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest

from daemon.errors import FatalError
from daemon.jobs import JobSpec, RunContext
from daemon.ledger import shops
from daemon.runtime import Daemon, build, run_once
from daemon.settings import load_settings

SECRETS = ("shpat_0123456789abcdef", "tiktok-app-secret-xyz")


@pytest.fixture
async def daemon(simulated_config, simulators, clock) -> AsyncIterator[Daemon]:
    async with AsyncExitStack() as stack:
        yield await build(load_settings(simulated_config), stack, clock)


async def get(daemon: Daemon, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(daemon.server.url + path) as r:
        return r.status, await r.text()


async def test_healthz(daemon: Daemon) -> None:
    assert await get(daemon, "/healthz") == (200, '{"status": "alive"}')


async def test_readyz_reports_jobs_and_shops(daemon: Daemon) -> None:
    assert await run_once(daemon)
    status, text = await get(daemon, "/readyz")
    assert status == 200
    body = json.loads(text)
    assert body["status"] == "ready"
    assert body["ledger"] == {"ok": True}
    assert body["daemon"]["jobs"]["maintenance"]["state"] == "ok"
    assert body["daemon"]["jobs"]["maintenance"]["last_success"] is not None
    assert body["shops"]["uk"]["halted"] is None
    assert body["shops"]["uk"]["store"] == daemon.settings.shops[0].store.kind
    assert body["shops"]["uk"]["jobs"]["connect"]["state"] == "ok"
    tiktok = body["shops"]["uk"]["tiktok"]
    assert tiktok["authorization_expires_at"] is not None
    assert tiktok["authorization_expiring"] is False


async def test_readyz_503_when_a_shop_is_halted(daemon: Daemon, clock) -> None:
    async with daemon.ledger.transaction() as tx:
        await shops.set_halted(tx, "uk", "store currency USD differs from TikTok GBP", clock())
    status, text = await get(daemon, "/readyz")
    assert status == 503
    assert "store currency USD differs from TikTok GBP" in text


async def test_readyz_503_after_a_failing_streak(daemon: Daemon, clock) -> None:
    for failures in (1, 2, 3):
        daemon.health.failed("*", "maintenance", clock(), "disk full")
        status, _ = await get(daemon, "/readyz")
        assert status == (200 if failures < 3 else 503)


async def test_readyz_503_when_the_ledger_is_gone(daemon: Daemon) -> None:
    await daemon.ledger.close()
    status, text = await get(daemon, "/readyz")
    assert status == 503
    assert "is closed" in text


async def test_metrics_exposes_the_documented_series(daemon: Daemon) -> None:
    await run_once(daemon)
    status, text = await get(daemon, "/metrics")
    assert status == 200
    for name in (
        'ttsync_job_runs_total{job="maintenance",outcome="ok",shop="*"} 1.0',
        "ttsync_job_duration_seconds_bucket",
        "ttsync_job_last_success_timestamp_seconds",
        "ttsync_ledger_wal_bytes",
        "ttsync_retry_queue_depth",
        "ttsync_http_calls_total",
        "ttsync_http_call_duration_seconds",
    ):
        assert name in text, name


async def test_no_secret_in_any_response(daemon: Daemon) -> None:
    await run_once(daemon)
    for path in ("/healthz", "/readyz", "/metrics"):
        _, text = await get(daemon, path)
        for secret in SECRETS:
            assert secret not in text


async def test_run_once_reports_a_failed_job(daemon: Daemon) -> None:
    async def broken(ctx: RunContext) -> None:
        raise FatalError("TikTok rejected the app key")

    failing = JobSpec("uk", "broken", broken, timedelta(minutes=5))
    assert not await run_once(replace(daemon, specs=(*daemon.specs, failing)))
    assert daemon.health.job("uk", "broken").last_error == "FatalError: TikTok rejected the app key"
