"""Outgoing webhooks: signed POSTs in the background, retried and redelivered per policy.

The platform hands over each webhook (its delivery id, topic, exact body and its own headers);
the sender signs it through the platform's callback at every attempt, posts it to the address
the platform's callback names at that moment, and records every attempt. A failed delivery is
retried after each of the policy's delays on the simulator clock, with the same delivery id.
A delivery that succeeded may be sent once more (same id, same body) when the policy says so:
platforms that deliver at least once do that, and receivers must de-duplicate.
Nothing here ever disturbs the simulator: a dead receiver is only recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import structlog

from simulators.kit.clock import SimClock

log = structlog.get_logger(__name__)

Signer = Callable[[bytes], Mapping[str, str]]
DEFAULT_CONCURRENCY = 4
DEFAULT_MAX_RECORDS = 200_000
CLOSE_GRACE_SECONDS = 1.0
NO_ADDRESS = "no webhook address"


def any_2xx(status: int) -> bool:
    return 200 <= status < 300  # noqa: PLR2004 the HTTP success range


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How a platform delivers: the retry delays after the 1st, 2nd, ... failure (simulator
    seconds; none left = give up), which answers count as delivered, the per-attempt timeout,
    and redelivery: every `redeliver_every`-th successful delivery (0 = never) is sent again
    `redeliver_after_seconds` later."""

    retry_delays_seconds: tuple[float, ...] = ()
    timeout_seconds: float = 5.0
    succeeded: Callable[[int], bool] = any_2xx
    redeliver_every: int = 0
    redeliver_after_seconds: float = 0.0

    def __post_init__(self) -> None:
        if any(delay < 0 for delay in self.retry_delays_seconds):
            raise ValueError("retry delays cannot be negative")
        if self.redeliver_every < 0 or self.redeliver_after_seconds < 0:
            raise ValueError("redelivery settings cannot be negative")
        if self.timeout_seconds <= 0:
            raise ValueError("the delivery timeout must be positive")


@dataclass(slots=True)
class Delivery:
    """One webhook across all its attempts. `meta` is the platform's (e.g. the shop it is for)."""

    delivery_id: str
    topic: str
    body: bytes
    headers: Mapping[str, str]
    created_at: float
    meta: Mapping[str, Any] = field(default_factory=dict)
    attempts: int = 0
    delivered: bool = False
    redelivered: bool = False


@dataclass(slots=True)
class Attempt:
    """One POST (or the reason none was made). `redelivery` marks a repeat of a success."""

    delivery_id: str
    topic: str
    number: int
    redelivery: bool
    url: str | None
    at: float
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    status: int | None = None
    error: str | None = None
    finished: bool = False


class WebhookSender:
    """Sends each webhook from background tasks (at most `concurrency` at once, started in
    the order they were asked for) and keeps every attempt for the control API."""

    def __init__(
        self,
        *,
        clock: SimClock,
        policy: DeliveryPolicy,
        sign: Signer,
        address: Callable[[Delivery], str | None],
        concurrency: int = DEFAULT_CONCURRENCY,
        max_records: int = DEFAULT_MAX_RECORDS,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sign = sign
        self._address = address
        self._limit = asyncio.Semaphore(concurrency)
        self._max_records = max_records
        self._due: list[tuple[float, int, str, bool]] = []
        self._seq = itertools.count()
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None
        self._successes = 0
        self._closed = False
        self.deliveries: dict[str, Delivery] = {}
        self.attempts: deque[Attempt] = deque(maxlen=max_records)

    def emit(
        self,
        delivery_id: str,
        topic: str,
        body: bytes,
        headers: Mapping[str, str] | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> Delivery:
        """Send a new webhook now (in the background)."""
        delivery = Delivery(
            delivery_id, topic, body, dict(headers or {}), self._clock.now(), dict(meta or {})
        )
        self.deliveries[delivery_id] = delivery
        while len(self.deliveries) > self._max_records:
            del self.deliveries[next(iter(self.deliveries))]
        self._start(delivery, redelivery=False)
        return delivery

    def redeliver(self, delivery_id: str) -> Attempt:
        """Send a known delivery again now, as the platform's redelivery would."""
        delivery = self.deliveries.get(delivery_id)
        if delivery is None:
            raise KeyError(delivery_id)
        return self._start(delivery, redelivery=True)

    def fire_due(self) -> int:
        """Start the retries and redeliveries due on the simulator clock; how many started."""
        now = self._clock.now()
        started = 0
        while self._due and self._due[0][0] <= now:
            _, _, delivery_id, redelivery = heapq.heappop(self._due)
            delivery = self.deliveries.get(delivery_id)
            if delivery is not None:
                self._start(delivery, redelivery=redelivery)
                started += 1
        return started

    def scheduled(self) -> list[dict[str, Any]]:
        """What is waiting on the clock: ``{at, delivery_id, redelivery}``, earliest first."""
        return [
            {"at": when, "delivery_id": delivery_id, "redelivery": redelivery}
            for when, _, delivery_id, redelivery in sorted(self._due)
        ]

    async def drain(self, wait_seconds: float | None = None) -> bool:
        """Wait until every attempt already started has finished; False when `wait_seconds`
        passed first."""
        try:
            async with asyncio.timeout(wait_seconds):
                while self._tasks:
                    await asyncio.wait(set(self._tasks))
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        """Stop sending: let attempts in flight finish briefly, then cancel the rest."""
        self._closed = True
        self._due.clear()
        if not await self.drain(CLOSE_GRACE_SECONDS):
            for task in list(self._tasks):
                task.cancel()
            for task in list(self._tasks):
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _start(self, delivery: Delivery, *, redelivery: bool) -> Attempt:
        delivery.attempts += 1
        delivery.redelivered = delivery.redelivered or redelivery
        url = self._address(delivery)
        attempt = Attempt(
            delivery.delivery_id,
            delivery.topic,
            delivery.attempts,
            redelivery,
            url,
            self._clock.now(),
            headers={**delivery.headers, **self._sign(delivery.body)},
            body=delivery.body,
        )
        self.attempts.append(attempt)
        reason = self._why_not(url)
        if reason is not None:
            attempt.error, attempt.finished = reason, True
            return attempt
        task = asyncio.get_running_loop().create_task(self._post(delivery, attempt))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return attempt

    def _why_not(self, url: str | None) -> str | None:
        if url is None:
            return NO_ADDRESS
        if self._closed:
            return "the simulator is stopping"
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return "no running event loop"
        return None

    async def _post(self, delivery: Delivery, attempt: Attempt) -> None:
        assert attempt.url is not None
        async with self._limit:
            if self._session is None:
                self._session = aiohttp.ClientSession()
            timeout = aiohttp.ClientTimeout(total=self.policy.timeout_seconds)
            try:
                async with self._session.post(
                    attempt.url, data=delivery.body, headers=attempt.headers, timeout=timeout
                ) as response:
                    attempt.status = response.status
                    await response.read()
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                attempt.error = f"{type(exc).__name__}: {exc}"
        ok = attempt.status is not None and self.policy.succeeded(attempt.status)
        if not ok and attempt.error is None:
            attempt.error = f"HTTP {attempt.status}"
        attempt.finished = True
        if not ok:
            log.info("sim_webhook_failed", topic=delivery.topic, error=attempt.error)
        self._follow_up(delivery, attempt, ok=ok)

    def _follow_up(self, delivery: Delivery, attempt: Attempt, *, ok: bool) -> None:
        """Schedule what the policy wants after this attempt: a retry or a redelivery."""
        if attempt.redelivery:
            return  # a repeat of a success is neither retried nor repeated
        policy = self.policy
        now = self._clock.now()
        if not ok:
            delays = policy.retry_delays_seconds
            if delivery.attempts <= len(delays):
                self._schedule(now + delays[delivery.attempts - 1], delivery, redelivery=False)
            return
        delivery.delivered = True
        self._successes += 1
        if policy.redeliver_every and self._successes % policy.redeliver_every == 0:
            if policy.redeliver_after_seconds <= 0:
                self._start(delivery, redelivery=True)
            else:
                when = now + policy.redeliver_after_seconds
                self._schedule(when, delivery, redelivery=True)

    def _schedule(self, when: float, delivery: Delivery, *, redelivery: bool) -> None:
        heapq.heappush(self._due, (when, next(self._seq), delivery.delivery_id, redelivery))
