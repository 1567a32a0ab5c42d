"""One Admin REST call: paced by the leaky bucket, retried when that is safe, classified.

Retries happen here and only here: 429 (always safe: Shopify did not run the call), 5xx and
timeouts (only for idempotent calls), bounded by attempts and a deadline, with jittered
backoff, honouring ``Retry-After``. Other statuses become the daemon's errors through
`classify_status`. The access token sits in the session's headers and never in a URL, a log
line or an exception.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp
import stamina
import structlog
from pydantic import BaseModel, ValidationError

from daemon.connectors.http import classify_status, retry_after
from daemon.connectors.shopify.mapping import validation_summary
from daemon.connectors.shopify.pacing import BucketPacer, parse_call_limit
from daemon.connectors.shopify.paging import next_page_info
from daemon.errors import FatalError, RetriableError

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

PLATFORM = "shopify"
_MAX_DETAIL = 300
_THROTTLED = 429


@dataclass(frozen=True)
class ShopifyClientOptions:
    """Timeouts, retry bounds, pacing and batch sizes of the Shopify connector.

    A ``Retry-After`` longer than `max_retry_after` is not waited out inside a call: the
    `RetriableError` carrying it goes to the caller, whose retry queue waits instead.
    `leak_rate` is the shop plan's REST leak rate (Standard 2/s, Advanced 4/s, Plus 20/s).
    """

    request_timeout: timedelta = timedelta(seconds=30)
    attempts: int = 5
    deadline_seconds: float = 60.0
    wait_initial: float = 0.5
    wait_max: float = 10.0
    wait_jitter: float = 1.0
    max_retry_after: float = 30.0
    leak_rate: float = 2.0
    headroom: int = 3
    page_size: int = 250
    inventory_item_batch: int = 100  # inventory_items.json?ids= takes at most 100
    level_batch: int = 50  # inventory_levels.json?inventory_item_ids= takes at most 50
    locations_ttl: timedelta = timedelta(minutes=5)  # how long a read of the locations is used


class _ThrottledError(RetriableError):
    """HTTP 429: the call did not run, so repeating it is always safe."""


class _NotSentError(RetriableError):
    """The connection failed before the request left: repeating it is always safe."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    link: str | None


def parse_body(model: type[M], answer: Answer, endpoint: str) -> M:
    """Validate a whole answer; a mismatch with the documented shape is a contract violation."""
    try:
        return model.model_validate(answer.body)
    except ValidationError as exc:
        raise FatalError(
            f"{endpoint}: the answer does not match the documented shape: {validation_summary(exc)}"
        ) from None


def _detail(raw: bytes) -> str:
    try:
        errors = json.loads(raw).get("errors")
    except (ValueError, AttributeError):
        return raw[:_MAX_DETAIL].decode("utf-8", "replace")
    text = errors if isinstance(errors, str) else json.dumps(errors, ensure_ascii=False)
    return str(text)[:_MAX_DETAIL]


class Transport:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        api_version: str,
        pacer: BucketPacer,
        options: ShopifyClientOptions,
    ) -> None:
        self._session = session
        self._root = f"{base_url.rstrip('/')}/admin/api/{api_version}"
        self._version = api_version
        self.pacer = pacer
        self._options = options
        self._version_warned = False

    async def call(
        self,
        method: str,
        resource: str,
        *,
        endpoint: str,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotent: bool = True,
        missing_ok: bool = False,
    ) -> Answer | None:
        """Send one call; None when `missing_ok` and the shop answers 404."""
        options = self._options

        def decide(error: Exception) -> bool | float:
            if not isinstance(error, RetriableError):
                return False
            if not idempotent and not isinstance(error, _ThrottledError | _NotSentError):
                return False
            if error.retry_after is None:
                return True
            return error.retry_after if error.retry_after <= options.max_retry_after else False

        payload = None if body is None else json.dumps(body).encode()
        async for attempt in stamina.retry_context(
            on=decide,
            attempts=options.attempts,
            timeout=options.deadline_seconds,
            wait_initial=options.wait_initial,
            wait_max=options.wait_max,
            wait_jitter=options.wait_jitter,
        ):
            with attempt:
                answer = await self._once(
                    method,
                    resource,
                    endpoint=endpoint,
                    query=query,
                    payload=payload,
                    missing_ok=missing_ok,
                )
        return answer

    async def _once(
        self,
        method: str,
        resource: str,
        *,
        endpoint: str,
        query: Mapping[str, str] | None,
        payload: bytes | None,
        missing_ok: bool,
    ) -> Answer | None:
        await self.pacer.acquire()
        limit = None
        try:
            status, raw, headers = await self._exchange(method, resource, endpoint, query, payload)
            limit = parse_call_limit(headers.get("X-Shopify-Shop-Api-Call-Limit"))
        finally:
            self.pacer.observe(limit)
        self._check_version(headers.get("X-Shopify-API-Version"))
        if status == _THROTTLED:
            wait = retry_after(headers)
            self.pacer.throttled(wait, reported=limit is not None)
            log.info("shopify_throttled", endpoint=endpoint, retry_after=wait)
            raise _ThrottledError(f"shopify answered HTTP 429 on {endpoint}", retry_after=wait)
        if missing_ok and status == 404:  # noqa: PLR2004 Not Found
            return None
        if not 200 <= status < 300:  # noqa: PLR2004 success range
            raise classify_status(PLATFORM, status, f"{endpoint}: {_detail(raw)}", headers)
        if not raw.strip():
            return Answer(status, {}, headers.get("Link"))
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None
        return Answer(status, parsed, headers.get("Link"))

    async def _exchange(
        self,
        method: str,
        resource: str,
        endpoint: str,
        query: Mapping[str, str] | None,
        payload: bytes | None,
    ) -> tuple[int, bytes, Mapping[str, str]]:
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        try:
            async with self._session.request(
                method,
                f"{self._root}/{resource}.json",
                params=dict(query or {}),
                data=payload,
                headers=headers,
                trace_request_ctx={"endpoint": endpoint},
            ) as response:
                return response.status, await response.read(), response.headers
        except TimeoutError:
            raise RetriableError(f"{endpoint}: Shopify did not answer in time") from None
        except aiohttp.ClientConnectorError as exc:
            raise _NotSentError(
                f"{endpoint}: cannot connect to Shopify ({type(exc).__name__})"
            ) from None
        except aiohttp.ClientError as exc:
            raise RetriableError(
                f"{endpoint}: connection to Shopify failed ({type(exc).__name__})"
            ) from None

    def _check_version(self, served: str | None) -> None:
        if served and served != self._version and not self._version_warned:
            self._version_warned = True
            log.warning("shopify_api_version_mismatch", asked=self._version, served=served)

    async def pages(
        self, resource: str, *, endpoint: str, query: Mapping[str, str]
    ) -> AsyncIterator[Answer]:
        """Every page of a list, following the Link header; a follow-up page sends only
        ``page_info``, ``limit`` and ``fields``, as Shopify requires."""
        answer = await self.call("GET", resource, endpoint=endpoint, query=query)
        while answer is not None:
            yield answer
            cursor = next_page_info(answer.link)
            if cursor is None:
                return
            follow = {k: v for k, v in query.items() if k in {"limit", "fields"}}
            follow["page_info"] = cursor
            answer = await self.call("GET", resource, endpoint=endpoint, query=follow)
