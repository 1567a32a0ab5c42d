"""Order endpoints: search by time window, detail in chunks, external order references."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

from pydantic import Field, ValidationError

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import Channel, iterate_pages
from daemon.connectors.tiktok.models.common import (
    BatchResult,
    ErrorsData,
    Page,
    PagedData,
    WireModel,
    flatten_errors,
)
from daemon.connectors.tiktok.models.orders import (
    ExternalOrderLink,
    ExternalOrderMatch,
    ExternalOrderRead,
    ExternalOrdersData,
    ExternalOrderSearchData,
    ExternalPlatform,
    Order,
    OrderDetailData,
    OrderSearchData,
    OrderSearchFilter,
)
from daemon.connectors.tiktok.transport import Call, encode_body
from daemon.domain.models import BadRecord

MAX_PAGE_SIZE = 100
#: Get Order Detail takes at most 50 ids per call.
MAX_DETAIL_IDS = 50
#: Add External Order References takes at most 100 orders per call.
MAX_EXTERNAL_ORDERS = 100

SortField = Literal["create_time", "update_time"]
SortOrder = Literal["ASC", "DESC"]


class _RawSearchData(PagedData):
    orders: list[dict[str, Any]] = Field(default_factory=list)


class _RawDetailData(WireModel):
    orders: list[dict[str, Any]] = Field(default_factory=list)


def read_order(raw: dict[str, Any]) -> Order | BadRecord:
    """One order of a list, or a `BadRecord` naming it and what is wrong with it."""
    try:
        return Order.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'order'}: {error['msg']}"
            for error in exc.errors(include_url=False)[:3]
        )
        return BadRecord("order", str(raw.get("id") or "unknown"), problems)


class OrdersApi:
    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    async def search_page(
        self,
        filters: OrderSearchFilter,
        *,
        page_size: int = MAX_PAGE_SIZE,
        page_token: str | None = None,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
    ) -> Page[Order]:
        """One page of Get Order List (an ``update_time`` window, oldest change first)."""
        query = {"page_size": str(page_size), "sort_field": sort_field, "sort_order": sort_order}
        if page_token:
            query["page_token"] = page_token
        call = Call(ep.SEARCH_ORDERS, ep.SEARCH_ORDERS.path, query=query, body=encode_body(filters))
        data = await self._channel.call(call, OrderSearchData)
        return Page(tuple(data.orders), data.next_page_token or None, data.total_count)

    def search(
        self,
        filters: OrderSearchFilter,
        *,
        page_size: int = MAX_PAGE_SIZE,
        sort_field: SortField = "update_time",
        sort_order: SortOrder = "ASC",
    ) -> AsyncIterator[Order]:
        """Every order matching `filters`, fetched page by page as the caller iterates."""

        async def fetch(token: str | None) -> Page[Order]:
            return await self.search_page(
                filters,
                page_size=page_size,
                page_token=token,
                sort_field=sort_field,
                sort_order=sort_order,
            )

        return iterate_pages(fetch)

    async def get(self, order_ids: Sequence[str]) -> tuple[Order, ...]:
        """Full orders by id, asked for in chunks of at most 50."""
        orders: list[Order] = []
        unique = list(dict.fromkeys(order_ids))
        for start in range(0, len(unique), MAX_DETAIL_IDS):
            ids = ",".join(unique[start : start + MAX_DETAIL_IDS])
            call = Call(ep.ORDER_DETAIL, ep.ORDER_DETAIL.path, query={"ids": ids})
            data = await self._channel.call(call, OrderDetailData)
            orders.extend(data.orders)
        return tuple(orders)

    async def search_page_records(
        self,
        filters: OrderSearchFilter,
        *,
        page_size: int = MAX_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Page[Order | BadRecord]:
        """Like `search_page` (``update_time`` ascending), but an order that cannot be read
        comes back as a `BadRecord` instead of failing the page."""
        query = {"page_size": str(page_size), "sort_field": "update_time", "sort_order": "ASC"}
        if page_token:
            query["page_token"] = page_token
        call = Call(ep.SEARCH_ORDERS, ep.SEARCH_ORDERS.path, query=query, body=encode_body(filters))
        data = await self._channel.call(call, _RawSearchData)
        orders = tuple(read_order(raw) for raw in data.orders)
        return Page(orders, data.next_page_token or None, data.total_count)

    async def get_records(self, order_ids: Sequence[str]) -> tuple[Order | BadRecord, ...]:
        """Like `get`, with unreadable orders as `BadRecord`s."""
        orders: list[Order | BadRecord] = []
        unique = list(dict.fromkeys(order_ids))
        for start in range(0, len(unique), MAX_DETAIL_IDS):
            ids = ",".join(unique[start : start + MAX_DETAIL_IDS])
            call = Call(ep.ORDER_DETAIL, ep.ORDER_DETAIL.path, query={"ids": ids})
            data = await self._channel.call(call, _RawDetailData)
            orders.extend(read_order(raw) for raw in data.orders)
        return tuple(orders)

    async def add_external_references(self, links: Sequence[ExternalOrderLink]) -> BatchResult:
        """Attach store order ids to TikTok orders; refused orders come back in the result."""
        result = BatchResult()
        for start in range(0, len(links), MAX_EXTERNAL_ORDERS):
            chunk = links[start : start + MAX_EXTERNAL_ORDERS]
            body = encode_body(
                {"orders": [link.model_dump(mode="json", exclude_none=True) for link in chunk]}
            )
            call = Call(ep.ADD_EXTERNAL_ORDERS, ep.ADD_EXTERNAL_ORDERS.path, body=body)
            data = await self._channel.call(call, ErrorsData)
            result = result.merged(flatten_errors(data.errors))
        return result

    async def external_references(
        self, order_id: str, platform: ExternalPlatform
    ) -> tuple[ExternalOrderRead, ...]:
        path = ep.GET_EXTERNAL_ORDERS.render(order_id=order_id)
        call = Call(ep.GET_EXTERNAL_ORDERS, path, query={"platform": platform})
        data = await self._channel.call(call, ExternalOrdersData)
        return tuple(data.external_orders)

    async def find_by_external_reference(
        self, platform: ExternalPlatform, external_order_id: str
    ) -> tuple[ExternalOrderMatch, ...]:
        """TikTok orders already linked to this store order (the pre-create lookup)."""
        query = {"platform": platform, "external_order_id": external_order_id}
        endpoint = ep.SEARCH_EXTERNAL_ORDERS
        call = Call(endpoint, endpoint.path, query=query, body=encode_body({}))
        data = await self._channel.call(call, ExternalOrderSearchData)
        return tuple(data.orders)
