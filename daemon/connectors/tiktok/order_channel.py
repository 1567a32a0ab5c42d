"""`TikTokOrderChannel`: TikTok Shop's order side as an `OrderChannel`, in domain types.

Thin: it pages, chunks and translates; the jobs decide. An order TikTok sends that cannot be
read becomes a `BadRecord` for that order alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from daemon.connectors.tiktok.client import TikTokClient
from daemon.connectors.tiktok.models.cancellations import (
    CancellationSearchFilter,
    CancelOrderInput,
)
from daemon.connectors.tiktok.models.logistics import MarkShippedInput, ShippingInfoInput
from daemon.connectors.tiktok.models.orders import (
    ExternalLineItem,
    ExternalOrder,
    ExternalOrderLink,
    Order,
    OrderSearchFilter,
)
from daemon.connectors.tiktok.models.returns import Return, ReturnSearchFilter
from daemon.connectors.tiktok.order_mapping import (
    cancellation_from_wire,
    order_from_wire,
    provider_from_wire,
    return_from_wire,
)
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    MarketplaceCancellation,
    MarketplaceOrder,
    MarketplaceReturn,
    Shipment,
    ShippingProvider,
    StoreOrderLink,
)
from daemon.errors import SkippableError

if TYPE_CHECKING:
    from daemon.connectors.base import OrderChannel

_DETAIL_CHUNK = 50
_MAX_REFERENCE_LINES = 100


def _domain_return(record: Return | BadRecord) -> MarketplaceReturn | BadRecord:
    if isinstance(record, BadRecord):
        return record
    try:
        return return_from_wire(record)
    except ValueError as exc:
        return BadRecord("return", record.return_id, str(exc))


def _domain(order: Order | BadRecord) -> MarketplaceOrder | BadRecord:
    if isinstance(order, BadRecord):
        return order
    try:
        return order_from_wire(order)
    except ValueError as exc:
        return BadRecord("order", order.id, str(exc))


class TikTokOrderChannel:
    platform = "tiktok"

    def __init__(self, client: TikTokClient, *, store_platform: str) -> None:
        """`store_platform` names the store in the external order references TikTok keeps
        (the store kind's ``order_platform``)."""
        self.client = client
        self.store_platform = store_platform

    async def updated_orders(
        self, since: int | None
    ) -> AsyncIterator[Sequence[MarketplaceOrder | BadRecord]]:
        filters = OrderSearchFilter(update_time_ge=since)
        token: str | None = None
        while True:
            page = await self.client.orders.search_page_records(filters, page_token=token)
            yield [_domain(order) for order in page.items]
            if page.next_page_token is None or page.next_page_token == token:
                return
            token = page.next_page_token

    async def orders(self, order_ids: Sequence[str]) -> list[MarketplaceOrder | BadRecord]:
        wanted = list(dict.fromkeys(order_ids))
        found: list[MarketplaceOrder | BadRecord] = []
        for start in range(0, len(wanted), _DETAIL_CHUNK):
            found.extend(await self._chunk(wanted[start : start + _DETAIL_CHUNK]))
        return found

    async def _chunk(self, ids: list[str]) -> list[MarketplaceOrder | BadRecord]:
        """One detail call; when TikTok refuses the chunk, each id alone to find the culprit."""
        try:
            orders = await self.client.orders.get_records(ids)
        except SkippableError as exc:
            if len(ids) == 1:
                return [BadRecord("order", ids[0], str(exc))]
            return [order for one in ids for order in await self._chunk([one])]
        found = [_domain(order) for order in orders]
        missing = set(ids) - {order.id for order in found}
        found.extend(BadRecord("order", i, "TikTok returned no such order") for i in missing)
        return found

    async def link_store_orders(self, links: Sequence[StoreOrderLink]) -> dict[str, str]:
        wire = [
            ExternalOrderLink(
                id=link.order_id,
                external_order=ExternalOrder(
                    id=link.store_order_id,
                    platform=self.store_platform,
                    line_items=[
                        ExternalLineItem(id=store_line, origin_id=line)
                        for store_line, line in link.line_links[:_MAX_REFERENCE_LINES]
                    ],
                ),
            )
            for link in links
        ]
        result = await self.client.orders.add_external_references(wire)
        return {
            failure.order_id or "": f"TikTok code {failure.code}: {failure.message}"
            for failure in result.failures
        }

    async def cancellations(
        self, *, since: int | None = None, order_ids: Sequence[str] = ()
    ) -> AsyncIterator[Sequence[MarketplaceCancellation]]:
        filters = CancellationSearchFilter(
            update_time_ge=since, order_ids=list(order_ids) if order_ids else None
        )
        token: str | None = None
        while True:
            page = await self.client.cancellations.search_page(filters, page_token=token)
            yield [cancellation_from_wire(record) for record in page.items]
            if page.next_page_token is None or page.next_page_token == token:
                return
            token = page.next_page_token

    async def returns(
        self, *, since: int | None = None, order_ids: Sequence[str] = ()
    ) -> AsyncIterator[Sequence[MarketplaceReturn | BadRecord]]:
        filters = ReturnSearchFilter(
            update_time_ge=since, order_ids=list(order_ids) if order_ids else None
        )
        token: str | None = None
        while True:
            page = await self.client.returns.search_page_records(filters, page_token=token)
            yield [_domain_return(record) for record in page.items]
            if page.next_page_token is None or page.next_page_token == token:
                return
            token = page.next_page_token

    async def cancel(self, order_id: str, reason: str) -> str:
        request = CancelOrderInput(order_id=order_id, cancel_reason=reason)
        return (await self.client.cancellations.cancel_order(request)).cancel_id

    async def shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        providers = await self.client.logistics.shipping_providers(delivery_option_id)
        return [provider_from_wire(provider) for provider in providers]

    async def ship(self, order_id: str, shipment: Shipment) -> str:
        request = MarkShippedInput(
            tracking_number=shipment.tracking_number,
            shipping_provider_id=shipment.provider_id,
            order_line_item_ids=list(shipment.line_ids) or None,
        )
        return (await self.client.logistics.mark_shipped(order_id, request)).package_id

    async def update_tracking(self, order_id: str, shipment: Shipment) -> None:
        info = ShippingInfoInput(
            tracking_number=shipment.tracking_number, shipping_provider_id=shipment.provider_id
        )
        await self.client.logistics.update_shipping_info(order_id, info)


if TYPE_CHECKING:  # mypy proves the adapter plays the role

    def _as_channel(channel: TikTokOrderChannel) -> OrderChannel:
        return channel
