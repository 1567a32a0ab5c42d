"""One Magento REST call on the shared transport policy, and searches paged by
``searchCriteria``.

`daemon.connectors.transport.send` repeats calls (5xx and timeouts only when idempotent),
bounded by attempts and a deadline, honouring ``Retry-After``. Magento has no rate limit of
its own; `PausePacing` waits out a 429's ``Retry-After`` (from a proxy in front of it).
Statuses become the daemon's errors through `classify_status`, with Magento's message (its
``%1``/``%name`` placeholders filled in). The bearer token sits in the
session's headers and never in a URL, a log line or an exception.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
from pydantic import BaseModel, ValidationError
from yarl import URL

from daemon.connectors.http import classify_status, exchange
from daemon.connectors.magento.models import SearchPage
from daemon.connectors.magento.transport import PausePacing
from daemon.connectors.transport import Reply, RetrySettings, send
from daemon.errors import FatalError

PLATFORM = "magento"
_REMOTE = "Magento"
_MAX_DETAIL = 300
_NOT_FOUND = 404
_PLACEHOLDER = re.compile(r"%(\w+)")
UNIQUE_VIOLATION = "Unique constraint violation found"

M = TypeVar("M", bound=BaseModel)
#: One filter: (field, value, condition type). A group ORs its filters; groups are ANDed.
Filter = tuple[str, str, str]


class DuplicateKeyError(FatalError):
    """The store's unique key refused the record (an order's increment id, for one)."""


@dataclass(frozen=True)
class Answer:
    body: Any
    date: datetime  # the server's clock when it answered (its ``Date`` header)


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse_body(model: type[M], body: Any, endpoint: str) -> M:
    """Validate a whole answer; a mismatch with the documented shape is a contract violation."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise FatalError(
            f"{endpoint}: the answer does not match the documented shape: {validation_summary(exc)}"
        ) from None


def message_of(raw: bytes) -> str:
    """Magento's error message with its parameters filled in (``%1``, ``%fieldName``)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw[:_MAX_DETAIL].decode("utf-8", "replace")
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return raw[:_MAX_DETAIL].decode("utf-8", "replace")
    message: str = body["message"]
    parameters = body.get("parameters")
    if isinstance(parameters, list):
        named = {str(n): str(v) for n, v in enumerate(parameters, start=1)}
    elif isinstance(parameters, dict):
        named = {str(k): str(v) for k, v in parameters.items()}
    else:
        named = {}
    filled = _PLACEHOLDER.sub(lambda m: named.get(m[1], m[0]), message)
    return filled[:_MAX_DETAIL]


def _date(headers: Mapping[str, str]) -> datetime:
    value = headers.get("Date")
    if value:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            pass
        else:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def criteria(
    groups: Sequence[Sequence[Filter]],
    *,
    page_size: int,
    page: int = 1,
    sort: str | None = None,
) -> dict[str, str]:
    """``searchCriteria`` query parameters, in the guides' spelling."""
    query: dict[str, str] = {
        "searchCriteria[pageSize]": str(page_size),
        "searchCriteria[currentPage]": str(page),
    }
    for g, group in enumerate(groups):
        for f, (field, value, condition) in enumerate(group):
            key = f"searchCriteria[filter_groups][{g}][filters][{f}]"
            query[f"{key}[field]"] = field
            query[f"{key}[value]"] = value
            query[f"{key}[condition_type]"] = condition
    if sort is not None:
        query["searchCriteria[sortOrders][0][field]"] = sort
        query["searchCriteria[sortOrders][0][direction]"] = "ASC"
    return query


class Rest:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str,
        store_code: str,
        retry: RetrySettings,
        page_size: int,
        concurrency: int,
    ) -> None:
        self._session = session
        self._root = f"{base_url.rstrip('/')}/rest/{quote(store_code, safe='')}/V1"
        self._retry = retry
        self.page_size = page_size
        self._concurrency = concurrency
        self._pacing = PausePacing(PLATFORM)

    def url(self, *segments: str) -> URL:
        """The URL of a resource; each segment (a SKU, an id) is escaped."""
        path = "/".join(quote(segment, safe="") for segment in segments)
        return URL(f"{self._root}/{path}", encoded=True)

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
    ) -> Answer | None:
        """Send one call; None when `missing_ok` and the store answers 404."""
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        return await send(
            partial(
                exchange,
                self._session,
                method,
                self.url(*segments),
                endpoint=endpoint,
                remote=_REMOTE,
                params=dict(query or {}),
                data=payload,
                headers=headers,
            ),
            partial(self._read, endpoint=endpoint, missing_ok=missing_ok),
            endpoint=endpoint,
            idempotent=idempotent,
            retry=self._retry,
            pacing=self._pacing,
        )

    async def get(self, segments: Sequence[str], *, endpoint: str, **kwargs: Any) -> Answer:
        answer = await self.call("GET", segments, endpoint=endpoint, **kwargs)
        assert answer is not None
        return answer

    def _read(self, reply: Reply, *, endpoint: str, missing_ok: bool) -> Answer | None:
        if missing_ok and reply.status == _NOT_FOUND:
            return None
        if not 200 <= reply.status < 300:  # noqa: PLR2004 success range
            message = message_of(reply.body)
            if message == UNIQUE_VIOLATION:
                raise DuplicateKeyError(f"{endpoint}: {message}")
            detail = f"{endpoint}: {message}"
            raise classify_status(PLATFORM, reply.status, detail, reply.headers)
        try:
            parsed = json.loads(reply.body) if reply.body.strip() else None
        except ValueError:
            raise FatalError(f"{endpoint}: the answer is not JSON") from None
        return Answer(parsed, _date(reply.headers))

    async def search(
        self,
        segments: Sequence[str],
        groups: Sequence[Sequence[Filter]],
        *,
        endpoint: str,
        sort: str | None = None,
    ) -> AsyncIterator[tuple[list[Any], datetime]]:
        """Every page of a search, in order, with the server's time of each. Pages are
        counted from ``total_count`` (Magento answers the last page again past the end);
        after the first, up to `concurrency` are read at once."""
        items, date, total = await self._page(segments, groups, 1, endpoint, sort)
        yield items, date
        pages = -(-total // self.page_size)
        limit = asyncio.Semaphore(self._concurrency)

        async def one(number: int) -> tuple[list[Any], datetime]:
            async with limit:
                found, when, _ = await self._page(segments, groups, number, endpoint, sort)
                return found, when

        for start in range(2, pages + 1, self._concurrency):
            batch = range(start, min(pages, start + self._concurrency - 1) + 1)
            for page in await asyncio.gather(*(one(n) for n in batch)):
                yield page

    async def _page(
        self,
        segments: Sequence[str],
        groups: Sequence[Sequence[Filter]],
        number: int,
        endpoint: str,
        sort: str | None,
    ) -> tuple[list[Any], datetime, int]:
        query = criteria(groups, page_size=self.page_size, page=number, sort=sort)
        answer = await self.get(segments, endpoint=endpoint, query=query)
        page = parse_body(SearchPage, answer.body, endpoint)
        return page.items, answer.date, page.total_count
