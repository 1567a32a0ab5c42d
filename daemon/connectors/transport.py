"""The one transport policy every connector calls: pace, exchange, read, retry when safe.

A connector hands `send` two functions: `exchange` performs one HTTP exchange (called afresh
for every attempt, so a connector re-signs, re-stamps and rebuilds its body each time) and
`read` turns the answer into a result or raises the error that classifies it. `send` wraps
them in the connector's `Pacing` hooks and repeats the attempt on stamina, within the
`RetrySettings` bounds:

- only a `RetriableError` is repeated, and for a call with side effects only when the error
  proves the platform did not act on it (`AttemptError.unprocessed`: throttled, or the
  request never left);
- a ``Retry-After`` up to `RetrySettings.max_retry_after` is waited out; a longer one, or an
  error that says to come back later (`AttemptError.retry_in_call`), goes to the caller,
  whose retry queue waits instead;
- otherwise the wait is exponential with jitter, and the attempts stop at `attempts` or once
  `deadline_seconds` have passed since the first one began.

Errors that arrive wrapped in exception groups are unwrapped before they are classified.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

import stamina
import structlog

from daemon.errors import RetriableError, unwrap

T = TypeVar("T")
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RetrySettings:
    """Bounds on repeating one call: attempts, a deadline and capped jittered backoff.

    The wait before attempt n+1 is ``min(wait_max, wait_initial * 2**(n-1) + jitter)`` with
    the jitter drawn from ``[0, wait_jitter]``. A ``Retry-After`` longer than
    `max_retry_after` is not waited out inside the call: the `RetriableError` carrying it goes
    to the caller, whose retry queue waits instead.
    """

    attempts: int = 5
    deadline_seconds: float = 60.0
    wait_initial: float = 0.5
    wait_max: float = 10.0
    wait_jitter: float = 1.0
    max_retry_after: float = 30.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.deadline_seconds <= 0:
            raise ValueError("deadline_seconds must be above zero")
        waits = (self.wait_initial, self.wait_max, self.wait_jitter, self.max_retry_after)
        if min(waits) < 0:
            raise ValueError("waits cannot be negative")


class AttemptError(RetriableError):
    """A temporary failure of one attempt that says what the platform did with the call.

    `throttled`: the platform refused the call for rate (its pacer hears of it).
    `unprocessed`: the platform surely did not act on the call (it was throttled, or the
    request never reached the server), so even a call with side effects may repeat.
    `retry_in_call`: False when the failure passes only later (the caller's retry queue),
    not within seconds. Platforms subclass this to compute the flags from their answers.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        throttled: bool = False,
        reached_server: bool = True,
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self._throttled = throttled
        self._reached_server = reached_server

    @property
    def throttled(self) -> bool:
        return self._throttled

    @property
    def unprocessed(self) -> bool:
        return self.throttled or not self._reached_server

    @property
    def retry_in_call(self) -> bool:
        return True


class FailureFactory(Protocol):
    """Builds a connector's `AttemptError` for a failed exchange (the class itself will do)."""

    def __call__(self, message: str, *, reached_server: bool = True) -> AttemptError: ...


@dataclass(frozen=True)
class Reply:
    """One answer, whole: its status, its raw body and its headers."""

    status: int
    body: bytes
    headers: Mapping[str, str]


class Pacing(Protocol):
    """A connector's pacer, as the shared loop drives it around every attempt."""

    async def before(self, endpoint: str) -> None:
        """Wait until one more call to `endpoint` may start."""

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """An attempt ended: learn from the answer's rate headers (status None, no headers:
        no answer came)."""

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        """The platform refused the call for rate, asking for `retry_after` seconds if given."""


class NoPacing:
    """For platforms that need no client-side pacing."""

    async def before(self, endpoint: str) -> None:
        """Nothing to wait for."""

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """Nothing to learn."""

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        """Nothing to slow down; the retry loop still honours the wait."""


NO_PACING = NoPacing()
_DEFAULT_PAUSE = 1.0


class PausePacing:
    """The `Pacing` of a platform without published limits: none until it answers 429; then
    every call waits out its ``Retry-After`` (or a second), so that a burst does not keep
    hammering a platform that asked for a pause."""

    def __init__(
        self,
        platform: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._platform = platform
        self._clock = clock
        self._sleep = sleep
        self._paused_until = 0.0

    async def before(self, endpoint: str) -> None:
        del endpoint
        wait = self._paused_until - self._clock()
        if wait > 0:
            await self._sleep(wait)

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """No rate headers: nothing to learn."""

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        del headers
        wait = _DEFAULT_PAUSE if retry_after is None else retry_after
        self._paused_until = max(self._paused_until, self._clock() + wait)
        log.info(
            "store_throttled", platform=self._platform, endpoint=endpoint, retry_after=retry_after
        )


def worth_retrying(error: BaseException, *, idempotent: bool) -> bool:
    """Whether to repeat a call within the client after `error`.

    Only temporary failures repeat. A call with side effects repeats only when the platform
    surely did not act on it (throttled, or never reached); anything else (a 5xx, a timeout,
    a dropped connection) may have taken effect, so only idempotent calls repeat it.
    """
    if not isinstance(error, RetriableError):
        return False
    if not isinstance(error, AttemptError):
        return idempotent
    return error.retry_in_call and (idempotent or error.unprocessed)


def retry_decision(error: Exception, *, idempotent: bool, retry: RetrySettings) -> bool | float:
    """stamina's answer for `error`: False hands it to the caller, True backs off as usual,
    a number of seconds waits exactly that long (the platform's ``Retry-After``)."""
    if not worth_retrying(error, idempotent=idempotent):
        return False
    wait = error.retry_after if isinstance(error, RetriableError) else None
    if wait is None:
        return True
    return wait if wait <= retry.max_retry_after else False


async def send(
    exchange: Callable[[], Awaitable[Reply]],
    read: Callable[[Reply], T],
    *,
    endpoint: str,
    idempotent: bool,
    retry: RetrySettings,
    pacing: Pacing = NO_PACING,
) -> T:
    """Run one call to `endpoint`, repeating it while that is safe and useful."""

    def decide(error: Exception) -> bool | float:
        return retry_decision(error, idempotent=idempotent, retry=retry)

    async for attempt in stamina.retry_context(
        on=decide,
        attempts=retry.attempts,
        timeout=retry.deadline_seconds,
        wait_initial=retry.wait_initial,
        wait_max=retry.wait_max,
        wait_jitter=retry.wait_jitter,
    ):
        with attempt:
            try:
                result = await _attempt(exchange, read, endpoint, pacing)
            except BaseExceptionGroup as group:
                raise unwrap(group) from None
    return result


async def _attempt(
    exchange: Callable[[], Awaitable[Reply]],
    read: Callable[[Reply], T],
    endpoint: str,
    pacing: Pacing,
) -> T:
    await pacing.before(endpoint)
    try:
        reply = await exchange()
    except BaseException:
        pacing.after(endpoint, None, {})
        raise
    pacing.after(endpoint, reply.status, reply.headers)
    try:
        return read(reply)
    except AttemptError as error:
        if error.throttled:
            pacing.throttled(endpoint, error.retry_after, reply.headers)
        raise
