"""One REST API v3 call on the shared transport policy, authenticated as WooCommerce wants,
and page-by-page lists (``page``/``per_page`` with ``X-WP-TotalPages``).

WooCommerce core sends no rate-limit headers and has no limit of its own, so calls are paced
only after a 429 from something in front of it (`PausePacing`). The
credentials travel in a header or the signed query, never in a log line or an exception
(`exchange` never quotes the URL).
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel, TypeAdapter, ValidationError

from daemon.connectors.http import classify_status, exchange
from daemon.connectors.transport import Reply, RetrySettings, send
from daemon.connectors.woocommerce.auth import basic_header, oauth_query
from daemon.connectors.woocommerce.transport import PausePacing
from daemon.errors import FatalError

PLATFORM = "woocommerce"
REMOTE = "WooCommerce"
API_ROOT = "/wp-json/wc/v3"
TRACKING_ROOT = "/wp-json/wc-shipment-tracking/v3"
_MAX_DETAIL = 300
_NOT_FOUND = 404
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    total_pages: int


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse(model: type[M], body: Any, endpoint: str) -> M:
    """A whole answer in its documented shape; anything else is a contract violation."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise FatalError(
            f"{endpoint}: the answer is not in the documented shape: {validation_summary(exc)}"
        ) from None


def rows(body: Any, endpoint: str) -> list[Any]:
    try:
        return TypeAdapter(list[Any]).validate_python(body)
    except ValidationError:
        raise FatalError(f"{endpoint}: the answer is not a list") from None


def _detail(raw: bytes) -> str:
    try:
        parsed = json.loads(raw)
        code, message = parsed.get("code"), parsed.get("message")
    except (ValueError, AttributeError):
        return raw[:_MAX_DETAIL].decode("utf-8", "replace")
    return f"{code}: {message}"[:_MAX_DETAIL]


class Rest:
    """Calls to one store: `base_url` is the site's address, its scheme choosing the auth."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        key: str,
        secret: str,
        retry: RetrySettings,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._session = session
        self._base = base_url.rstrip("/")
        self._secure = self._base.startswith("https://")
        self._key = key
        self._secret = secret
        self._retry = retry
        self._wall = wall
        self._pacing = PausePacing("woocommerce")

    async def call(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        idempotent: bool = True,
        missing_ok: bool = False,
        root: str = API_ROOT,
    ) -> Answer | None:
        """One call to ``{root}/{path}``; None when `missing_ok` and the store answers 404."""
        url = f"{self._base}{root}/{path}"
        payload = None if body is None else json.dumps(body).encode()
        return await send(
            partial(self._exchange, method, url, dict(query or {}), payload, endpoint),
            partial(self._read, endpoint=endpoint, missing_ok=missing_ok),
            endpoint=endpoint,
            idempotent=idempotent,
            retry=self._retry,
            pacing=self._pacing,
        )

    async def _exchange(
        self, method: str, url: str, query: dict[str, str], payload: bytes | None, endpoint: str
    ) -> Reply:
        headers = {"Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        if self._secure:
            headers["Authorization"] = basic_header(self._key, self._secret)
            params = query
        else:  # signed afresh for every attempt: a new timestamp and nonce
            params = oauth_query(
                method, url, query, key=self._key, secret=self._secret, timestamp=int(self._wall())
            )
        return await exchange(
            self._session,
            method,
            url,
            endpoint=endpoint,
            remote=REMOTE,
            params=params,
            data=payload,
            headers=headers,
        )

    def _read(self, reply: Reply, *, endpoint: str, missing_ok: bool) -> Answer | None:
        if missing_ok and reply.status == _NOT_FOUND:
            return None
        if not 200 <= reply.status < 300:  # noqa: PLR2004 the success range
            detail = f"{endpoint}: {_detail(reply.body)}"
            raise classify_status(REMOTE, reply.status, detail, reply.headers)
        try:
            parsed = json.loads(reply.body) if reply.body.strip() else {}
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None
        try:
            pages = int(reply.headers.get("X-WP-TotalPages", "1"))
        except ValueError:
            raise FatalError(f"{endpoint}: X-WP-TotalPages is not a number") from None
        return Answer(reply.status, parsed, pages)

    async def pages(
        self, path: str, *, endpoint: str, query: Mapping[str, str], limit: int | None = None
    ) -> AsyncIterator[list[Any]]:
        """Every page of a list, 1 to ``X-WP-TotalPages`` (at most `limit` pages)."""
        page = 1
        while True:
            answer = await self.call(
                "GET", path, endpoint=endpoint, query={**query, "page": str(page)}
            )
            assert answer is not None
            yield rows(answer.body, endpoint)
            if page >= answer.total_pages or (limit is not None and page >= limit):
                return
            page += 1
