"""Shopify's points pacer: a query waits for its requested points, a wait ends as soon as an
answer tells the points are back, and a pause Shopify asked for is waited out whole."""

from __future__ import annotations

import asyncio

from daemon.connectors.shopify.graphql import CostPacer


def _status(available: float, requested: int = 5) -> dict[str, object]:
    throttle = {"maximumAvailable": 2000.0, "currentlyAvailable": available, "restoreRate": 100.0}
    return {"requestedQueryCost": requested, "actualQueryCost": 2, "throttleStatus": throttle}


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_a_wait_for_points_ends_when_an_answer_gives_them_back() -> None:
    pacer = CostPacer(100.0)
    pacer.observe("levels", _status(0.0, requested=1000))  # the bucket is empty
    waiting = asyncio.create_task(pacer.acquire("levels"))  # 1,000 points: 10 s of restore
    await asyncio.sleep(0.05)
    assert not waiting.done()
    # Queries under way finish: Shopify gives back what they reserved and did not use.
    pacer.observe("orders", _status(1995.0))
    await asyncio.wait_for(waiting, timeout=2)
    assert 990 <= pacer.available() <= 1000 + 10


async def test_without_news_a_wait_lasts_until_the_points_are_restored() -> None:
    time = FakeTime()
    pacer = CostPacer(100.0, clock=time.clock, sleep=time.sleep)
    pacer.observe("levels", _status(500.0, requested=1000))
    await pacer.acquire("levels")
    assert time.slept == [5.0]
    assert pacer.waited == 5.0


async def test_a_pause_the_shop_asked_for_is_waited_out_whole() -> None:
    time = FakeTime()
    pacer = CostPacer(100.0, clock=time.clock, sleep=time.sleep)
    pacer.pause(3.0)
    waiting = asyncio.create_task(pacer.acquire("products"))
    await asyncio.sleep(0)
    pacer.observe("orders", _status(2000.0))  # points are there, but Shopify said wait
    await waiting
    assert time.slept == [3.0]
