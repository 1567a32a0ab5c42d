"""One Admin GraphQL call on the shared transport policy, paced by calculated query cost.

Shopify charges each query its calculated cost from a bucket of points that restores at the
plan's rate (Standard 100/s, Advanced 200/s, Plus 1,000/s) and answers
``extensions.cost{requestedQueryCost, actualQueryCost, throttleStatus}``. `CostPacer` keeps
an estimate of the points available, starts a query only when its expected cost (the last
requested cost of the same operation) is there, and resets the estimate from every answer.
A ``THROTTLED`` answer is an `AttemptError` flagged throttled, waiting for the points the
query lacks; the shared loop repeats it. ``ACCESS_DENIED`` is an `AuthError` naming the
scope; other GraphQL errors are a `FatalError` with Shopify's messages.

Every answer's ``X-Shopify-API-Version`` and ``X-Shopify-API-Deprecated-Reason`` are
checked: another version than the pinned one, or a deprecation, is logged once and kept in
`notices` (shown on /readyz).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

import aiohttp
import structlog

from daemon.connectors.http import classify_status, exchange
from daemon.connectors.transport import AttemptError, Reply, RetrySettings, send
from daemon.errors import AuthError, FatalError

log = structlog.get_logger(__name__)

PLATFORM = "shopify"
_REMOTE = "Shopify"
_DEFAULT_COST = 1000  # an operation never seen before may cost up to the single-query cap
_BUCKET_SECONDS = 20  # Shopify's bucket holds twenty seconds of restore
_MAX_DETAIL = 300


class CostPacer:
    """One shop's points, as the client estimates them between answers."""

    def __init__(
        self,
        restore_rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.restore_rate = restore_rate
        self.maximum = restore_rate * _BUCKET_SECONDS
        self._available = self.maximum
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        self._lock = asyncio.Lock()
        self.expected: dict[str, int] = {}
        self.waited = 0.0  # seconds spent waiting for points (metrics, benchmarks)
        self.spent = 0  # actual points charged, summed
        self._paused_until = 0.0
        self._learned = asyncio.Event()  # set (and replaced) whenever the real points are known

    def available(self) -> float:
        now = self._clock()
        return min(self.maximum, self._available + (now - self._stamp) * self.restore_rate)

    def _cost(self, endpoint: str) -> float:
        return min(self.expected.get(endpoint, _DEFAULT_COST), self.maximum)

    def refund(self, endpoint: str) -> None:
        """An attempt got no answer to learn from (a failure, a timeout): give its points
        back, as Shopify charges nothing for a query it did not run."""
        self._available = min(self.maximum, self.available() + self._cost(endpoint))
        self._stamp = self._clock()
        self._tell_waiters()

    async def acquire(self, endpoint: str) -> None:
        """Take `endpoint`'s expected points, waiting until they are there. A wait ends early
        when an answer tells the real points left: queries under way reserved their requested
        cost, and Shopify gives back what they did not use as soon as they finish."""
        cost = self._cost(endpoint)
        while True:
            async with self._lock:
                have = self.available()
                pause = self._paused_until - self._clock()
                if have >= cost and pause <= 0:
                    self._available, self._stamp = have - cost, self._clock()
                    return
                delay = max(pause, (cost - have) / self.restore_rate)
                learned = self._learned
            started = self._clock()
            await self._until(learned, delay, early=pause <= 0)
            self.waited += self._clock() - started

    async def _until(self, learned: asyncio.Event, delay: float, *, early: bool) -> None:
        """Sleep `delay` seconds, or until `learned` is set when `early` (not in a pause the
        shop asked for)."""
        sleeping = asyncio.ensure_future(self._sleep(delay))
        if not early:
            await sleeping
            return
        told = asyncio.ensure_future(learned.wait())
        try:
            await asyncio.wait({sleeping, told}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeping, told):
                task.cancel()

    def _tell_waiters(self) -> None:
        self._learned.set()
        self._learned = asyncio.Event()

    def observe(self, endpoint: str, cost: Mapping[str, Any] | None) -> None:
        """Learn from ``extensions.cost``: the real points left and this operation's cost."""
        if not cost:
            return
        requested = cost.get("requestedQueryCost")
        if isinstance(requested, int | float):
            self.expected[endpoint] = int(requested)
        actual = cost.get("actualQueryCost")
        if isinstance(actual, int | float):
            self.spent += int(actual)
        status = cost.get("throttleStatus")
        if isinstance(status, Mapping):
            rate, maximum = status.get("restoreRate"), status.get("maximumAvailable")
            if isinstance(rate, int | float) and rate > 0:
                self.restore_rate = float(rate)
            if isinstance(maximum, int | float) and maximum > 0:
                self.maximum = float(maximum)
            left = status.get("currentlyAvailable")
            if isinstance(left, int | float):
                self._available, self._stamp = float(left), self._clock()
                self._tell_waiters()

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` (the shop said to wait)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def wait_for(self, requested: int) -> float:
        """Seconds until `requested` points are back."""
        return max(0.0, (requested - self.available()) / self.restore_rate)


class _Pacing:
    def __init__(self, pacer: CostPacer) -> None:
        self.pacer = pacer

    async def before(self, endpoint: str) -> None:
        await self.pacer.acquire(endpoint)

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """Costs arrive in the body (`GraphQL._read` tells the pacer); an attempt without an
        answer to read costs nothing."""
        del headers
        if status is None or not 200 <= status < 300:  # noqa: PLR2004 success range
            self.pacer.refund(endpoint)

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        del headers  # GraphQL reports its points in the body
        self.pacer.pause(retry_after if retry_after is not None else 1.0)
        log.info("shopify_throttled", endpoint=endpoint, retry_after=retry_after)


class GraphQL:
    """Queries and mutations against ``/admin/api/{version}/graphql.json``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        api_version: str,
        pacer: CostPacer,
        retry: RetrySettings,
    ) -> None:
        self._session = session
        self._url = f"{base_url.rstrip('/')}/admin/api/{api_version}/graphql.json"
        self._version = api_version
        self.pacer = pacer
        self._pacing = _Pacing(pacer)
        self._retry = retry
        self.notices: dict[str, str] = {}

    async def run(
        self,
        document: str,
        variables: Mapping[str, Any] | None = None,
        *,
        endpoint: str,
        mutation: bool = False,
    ) -> dict[str, Any]:
        """The answer's ``data``; errors become the daemon's."""
        body = json.dumps({"query": document, "variables": dict(variables or {})}).encode()
        return await send(
            partial(
                exchange,
                self._session,
                "POST",
                self._url,
                endpoint=endpoint,
                remote=_REMOTE,
                data=body,
                headers={"Content-Type": "application/json"},
            ),
            partial(self._read, endpoint=endpoint),
            endpoint=endpoint,
            idempotent=not mutation,
            retry=self._retry,
            pacing=self._pacing,
        )

    def _read(self, reply: Reply, *, endpoint: str) -> dict[str, Any]:
        self.check_headers(reply.headers)
        if not 200 <= reply.status < 300:  # noqa: PLR2004 success range
            detail = f"{endpoint}: {reply.body[:_MAX_DETAIL].decode('utf-8', 'replace')}"
            raise classify_status(PLATFORM, reply.status, detail, reply.headers)
        try:
            answer = json.loads(reply.body)
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise FatalError(f"{endpoint}: the answer is not a JSON object")
        extensions = answer.get("extensions")
        cost = extensions.get("cost") if isinstance(extensions, dict) else None
        self.pacer.observe(endpoint, cost)
        errors = answer.get("errors")
        if errors:
            self._raise(endpoint, errors, cost)
        data = answer.get("data")
        if not isinstance(data, dict):
            raise FatalError(f"{endpoint}: the answer holds no data")
        return data

    def _raise(self, endpoint: str, errors: Any, cost: Any) -> None:
        listed: list[Any] = errors if isinstance(errors, list) else [{"message": str(errors)}]
        found = [e for e in listed if isinstance(e, dict)]
        codes = [
            e["extensions"].get("code") for e in found if isinstance(e.get("extensions"), dict)
        ]
        messages = "; ".join(str(e.get("message", "")) for e in found)[:_MAX_DETAIL]
        if "THROTTLED" in codes:
            requested = (cost or {}).get("requestedQueryCost") or _DEFAULT_COST
            wait = self.pacer.wait_for(int(requested))
            raise AttemptError(
                f"{endpoint}: Shopify throttled the query", retry_after=wait, throttled=True
            )
        if "ACCESS_DENIED" in codes:
            raise AuthError(f"{endpoint}: Shopify denied access: {messages}")
        raise FatalError(f"{endpoint}: Shopify refused the query: {messages}")

    def check_headers(self, headers: Mapping[str, str]) -> None:
        """Note (once each) an answer from another version, or a deprecation warning."""
        served = headers.get("X-Shopify-API-Version")
        if served and served != self._version and "version" not in self.notices:
            self.notices["version"] = (
                f"Shopify answered with API version {served}, not the pinned {self._version}: "
                "the pinned version is no longer supported; set api_version to a supported one"
            )
            log.warning("shopify_api_version_mismatch", asked=self._version, served=served)
        reason = headers.get("X-Shopify-API-Deprecated-Reason")
        if reason and "deprecation" not in self.notices:
            self.notices["deprecation"] = f"Shopify warns of a deprecation: {reason}"
            log.warning("shopify_api_deprecation", version=self._version, reason=reason)
