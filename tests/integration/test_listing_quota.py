"""TikTok's listing quota: over it, new products wait (a status of their own, not a failure),
publishing pauses until the quota resets, the progress and its ETA say so, and the waiting
products are created after it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from daemon.domain import ProductStatus, RunOutcome
from tests.conftest import FakeClock
from tests.support.world import World, item, open_world, variant


class TickingClock(FakeClock):
    """Moves 50 ms each time it is read, so a run takes time and has a rate."""

    def __call__(self) -> datetime:
        self.advance(seconds=0.05)
        return self.moment


@pytest.fixture
def clock() -> FakeClock:
    return TickingClock()


@pytest.fixture
async def world(simulated_config: Path, clock: FakeClock) -> AsyncIterator[World]:
    async with open_world(simulated_config, clock) as opened:
        yield opened


async def readyz(world: World) -> dict:
    async with world.session.get(world.daemon.server.url + "/readyz") as response:
        return json.loads(await response.text())


async def test_products_over_the_quota_wait_for_it_then_publish(
    world: World, clock: FakeClock
) -> None:
    await world.tiktok("PUT", "settings", {"listing_quota": 2})
    loaded = await world.load(*(item(f"Mug {n}", variant(f"Q-{n}")) for n in range(5)))
    assert await world.run("connect") is RunOutcome.OK
    with capture_logs() as events:
        assert await world.run("catalog") is RunOutcome.OK
    statuses = await world.statuses()
    waiting = [p for p in loaded if statuses[str(p["id"])][0] is ProductStatus.WAITING_FOR_QUOTA]
    published = [p for p in loaded if statuses[str(p["id"])][0] is ProductStatus.UNDER_REVIEW]
    assert (len(published), len(waiting)) == (2, 3)
    reason = statuses[str(waiting[0]["id"])][1] or ""
    assert "listing quota for this shop is used up" in reason
    creates = len(await world.tiktok_calls("create_product"))
    assert creates >= 3  # those in flight when the quota ran out were refused too
    told = [e["event"] for e in events]
    assert told.count("listing_quota_reached") == 1
    assert "product_failed" not in told

    progress = (await readyz(world))["shops"]["uk"]["progress"]["catalog"]
    assert (progress["done"], progress["total"], progress["total_exact"]) == (2, 5, True)
    until = datetime.fromisoformat(progress["waiting_for_quota_until"])
    assert timedelta(minutes=59) < until - clock() <= timedelta(hours=1)
    assert progress["eta_seconds"] >= (until - clock()).total_seconds()

    # Within the wait, a run tries no create at all.
    clock.advance(minutes=30)
    assert await world.run("catalog") is RunOutcome.OK
    assert len(await world.tiktok_calls("create_product")) == creates

    # The quota resets (TikTok's day passes; our wait is over): two more fit in the new day.
    await world.tiktok("POST", "clock/advance", {"seconds": 86_400})
    clock.advance(minutes=31)
    assert await world.run("catalog") is RunOutcome.OK
    statuses = await world.statuses()
    after = sorted(statuses[str(p["id"])][0] for p in waiting)
    assert after == sorted([ProductStatus.UNDER_REVIEW] * 2 + [ProductStatus.WAITING_FOR_QUOTA])
    progress = (await readyz(world))["shops"]["uk"]["progress"]["catalog"]
    # the backlog's own progress (the waiting three, and what the store listed since)
    assert progress["done"] < progress["total"]
    assert progress["waiting_for_quota_until"] is not None

    await world.tiktok("POST", "clock/advance", {"seconds": 86_400})
    clock.advance(hours=1)
    assert await world.run("catalog") is RunOutcome.OK
    statuses = await world.statuses()
    published_statuses = {ProductStatus.UNDER_REVIEW, ProductStatus.ACTIVE}  # days passed
    assert {statuses[str(p["id"])][0] for p in loaded} <= published_statuses
    assert (await readyz(world))["shops"]["uk"]["progress"] == {}
