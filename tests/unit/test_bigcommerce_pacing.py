"""The BigCommerce pacer: spend the fixed window down to the reserve, then wait for the reset."""

from __future__ import annotations

import asyncio

import pytest

from daemon.connectors.bigcommerce import Window, WindowPacer, parse_window


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would


def headers(quota: int, left: int, reset_ms: int, window_ms: int = 30_000) -> dict[str, str]:
    return {
        "X-Rate-Limit-Requests-Quota": str(quota),
        "X-Rate-Limit-Requests-Left": str(left),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "x-rate-limit-time-window-ms": str(window_ms),  # names are case-insensitive
    }


def test_the_window_is_read_from_the_headers() -> None:
    assert parse_window(headers(150, 149, 29_500)) == Window(150, 149, 29.5, 30.0)
    assert parse_window({}) is None
    assert parse_window({**headers(150, 1, 10), "X-Rate-Limit-Requests-Left": "many"}) is None


async def test_calls_wait_for_the_reset_once_only_the_reserve_is_left() -> None:
    time = FakeTime()
    pacer = WindowPacer(quota=10, reserve=2, clock=time.clock, sleep=time.sleep)
    await pacer.acquire()
    pacer.observe(parse_window(headers(10, 4, 5_000)))
    for _ in range(2):  # 4 left, 2 kept in reserve
        await pacer.acquire()
        pacer.observe(None)
    assert time.slept == []
    await pacer.acquire()  # waits out the 5 s to the reset
    assert time.now == pytest.approx(5.0)
    assert pacer.waited == pytest.approx(5.0)


async def test_one_call_goes_alone_until_the_first_answer() -> None:
    time = FakeTime()
    pacer = WindowPacer(quota=10, reserve=0, clock=time.clock, sleep=time.sleep)
    await pacer.acquire()
    second = asyncio.create_task(pacer.acquire())
    await asyncio.sleep(0)
    assert time.slept  # the second call waits for the first answer
    pacer.observe(parse_window(headers(10, 9, 30_000)))
    await second
    assert pacer.calls == 2


async def test_a_429_holds_every_call_until_the_reset_it_names() -> None:
    time = FakeTime()
    pacer = WindowPacer(quota=10, reserve=0, clock=time.clock, sleep=time.sleep)
    await pacer.acquire()
    pacer.observe(parse_window(headers(10, 0, 2_000)))
    pacer.throttled(parse_window(headers(10, 0, 2_000)), None)
    await pacer.acquire()
    assert time.now == pytest.approx(2.0)


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="quota"):
        WindowPacer(quota=0)
