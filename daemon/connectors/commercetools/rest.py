"""One HTTP API call on the shared transport policy, and queries paged by key.

`daemon.connectors.transport.send` repeats calls (5xx and timeouts only when idempotent),
bounded by attempts and a deadline, honouring ``Retry-After``. No general request-rate
limit is published, so there is no pacing beyond waiting out a 429. A token the API calls
invalid is dropped and the call made once more with a fresh one. Errors carry the API's first
error code: ``ConcurrentModification`` (with the current version), ``DuplicateField`` and
``OutOfStock`` have their own classes.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote

import aiohttp

from daemon.connectors.commercetools.auth import PLATFORM, Tokens
from daemon.connectors.commercetools.models import PagedQuery
from daemon.connectors.commercetools.transport import PausePacing
from daemon.connectors.http import classify_status, exchange, parse_answer
from daemon.connectors.transport import Reply, RetrySettings, send
from daemon.errors import AuthError, FatalError

_REMOTE = "commercetools"
_MAX_DETAIL = 300
_NOT_FOUND = 404
_UNAUTHORIZED = 401
_CONFLICT = 409


class ConcurrentModificationError(FatalError):
    """The resource moved on since its version was read."""

    def __init__(self, message: str, current_version: int | None) -> None:
        super().__init__(message)
        self.current_version = current_version


class DuplicateFieldError(FatalError):
    """A unique field (an order number) already holds that value."""


class OutOfStockError(FatalError):
    """An order line has no inventory entry (or, reserving, too little stock)."""


class _TokenRejectedError(AuthError):
    pass


def first_error(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        return {"message": raw[:_MAX_DETAIL].decode("utf-8", "replace")}
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return errors[0]
    if isinstance(body, dict):
        return {"message": str(body.get("message", ""))[:_MAX_DETAIL]}
    return {}


def ct_time(moment: datetime) -> str:
    """A time in a predicate: ISO 8601 in UTC with milliseconds."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def quoted(value: str) -> str:
    """A string in a query predicate."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Api:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        tokens: Tokens,
        *,
        api_url: str,
        project_key: str,
        retry: RetrySettings,
        page_size: int,
    ) -> None:
        self._session = session
        self._tokens = tokens
        self._root = f"{api_url.rstrip('/')}/{quote(project_key, safe='')}"
        self._retry = retry
        self.page_size = page_size
        self._pacing = PausePacing(PLATFORM)

    def url(self, *segments: str) -> str:
        return "/".join([self._root, *(quote(s, safe="=-") for s in segments)])

    async def _exchange(
        self, method: str, url: str, endpoint: str, query: Mapping[str, str], payload: bytes | None
    ) -> Reply:
        headers = {"Authorization": await self._tokens.bearer(), "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        reply = await exchange(
            self._session,
            method,
            url,
            endpoint=endpoint,
            remote=_REMOTE,
            params=query,
            data=payload,
            headers=headers,
        )
        if reply.status == _UNAUTHORIZED:
            self._tokens.drop(headers["Authorization"])
        return reply

    async def call(
        self,
        method: str,
        segments: Sequence[str],
        *,
        endpoint: str,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        idempotent: bool = True,
        missing_ok: bool = False,
    ) -> Any:
        """Send one call; None when `missing_ok` and the API answers 404."""
        payload = None if body is None else json.dumps(body).encode()
        attempt = partial(
            send,
            partial(
                self._exchange, method, self.url(*segments), endpoint, dict(query or {}), payload
            ),
            partial(self._read, endpoint=endpoint, missing_ok=missing_ok),
            endpoint=endpoint,
            idempotent=idempotent,
            retry=self._retry,
            pacing=self._pacing,
        )
        try:
            return await attempt()
        except _TokenRejectedError:  # refused before it was acted on: once more with a new token
            return await attempt()

    def _read(self, reply: Reply, *, endpoint: str, missing_ok: bool) -> Any:
        if missing_ok and reply.status == _NOT_FOUND:
            return None
        if not 200 <= reply.status < 300:  # noqa: PLR2004 success range
            raise self._error(reply, endpoint)
        try:
            return json.loads(reply.body) if reply.body.strip() else None
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None

    def _error(self, reply: Reply, endpoint: str) -> Exception:
        error = first_error(reply.body)
        code = str(error.get("code", ""))
        detail = f"{endpoint}: {code or 'error'}: {str(error.get('message', ''))[:_MAX_DETAIL]}"
        if reply.status == _UNAUTHORIZED and code == "invalid_token":
            return _TokenRejectedError(
                f"commercetools answered HTTP 401: {endpoint}: invalid_token"
            )
        if reply.status == _CONFLICT and code == "ConcurrentModification":
            current = error.get("currentVersion")
            return ConcurrentModificationError(
                detail, current if isinstance(current, int) else None
            )
        if code == "DuplicateField":
            return DuplicateFieldError(detail)
        if code == "OutOfStock":
            return OutOfStockError(detail)
        return classify_status(PLATFORM, reply.status, detail, reply.headers)

    async def get(self, segments: Sequence[str], *, endpoint: str, **kwargs: Any) -> Any:
        return await self.call("GET", segments, endpoint=endpoint, **kwargs)

    async def query(
        self,
        segments: Sequence[str],
        where: Sequence[str],
        *,
        endpoint: str,
        params: Mapping[str, str] | None = None,
    ) -> AsyncIterator[list[Any]]:
        """Every result of a query, a page at a time, by key (``id > last``, sorted by id):
        no ``offset`` ceiling (10,000) and no total counted."""
        last: str | None = None
        while True:
            predicates = [*where, *([f"id > {quoted(last)}"] if last else [])]
            query = {
                "limit": str(self.page_size),
                "sort": "id asc",
                "withTotal": "false",
                **(params or {}),
            }
            if predicates:
                query["where"] = " and ".join(f"({p})" for p in predicates)
            body = await self.get(segments, endpoint=endpoint, query=query)
            page = parse_answer(PagedQuery, body, endpoint)
            if page.results:
                yield page.results
            if page.count < self.page_size or not page.results:
                return
            tail = page.results[-1]
            if not isinstance(tail, dict) or not isinstance(tail.get("id"), str):
                raise FatalError(f"{endpoint}: a result without an id")
            last = tail["id"]
