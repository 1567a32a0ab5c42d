"""The shared transport policy: which failures repeat, how long to wait, and the pacing hooks.

The loop runs against a scripted exchange (no network). stamina's test mode (on for every
test) makes three attempts without waiting; tests about waits and the deadline turn it off
and use tiny real waits, read back through stamina's on-retry hook.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import stamina
from stamina.instrumentation import RetryDetails, get_on_retry_hooks, set_on_retry_hooks

from daemon.connectors.http import classify_status, retry_after
from daemon.connectors.ratelimit import RateLimiter, RatePolicy
from daemon.connectors.tiktok.transport import EndpointPacing
from daemon.connectors.transport import (
    AttemptError,
    NoPacing,
    Reply,
    RetrySettings,
    retry_decision,
    send,
    unwrap,
    worth_retrying,
)
from daemon.errors import FatalError, RetriableError

RETRY = RetrySettings()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def reply(status: int, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(status, b'{"ok": true}' if status == 200 else b"{}", headers or {})


class Script:
    """A fake exchange: each attempt takes the next reply, or raises the next error."""

    def __init__(self, *steps: Reply | BaseException) -> None:
        self.steps = list(steps)
        self.calls = 0

    async def __call__(self) -> Reply:
        step = self.steps[min(self.calls, len(self.steps) - 1)]
        self.calls += 1
        if isinstance(step, BaseException):
            raise step
        return step


def read(answer: Reply) -> str:
    """Read like a connector: 2xx is the body; anything else is classified."""
    if answer.status == 200:
        return answer.body.decode()
    raise classify_status("test", answer.status, "detail", answer.headers)


class RecordingPacing:
    def __init__(self) -> None:
        self.events: list[tuple[object, ...]] = []

    async def before(self, endpoint: str) -> None:
        self.events.append(("before", endpoint))

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        self.events.append(("after", endpoint, status, dict(headers)))

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        self.events.append(("throttled", endpoint, retry_after, dict(headers)))


async def run(
    script: Script,
    *,
    idempotent: bool = True,
    retry: RetrySettings = RETRY,
    pacing: RecordingPacing | NoPacing | None = None,
) -> str:
    return await send(
        script,
        read,
        endpoint="things.list",
        idempotent=idempotent,
        retry=retry,
        pacing=pacing or NoPacing(),
    )


@pytest.fixture
def waits() -> Iterator[list[float]]:
    """The waits stamina schedules between attempts, in order."""
    seen: list[float] = []
    hooks = get_on_retry_hooks()

    def record(details: RetryDetails) -> None:
        seen.append(details.wait_for)

    set_on_retry_hooks([*hooks, record])
    yield seen
    set_on_retry_hooks(hooks)


# Which failures repeat.


async def test_a_5xx_is_repeated_for_an_idempotent_call() -> None:
    script = Script(reply(503), reply(500), reply(200))
    assert await run(script) == '{"ok": true}'
    assert script.calls == 3


async def test_a_5xx_is_not_repeated_for_a_call_with_side_effects() -> None:
    script = Script(reply(500), reply(200))
    with pytest.raises(AttemptError, match="HTTP 500"):
        await run(script, idempotent=False)
    assert script.calls == 1


async def test_a_failure_after_the_request_may_have_left_is_not_repeated_with_side_effects() -> (
    None
):
    script = Script(AttemptError("things.list: timed out"), reply(200))
    with pytest.raises(AttemptError, match="timed out"):
        await run(script, idempotent=False)
    assert script.calls == 1


async def test_a_request_that_never_left_is_repeated_even_with_side_effects() -> None:
    script = Script(AttemptError("cannot connect", reached_server=False), reply(200))
    assert await run(script, idempotent=False) == '{"ok": true}'
    assert script.calls == 2


async def test_a_throttled_call_is_repeated_even_with_side_effects() -> None:
    script = Script(reply(429), reply(200))
    assert await run(script, idempotent=False) == '{"ok": true}'
    assert script.calls == 2


async def test_attempts_are_bounded() -> None:
    script = Script(reply(502))
    with pytest.raises(AttemptError, match="HTTP 502"):
        await run(script)
    assert script.calls == 3  # stamina's test mode: three attempts


@pytest.mark.parametrize("failure", [reply(400), reply(401), reply(404)], ids=["400", "401", "404"])
async def test_fatal_answers_are_never_repeated(failure: Reply) -> None:
    script = Script(failure, reply(200))
    with pytest.raises(FatalError):
        await run(script)
    assert script.calls == 1


async def test_a_bug_is_never_repeated() -> None:
    script = Script(ValueError("bug"), reply(200))
    with pytest.raises(ValueError, match="bug"):
        await run(script)
    assert script.calls == 1


class OnHoldError(AttemptError):
    @property
    def retry_in_call(self) -> bool:
        return False


async def test_an_error_that_passes_only_later_goes_to_the_caller() -> None:
    script = Script(OnHoldError("on hold"), reply(200))
    with pytest.raises(OnHoldError):
        await run(script)
    assert script.calls == 1


def test_worth_retrying() -> None:
    timeout = AttemptError("timed out")
    assert worth_retrying(timeout, idempotent=True)
    assert not worth_retrying(timeout, idempotent=False)
    assert worth_retrying(AttemptError("429", throttled=True), idempotent=False)
    assert worth_retrying(AttemptError("refused", reached_server=False), idempotent=False)
    assert worth_retrying(RetriableError("plain"), idempotent=True)
    assert not worth_retrying(RetriableError("plain"), idempotent=False)
    assert not worth_retrying(OnHoldError("on hold", throttled=True), idempotent=True)
    assert not worth_retrying(FatalError("bad"), idempotent=True)
    assert not worth_retrying(ValueError("bug"), idempotent=True)


# Retry-After.


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after({"Retry-After": "120"}, now=NOW) == 120.0
    assert retry_after({"Retry-After": "2.5"}, now=NOW) == 2.5
    assert retry_after({"Retry-After": http_date(NOW + timedelta(seconds=90))}, now=NOW) == 90.0
    assert retry_after({"Retry-After": "Mon, 23 Nov 2026 09:00:30 -0000"}, now=NOW) == 30.0
    assert retry_after({"Retry-After": http_date(NOW - timedelta(hours=1))}, now=NOW) == 0.0
    assert retry_after({"Retry-After": "Mon, 99 Foo 2026"}, now=NOW) is None
    assert retry_after({"Retry-After": "nan"}, now=NOW) is None
    assert retry_after({}, now=NOW) is None


def test_a_retry_after_within_the_bound_is_waited_and_a_longer_one_goes_to_the_caller() -> None:
    short = classify_status("test", 503, "x", {"Retry-After": "30"})
    long = classify_status("test", 503, "x", {"Retry-After": "30.5"})
    assert retry_decision(short, idempotent=True, retry=RETRY) == 30.0
    assert retry_decision(long, idempotent=True, retry=RETRY) is False
    assert retry_decision(classify_status("test", 503, "x", {}), idempotent=True, retry=RETRY)
    assert retry_decision(short, idempotent=False, retry=RETRY) is False


def test_an_http_date_retry_after_is_honoured() -> None:
    soon = http_date(datetime.now(UTC) + timedelta(seconds=20))
    later = http_date(datetime.now(UTC) + timedelta(minutes=2))
    waited = retry_decision(
        classify_status("test", 429, "x", {"Retry-After": soon}), idempotent=False, retry=RETRY
    )
    assert isinstance(waited, float)
    assert 18.0 <= waited <= 20.0
    handed_over = classify_status("test", 429, "x", {"Retry-After": later})
    assert retry_decision(handed_over, idempotent=False, retry=RETRY) is False
    assert handed_over.retry_after is not None
    assert 118.0 <= handed_over.retry_after <= 120.0


async def test_a_long_retry_after_is_handed_to_the_caller_at_once() -> None:
    script = Script(reply(429, {"Retry-After": "120"}), reply(200))
    with pytest.raises(RetriableError) as caught:
        await run(script)
    assert caught.value.retry_after == 120.0
    assert script.calls == 1


async def test_a_retry_after_in_seconds_is_waited_exactly(waits: list[float]) -> None:
    slow = RetrySettings(wait_initial=5.0, wait_max=5.0, wait_jitter=0.0)
    script = Script(reply(429, {"Retry-After": "0.2"}), reply(200))
    started = time.monotonic()
    with stamina.set_testing(False):
        assert await run(script, idempotent=False, retry=slow) == '{"ok": true}'
    assert waits == [pytest.approx(0.2)]
    assert time.monotonic() - started >= 0.19


async def test_a_retry_after_as_an_http_date_is_waited(waits: list[float]) -> None:
    slow = RetrySettings(wait_initial=5.0, wait_max=5.0, wait_jitter=0.0)
    when = http_date(datetime.now(UTC) + timedelta(seconds=1))
    script = Script(reply(503, {"Retry-After": when}), reply(200))
    with stamina.set_testing(False):
        assert await run(script, retry=slow) == '{"ok": true}'
    assert len(waits) == 1
    assert 0.0 <= waits[0] <= 1.0  # the date's wait (whole seconds), not the 5 s backoff


# Backoff, attempts and deadline with real (tiny) waits.


async def test_backoff_is_exponential_with_jitter_and_capped(waits: list[float]) -> None:
    retry = RetrySettings(attempts=5, wait_initial=0.01, wait_max=0.04, wait_jitter=0.005)
    script = Script(reply(503))
    with stamina.set_testing(False), pytest.raises(AttemptError):
        await run(script, retry=retry)
    assert script.calls == 5
    assert len(waits) == 4
    for wait, floor in zip(waits, (0.01, 0.02, 0.04, 0.04), strict=True):
        assert floor - 1e-9 <= wait <= min(0.04, floor + 0.005) + 1e-9  # stamina sums floats


async def test_the_deadline_bounds_the_repeats() -> None:
    retry = RetrySettings(
        attempts=1000, deadline_seconds=0.3, wait_initial=0.05, wait_max=0.05, wait_jitter=0.0
    )
    script = Script(reply(503))
    started = time.monotonic()
    with stamina.set_testing(False), pytest.raises(AttemptError):
        await run(script, retry=retry)
    assert 2 <= script.calls <= 10
    assert time.monotonic() - started < 2.0


def test_retry_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetrySettings(attempts=0)
    with pytest.raises(ValueError, match="deadline"):
        RetrySettings(deadline_seconds=0)
    with pytest.raises(ValueError, match="negative"):
        RetrySettings(wait_jitter=-1)


# Pacing hooks.


async def test_pacing_hooks_run_around_every_attempt_in_order() -> None:
    pacing = RecordingPacing()
    limit = {"X-Limit": "40/40", "Retry-After": "0"}
    script = Script(reply(429, limit), AttemptError("reset"), reply(200))
    assert await run(script, pacing=pacing) == '{"ok": true}'
    assert pacing.events == [
        ("before", "things.list"),
        ("after", "things.list", 429, limit),
        ("throttled", "things.list", 0.0, limit),
        ("before", "things.list"),
        ("after", "things.list", None, {}),
        ("before", "things.list"),
        ("after", "things.list", 200, {}),
    ]


async def test_only_a_throttle_reaches_the_throttled_hook() -> None:
    pacing = RecordingPacing()
    await run(Script(reply(503), reply(200)), pacing=pacing)
    assert [event[0] for event in pacing.events] == ["before", "after", "before", "after"]


class FakeTime:
    """A clock that moves only when a pacer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_the_adaptive_limiter_slows_an_endpoint_down_through_the_hooks() -> None:
    fake = FakeTime()
    limiter = RateLimiter(RatePolicy(limit=10.0), clock=fake.clock, sleep=fake.sleep)
    script = Script(reply(429, {"Retry-After": "0"}), reply(200))
    await run(script, pacing=EndpointPacing(limiter))
    assert script.calls == 2
    assert fake.slept == [pytest.approx(0.2)]  # the rate was cut from 10/s to 5/s
    assert limiter.rate("things.list") < 6.0
    assert limiter.rate("other.endpoint") == 10.0


# Exception groups.


def test_unwrap_finds_the_error_a_group_stands_for() -> None:
    retriable = AttemptError("busy")
    fatal = FatalError("bad")
    assert unwrap(retriable) is retriable
    assert unwrap(ExceptionGroup("one", [retriable])) is retriable
    nested = ExceptionGroup("outer", [retriable, ExceptionGroup("inner", [fatal])])
    assert unwrap(nested) is fatal
    first = AttemptError("first")
    assert unwrap(ExceptionGroup("all retriable", [first, retriable])) is first


async def test_errors_in_a_group_are_classified_by_what_they_hold() -> None:
    never_sent = AttemptError("cannot connect", reached_server=False)
    script = Script(ExceptionGroup("connect", [never_sent]), reply(200))
    assert await run(script, idempotent=False) == '{"ok": true}'
    assert script.calls == 2

    fatal = Script(ExceptionGroup("mixed", [AttemptError("busy"), FatalError("bad")]))
    with pytest.raises(FatalError, match="bad"):
        await run(fatal)
    assert fatal.calls == 1
