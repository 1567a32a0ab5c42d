"""One Admin REST call (the order side) on the shared transport policy, paced by the leaky
bucket.

`daemon.connectors.transport.send` repeats calls: a 429 always (Shopify did not run the
call), 5xx and timeouts only for idempotent calls, bounded by attempts and a deadline, with
jittered backoff, honouring ``Retry-After``; `BucketPacing` plugs the bucket in. Statuses
become the daemon's errors through `classify_status`. The access token sits in the session's
headers and never in a URL, a log line or an exception.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

import aiohttp
import structlog
from pydantic import BaseModel, ValidationError

from daemon.connectors.http import classify_status, exchange
from daemon.connectors.shopify.mapping import validation_summary
from daemon.connectors.shopify.pacing import BucketPacer, BucketPacing
from daemon.connectors.shopify.paging import next_page_info
from daemon.connectors.transport import Reply, RetrySettings, send
from daemon.errors import FatalError

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=BaseModel)

PLATFORM = "shopify"
_REMOTE = "Shopify"
_MAX_DETAIL = 300
_NOT_FOUND = 404


@dataclass(frozen=True)
class ShopifyClientOptions:
    """Timeouts, retry bounds, pacing and batch sizes of the Shopify connector.

    `retry` bounds the repeats of one call (the shared `RetrySettings`). `leak_rate` is the
    shop plan's REST leak rate (Standard 2/s, Advanced 4/s, Plus 20/s); `restore_rate` its
    GraphQL points per second (Standard 100, Advanced 200, Plus 1,000). `bulk` reads whole
    catalogs and stock through bulk operations, polled every `bulk_poll_interval` seconds at
    most, given up (and cancelled) after `bulk_timeout`.
    """

    request_timeout: timedelta = timedelta(seconds=30)
    retry: RetrySettings = field(default_factory=RetrySettings)
    leak_rate: float = 2.0
    headroom: int = 3
    page_size: int = 250
    inventory_item_batch: int = 100  # inventory_items.json?ids= takes at most 100
    level_batch: int = 50  # inventory_levels.json?inventory_item_ids= takes at most 50
    locations_ttl: timedelta = timedelta(minutes=5)  # how long a read of the locations is used
    restore_rate: float = 100.0
    bulk: bool = True
    bulk_over: int = 16  # changes to more products than this (two pages) are read in bulk
    bulk_poll_interval: float = 1.0
    bulk_timeout: timedelta = timedelta(minutes=30)


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
        on_headers: Callable[[Mapping[str, str]], None] | None = None,
    ) -> None:
        self._session = session
        self._root = f"{base_url.rstrip('/')}/admin/api/{api_version}"
        self._version = api_version
        self.pacer = pacer
        self._pacing = BucketPacing(pacer)
        self._options = options
        self._on_headers = on_headers

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
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        return await send(
            partial(
                exchange,
                self._session,
                method,
                f"{self._root}/{resource}.json",
                endpoint=endpoint,
                remote=_REMOTE,
                params=dict(query or {}),
                data=payload,
                headers=headers,
            ),
            partial(self._read, endpoint=endpoint, missing_ok=missing_ok),
            endpoint=endpoint,
            idempotent=idempotent,
            retry=self._options.retry,
            pacing=self._pacing,
        )

    def _read(self, reply: Reply, *, endpoint: str, missing_ok: bool) -> Answer | None:
        if self._on_headers is not None:
            self._on_headers(reply.headers)
        if missing_ok and reply.status == _NOT_FOUND:
            return None
        if not 200 <= reply.status < 300:  # noqa: PLR2004 success range
            detail = f"{endpoint}: {_detail(reply.body)}"
            raise classify_status(PLATFORM, reply.status, detail, reply.headers)
        link = reply.headers.get("Link")
        if not reply.body.strip():
            return Answer(reply.status, {}, link)
        try:
            parsed = json.loads(reply.body)
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None
        return Answer(reply.status, parsed, link)

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
