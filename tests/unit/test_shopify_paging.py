from __future__ import annotations

import asyncio

import pytest

from daemon.connectors.shopify import (
    BucketPacer,
    CallLimit,
    next_page_info,
    parse_call_limit,
    parse_link_header,
)

NEXT = (
    "<https://shop.myshopify.com/admin/api/2024-04/products.json?limit=250"
    '&page_info=eyJsYXN0X2lkIjo0MjB9>; rel="next"'
)
BOTH = (
    "<https://shop.myshopify.com/admin/api/2024-04/products.json?page_info=cHJldg&limit=3>; "
    'rel="previous", '
    "<https://shop.myshopify.com/admin/api/2024-04/products.json?page_info=bmV4dA%3D%3D&limit=3>; "
    'rel="next"'
)


def test_link_header_with_next_only() -> None:
    assert set(parse_link_header(NEXT)) == {"next"}
    assert next_page_info(NEXT) == "eyJsYXN0X2lkIjo0MjB9"


def test_link_header_with_both_directions() -> None:
    links = parse_link_header(BOTH)
    assert set(links) == {"previous", "next"}
    assert next_page_info(BOTH) == "bmV4dA=="  # percent-decoded


@pytest.mark.parametrize(
    "header",
    [None, "", "garbage", '<https://x/products.json?page_info=p>; rel="previous"'],
)
def test_no_next_page(header: str | None) -> None:
    assert next_page_info(header) is None


def test_a_next_link_without_page_info() -> None:
    assert next_page_info('<https://x/products.json?limit=3>; rel="next"') is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10/40", CallLimit(10, 40)),
        ("40/40", CallLimit(40, 40)),
        (" 3/80", CallLimit(3, 80)),
        (None, None),
        ("", None),
        ("x/40", None),
        ("10", None),
        ("1/0", None),
    ],
)
def test_call_limit_header(value: str | None, expected: CallLimit | None) -> None:
    assert parse_call_limit(value) == expected


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def pacer(time: FakeTime, leak_rate: float = 2.0, headroom: int = 3) -> BucketPacer:
    return BucketPacer(leak_rate=leak_rate, headroom=headroom, clock=time.clock, sleep=time.sleep)


async def test_calls_go_at_once_while_the_bucket_has_room() -> None:
    time = FakeTime()
    bucket = pacer(time)
    for used in range(1, 30):
        await bucket.acquire()
        bucket.observe(CallLimit(used, 40))
    assert time.slept == []


async def test_calls_slow_to_the_leak_rate_near_the_top() -> None:
    time = FakeTime()
    bucket = pacer(time, leak_rate=2.0, headroom=3)
    await bucket.acquire()
    bucket.observe(CallLimit(37, 40))  # the shop says the bucket is at the ceiling
    await bucket.acquire()
    assert time.slept == [pytest.approx(0.5)]  # one call leaks out every half second
    bucket.observe(CallLimit(37, 40))
    await bucket.acquire()
    assert sum(time.slept) == pytest.approx(1.0)


async def test_a_429_pauses_for_retry_after() -> None:
    time = FakeTime()
    bucket = pacer(time)
    await bucket.acquire()
    bucket.observe(CallLimit(1, 40))
    bucket.throttled(1.5, reported=True)
    await bucket.acquire()
    assert sum(time.slept) == pytest.approx(1.5)


async def test_a_429_without_a_level_assumes_a_full_bucket() -> None:
    time = FakeTime()
    bucket = pacer(time, leak_rate=2.0, headroom=3)
    await bucket.acquire()
    bucket.observe(None)
    bucket.throttled(None, reported=False)
    await bucket.acquire()
    # full (40) must drain to 36 so that one more call stays at the ceiling of 37
    assert sum(time.slept) == pytest.approx(2.0)


async def test_concurrent_callers_wait_for_the_first_answer() -> None:
    bucket = BucketPacer(leak_rate=2.0)
    await bucket.acquire()  # the probe, still in flight
    second = asyncio.create_task(bucket.acquire())
    await asyncio.sleep(0.05)
    assert not second.done()
    bucket.observe(CallLimit(1, 40))
    await asyncio.wait_for(second, timeout=1)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="leak rate"):
        BucketPacer(leak_rate=0)
