"""`ttsync failures` lists the retry queue; `ttsync retry ID|--all` makes records due now."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from daemon.domain.retry import RetryPolicy
from daemon.ledger import Ledger, retry, shops
from tests.conftest import MINIMAL_SHOP
from tests.support.process import ROOT

POLICY = RetryPolicy(timedelta(minutes=1), timedelta(hours=1), max_attempts=2)


def ttsync(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "daemon", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


async def queue(path: Path) -> list[retry.RetryEntry]:
    ledger = await Ledger.open(path)
    now = datetime.now(UTC)
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", now)
        for attempt in range(2):  # the second attempt parks it
            await retry.record_failure(
                tx,
                shop_id="uk",
                job="orders",
                entity_kind="order",
                entity_id="576",
                error=f"sku: SKU MUG-1 is not linked (attempt {attempt})",
                policy=POLICY,
                now=now,
            )
        await retry.record_failure(
            tx,
            shop_id="uk",
            job="catalog",
            entity_kind="product",
            entity_id="700",
            error="TikTok answered 503",
            policy=POLICY,
            now=now,
        )
        entries = await retry.list_entries(tx)
    await ledger.close()
    return entries


async def entries(path: Path) -> list[retry.RetryEntry]:
    ledger = await Ledger.open(path)
    async with ledger.read() as tx:
        found = await retry.list_entries(tx)
    await ledger.close()
    return found


def test_failures_lists_and_retry_requeues(write_config, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    config = write_config(f'[ledger]\npath = "{ledger}"\n' + MINIMAL_SHOP)
    queued = asyncio.run(queue(ledger))
    parked = next(entry for entry in queued if entry.parked)

    listed = ttsync("failures", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    assert "order:576" in listed.stdout
    assert "parked" in listed.stdout
    assert "SKU MUG-1 is not linked (attempt 1)" in listed.stdout
    assert "product:700" in listed.stdout

    one = ttsync("retry", "--config", str(config), str(parked.id))
    assert one.returncode == 0, one.stderr
    assert "Re-queued 1 record(s)" in one.stdout
    after = {entry.entity_id: entry for entry in asyncio.run(entries(ledger))}
    assert (after["576"].parked, after["576"].attempts) == (False, 0)

    missing = ttsync("retry", "--config", str(config), "99999")
    assert missing.returncode == 1
    assert "no retry-queue entry with id 99999" in missing.stderr

    every = ttsync("retry", "--config", str(config), "--all")
    assert every.returncode == 0
    assert "Re-queued 2 record(s)" in every.stdout
