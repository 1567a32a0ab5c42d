"""Logistics and seller shipping: warehouses, delivery options, providers, mark shipped."""

from __future__ import annotations

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import Channel
from daemon.connectors.tiktok.models.common import Empty
from daemon.connectors.tiktok.models.logistics import (
    DeliveryOption,
    DeliveryOptionsData,
    MarkShippedInput,
    MarkShippedResult,
    ShippingInfoInput,
    ShippingProvider,
    ShippingProvidersData,
    Warehouse,
    WarehousesData,
)
from daemon.connectors.tiktok.transport import Call, encode_body


class LogisticsApi:
    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    async def warehouses(self) -> tuple[Warehouse, ...]:
        data = await self._channel.call(Call(ep.WAREHOUSES, ep.WAREHOUSES.path), WarehousesData)
        return tuple(data.warehouses)

    async def delivery_options(self, warehouse_id: str) -> tuple[DeliveryOption, ...]:
        path = ep.DELIVERY_OPTIONS.render(warehouse_id=warehouse_id)
        data = await self._channel.call(Call(ep.DELIVERY_OPTIONS, path), DeliveryOptionsData)
        return tuple(data.delivery_options)

    async def shipping_providers(self, delivery_option_id: str) -> tuple[ShippingProvider, ...]:
        path = ep.SHIPPING_PROVIDERS.render(delivery_option_id=delivery_option_id)
        data = await self._channel.call(Call(ep.SHIPPING_PROVIDERS, path), ShippingProvidersData)
        return tuple(data.shipping_providers)

    async def mark_shipped(self, order_id: str, shipment: MarkShippedInput) -> MarkShippedResult:
        """Mark Package As Shipped (seller shipping). Not repeated after an ambiguous failure:
        a second call could create a second package."""
        path = ep.MARK_SHIPPED.render(order_id=order_id)
        call = Call(ep.MARK_SHIPPED, path, body=encode_body(shipment))
        return await self._channel.call(call, MarkShippedResult)

    async def update_shipping_info(self, order_id: str, info: ShippingInfoInput) -> None:
        """Correct the tracking number or provider of a shipped order (within 72 hours)."""
        path = ep.UPDATE_SHIPPING_INFO.render(order_id=order_id)
        await self._channel.call(Call(ep.UPDATE_SHIPPING_INFO, path, body=encode_body(info)), Empty)
