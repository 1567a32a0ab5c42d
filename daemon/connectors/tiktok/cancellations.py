"""Cancellation endpoints: search (both spellings of the withdrawn status) and seller cancel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Literal

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import Channel, iterate_pages
from daemon.connectors.tiktok.models.cancellations import (
    Cancellation,
    CancellationSearchData,
    CancellationSearchFilter,
    CancelOrderInput,
    CancelOrderResult,
)
from daemon.connectors.tiktok.models.common import Page
from daemon.connectors.tiktok.transport import Call, encode_body

MAX_PAGE_SIZE = 50

SortField = Literal["create_time", "update_time"]
SortOrder = Literal["ASC", "DESC"]


class CancellationsApi:
    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    async def search_page(
        self,
        filters: CancellationSearchFilter | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        page_token: str | None = None,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
    ) -> Page[Cancellation]:
        query = {"page_size": str(page_size), "sort_field": sort_field, "sort_order": sort_order}
        if page_token:
            query["page_token"] = page_token
        body = encode_body(filters or CancellationSearchFilter())
        endpoint = ep.SEARCH_CANCELLATIONS
        data = await self._channel.call(
            Call(endpoint, endpoint.path, query=query, body=body), CancellationSearchData
        )
        return Page(tuple(data.cancellations), data.next_page_token or None, data.total_count)

    def search(
        self,
        filters: CancellationSearchFilter | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
    ) -> AsyncIterator[Cancellation]:
        async def fetch(token: str | None) -> Page[Cancellation]:
            return await self.search_page(
                filters,
                page_size=page_size,
                page_token=token,
                sort_field=sort_field,
                sort_order=sort_order,
            )

        return iterate_pages(fetch)

    async def cancel_order(self, request: CancelOrderInput) -> CancelOrderResult:
        """Cancel as the seller. Not repeated after an ambiguous failure: check, then retry."""
        call = Call(ep.CANCEL_ORDER, ep.CANCEL_ORDER.path, body=encode_body(request))
        return await self._channel.call(call, CancelOrderResult)
