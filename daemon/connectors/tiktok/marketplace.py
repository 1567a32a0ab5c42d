"""`TikTokMarketplace`: the `Marketplace` role played by TikTok Shop, in domain types."""

from __future__ import annotations

from daemon.connectors.tiktok.auth import choose_shop
from daemon.connectors.tiktok.client import TikTokClient
from daemon.connectors.tiktok.mapping import marketplace_shop, sales_warehouses
from daemon.domain.models import MarketplaceShop, Warehouse


class TikTokMarketplace:
    platform = "tiktok"

    def __init__(self, client: TikTokClient, *, wanted_shop_id: str | None) -> None:
        self.client = client
        self._wanted_shop_id = wanted_shop_id

    async def connect(self) -> MarketplaceShop:
        status = await self.client.connect()
        shops = await self.client.authorized_shops()
        source = f"shop {self.client.shop_name!r}: tiktok.shop_id"
        return marketplace_shop(choose_shop(shops, self._wanted_shop_id, source), status)

    async def warehouses(self) -> list[Warehouse]:
        return sales_warehouses(await self.client.logistics.warehouses())
