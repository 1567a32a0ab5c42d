"""One BigCommerce call on the shared transport policy, paced by the store's rate window.

`daemon.connectors.transport.send` repeats calls: a 429 always (BigCommerce did not run the
call; it waits for the window's reset), 5xx and timeouts only for idempotent calls, bounded by
attempts and a deadline, with jittered backoff. Statuses become the daemon's errors through
`classify_status`. The access token sits in the session's headers and never in a URL, a log
line or an exception.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel, ValidationError

from daemon.connectors.bigcommerce.mapping import validation_summary
from daemon.connectors.bigcommerce.models import Page
from daemon.connectors.bigcommerce.pacing import WindowPacer, WindowPacing, parse_window
from daemon.connectors.http import classify_status, exchange
from daemon.connectors.transport import AttemptError, Reply, RetrySettings, send
from daemon.errors import FatalError

M = TypeVar("M", bound=BaseModel)

PLATFORM = "bigcommerce"
DEFAULT_BASE_URL = "https://api.bigcommerce.com"
_REMOTE = "BigCommerce"
_MAX_DETAIL = 500
_NOT_FOUND = 404
_NO_CONTENT = 204
_TOO_MANY = 429


@dataclass(frozen=True)
class BigCommerceClientOptions:
    """Timeouts, retry bounds, pacing and batch sizes of the BigCommerce connector."""

    request_timeout: timedelta = timedelta(seconds=30)
    retry: RetrySettings = field(default_factory=RetrySettings)
    requests_quota: int = 150
    reserve: int = 5
    page_size: int = 250
    id_batch: int = 100  # ids in one ``:in`` filter (the URL stays short)
    locations_ttl: timedelta = timedelta(minutes=5)


def parse_body(model: type[M], body: Any, endpoint: str) -> M:
    """Validate a whole answer; a mismatch with the documented shape is a contract violation."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise FatalError(
            f"{endpoint}: the answer does not match the documented shape: {validation_summary(exc)}"
        ) from None


def _detail(raw: bytes) -> str:
    """The error's words: V3 ``{title, errors}``, V2 ``[{status, message}]``."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return raw[:_MAX_DETAIL].decode("utf-8", "replace")
    if isinstance(parsed, list):
        entries = [item for item in parsed if isinstance(item, dict)]
        text = "; ".join(str(item.get("message", "")) for item in entries)
        details = [
            str(error.get("message", ""))
            for item in entries
            if isinstance(item.get("details"), dict)
            for error in item["details"].get("errors", [])
            if isinstance(error, dict)
        ]
        if details:
            text += ": " + "; ".join(details)
    elif isinstance(parsed, dict):
        errors = parsed.get("errors") or {}
        text = str(parsed.get("title", ""))
        if errors:
            text += " " + json.dumps(errors, ensure_ascii=False)
    else:
        text = str(parsed)
    return text[:_MAX_DETAIL]


class Transport:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        store_hash: str,
        pacer: WindowPacer,
        options: BigCommerceClientOptions,
    ) -> None:
        self._session = session
        self._root = f"{base_url.rstrip('/')}/stores/{store_hash}"
        self.pacer = pacer
        self._pacing = WindowPacing(pacer)
        self._options = options

    async def call(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        idempotent: bool = True,
        missing_ok: bool = False,
    ) -> Any:
        """One call to ``/stores/{hash}/{path}``: the parsed JSON; None for a 204 No Content,
        or for a 404 when `missing_ok`."""
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        return await send(
            partial(
                exchange,
                self._session,
                method,
                f"{self._root}/{path}",
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

    def _read(self, reply: Reply, *, endpoint: str, missing_ok: bool) -> Any:
        if missing_ok and reply.status == _NOT_FOUND:
            return None
        if reply.status == _TOO_MANY:
            window = parse_window(reply.headers)
            wait = None if window is None else window.reset_seconds
            # Without the window's headers BigCommerce is overloaded, not throttling this app.
            raise AttemptError(
                f"{PLATFORM} answered HTTP 429: {endpoint}: over the rate limit",
                retry_after=wait,
                throttled=window is not None,
            )
        if not 200 <= reply.status < 300:  # noqa: PLR2004 success range
            detail = f"{endpoint}: {_detail(reply.body)}"
            raise classify_status(PLATFORM, reply.status, detail, reply.headers)
        if reply.status == _NO_CONTENT or not reply.body.strip():
            return None
        try:
            return json.loads(reply.body)
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None

    async def v3_pages(
        self, path: str, *, endpoint: str, query: Mapping[str, str]
    ) -> AsyncIterator[list[Any]]:
        """The raw records of every page of a V3 list, by ``page`` until ``total_pages``."""
        page = 1
        while True:
            asked = {**query, "page": str(page), "limit": str(self._options.page_size)}
            answer = await self.call("GET", path, endpoint=endpoint, query=asked)
            parsed = parse_body(Page, answer, endpoint)
            yield parsed.data
            paging = parsed.meta.pagination
            if paging is None or paging.current_page >= paging.total_pages or not parsed.data:
                return
            page += 1

    async def v2_pages(
        self, path: str, *, endpoint: str, query: Mapping[str, str]
    ) -> AsyncIterator[list[Any]]:
        """The raw records of every page of a V2 list; an empty page answers 204."""
        page = 1
        limit = self._options.page_size
        while True:
            asked = {**query, "page": str(page), "limit": str(limit)}
            answer = await self.call("GET", path, endpoint=endpoint, query=asked)
            if answer is None:
                return
            if not isinstance(answer, list):
                raise FatalError(f"{endpoint}: the answer is not a list")
            yield answer
            if len(answer) < limit:
                return
            page += 1
