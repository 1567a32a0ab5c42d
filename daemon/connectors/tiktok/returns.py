"""Search Returns: returns and refunds after delivery, page by page (10-50 per page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

from pydantic import Field, ValidationError

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import Channel, iterate_pages
from daemon.connectors.tiktok.models.common import Page, PagedData
from daemon.connectors.tiktok.models.returns import Return, ReturnSearchData, ReturnSearchFilter
from daemon.connectors.tiktok.transport import Call, encode_body
from daemon.domain.models import BadRecord

MIN_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50

SortField = Literal["create_time", "update_time"]
SortOrder = Literal["ASC", "DESC"]


class _RawSearchData(PagedData):
    return_orders: list[dict[str, Any]] = Field(default_factory=list)


def read_return(raw: dict[str, Any]) -> Return | BadRecord:
    """One return of a page, or a `BadRecord` naming it and what is wrong with it."""
    try:
        return Return.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'return'}: {error['msg']}"
            for error in exc.errors(include_url=False)[:3]
        )
        return BadRecord("return", str(raw.get("return_id") or "unknown"), problems)


def _query(
    page_size: int, page_token: str | None, sort_field: SortField, sort_order: SortOrder
) -> dict[str, str]:
    if not MIN_PAGE_SIZE <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"returns page_size must be {MIN_PAGE_SIZE}-{MAX_PAGE_SIZE}")
    query = {"page_size": str(page_size), "sort_field": sort_field, "sort_order": sort_order}
    if page_token:
        query["page_token"] = page_token
    return query


class ReturnsApi:
    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    async def search_page(
        self,
        filters: ReturnSearchFilter | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        page_token: str | None = None,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
    ) -> Page[Return]:
        query = _query(page_size, page_token, sort_field, sort_order)
        body = encode_body(filters or ReturnSearchFilter())
        endpoint = ep.SEARCH_RETURNS
        data = await self._channel.call(
            Call(endpoint, endpoint.path, query=query, body=body), ReturnSearchData
        )
        return Page(tuple(data.return_orders), data.next_page_token or None, data.total_count)

    def search(
        self,
        filters: ReturnSearchFilter | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
    ) -> AsyncIterator[Return]:
        async def fetch(token: str | None) -> Page[Return]:
            return await self.search_page(
                filters,
                page_size=page_size,
                page_token=token,
                sort_field=sort_field,
                sort_order=sort_order,
            )

        return iterate_pages(fetch)

    async def search_page_records(
        self,
        filters: ReturnSearchFilter | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Page[Return | BadRecord]:
        """Like `search_page` (``update_time`` ascending), but a return that cannot be read
        comes back as a `BadRecord` instead of failing the page."""
        query = _query(page_size, page_token, "update_time", "ASC")
        body = encode_body(filters or ReturnSearchFilter())
        call = Call(ep.SEARCH_RETURNS, ep.SEARCH_RETURNS.path, query=query, body=body)
        data = await self._channel.call(call, _RawSearchData)
        records = tuple(read_return(raw) for raw in data.return_orders)
        return Page(records, data.next_page_token or None, data.total_count)
