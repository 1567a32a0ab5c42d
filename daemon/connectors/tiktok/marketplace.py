"""`TikTokMarketplace`: the `Marketplace` role played by TikTok Shop, in domain types."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from daemon.connectors.tiktok.auth import choose_shop
from daemon.connectors.tiktok.client import TikTokClient
from daemon.connectors.tiktok.errors import TikTokBusinessError
from daemon.connectors.tiktok.listing_mapping import (
    inventory_inputs,
    listing,
    price_inputs,
    product_input,
    refusals,
)
from daemon.connectors.tiktok.mapping import marketplace_shop, sales_warehouses
from daemon.connectors.tiktok.models import ProductSearchFilter
from daemon.domain.listing import DraftSku, HostedImage, ItemRefusal, Listing, ListingDraft
from daemon.domain.models import MarketplaceShop, Money, Warehouse
from daemon.errors import RetriableError

#: Search Products takes at most 10 seller SKUs per call (error 12019027).
_SELLER_SKUS_PER_SEARCH = 10


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

    async def upload_image(
        self, content: bytes, content_type: str, *, for_description: bool = False
    ) -> HostedImage:
        filename = "image.png" if content_type == "image/png" else "image.jpg"
        uploaded = await self.client.products.upload_image(
            content,
            filename=filename,
            content_type=content_type,
            use_case="DESCRIPTION_IMAGE" if for_description else "MAIN_IMAGE",
        )
        return HostedImage(uploaded.uri, uploaded.url, uploaded.width, uploaded.height)

    async def check(self, draft: ListingDraft) -> list[str]:
        result = await self.client.products.check_listing(product_input(draft))
        return [f"{failure.message} (code {failure.code})" for failure in result.fail_reasons]

    async def publish(self, draft: ListingDraft) -> Listing:
        try:
            written = await self.client.products.create(product_input(draft))
        except TikTokBusinessError as exc:
            empty = [sku.seller_sku or sku.variant_id for sku in draft.skus if not _stocked(sku)]
            if exc.code != QUANTITY_OUT_OF_RANGE or not empty:
                raise
            # The reading of the docs where stock starts at 1: list it once it has stock.
            raise RetriableError(
                f"not listed yet: TikTok takes no stock of 0 and {', '.join(empty)} has none; "
                "it is listed once every SKU has stock"
            ) from None
        return await self.listing(written.product_id)

    async def republish(self, product_id: str, draft: ListingDraft) -> Listing:
        await self.client.products.edit(product_id, product_input(draft))
        return await self.listing(product_id)

    async def listing(self, product_id: str) -> Listing:
        return listing(await self.client.products.get(product_id))

    async def changed_listings(self, since: datetime | None) -> AsyncIterator[Listing]:
        filters = ProductSearchFilter(
            status="ALL", update_time_ge=None if since is None else int(since.timestamp())
        )
        async for summary in self.client.products.search(filters):
            yield listing(summary)

    async def listings_with_seller_skus(self, seller_skus: Sequence[str]) -> list[Listing]:
        found: dict[str, Listing] = {}
        unique = list(dict.fromkeys(seller_skus))
        for start in range(0, len(unique), _SELLER_SKUS_PER_SEARCH):
            chunk = unique[start : start + _SELLER_SKUS_PER_SEARCH]
            filters = ProductSearchFilter(status="ALL", seller_skus=chunk)
            async for summary in self.client.products.search(filters):
                found[summary.id] = listing(summary)
        return list(found.values())

    async def set_stock(
        self, product_id: str, stock: Mapping[str, Mapping[str, int]]
    ) -> list[ItemRefusal]:
        result = await self.client.products.update_inventory(product_id, inventory_inputs(stock))
        return [_zero_marked(refusal, stock) for refusal in refusals(result)]

    async def set_prices(self, product_id: str, prices: Mapping[str, Money]) -> list[ItemRefusal]:
        return refusals(await self.client.products.update_prices(product_id, price_inputs(prices)))

    async def deactivate(self, product_ids: Sequence[str]) -> list[ItemRefusal]:
        return refusals(await self.client.products.deactivate(product_ids))

    async def reactivate(self, product_ids: Sequence[str]) -> list[ItemRefusal]:
        return refusals(await self.client.products.activate(product_ids))


# Update Inventory's answer to a quantity outside the accepted range (DOMAIN.md section 11.3).
QUANTITY_OUT_OF_RANGE = 12052055


def _zero_marked(refusal: ItemRefusal, stock: Mapping[str, Mapping[str, int]]) -> ItemRefusal:
    """Mark a refusal of a quantity of 0: the reading of the docs where stock starts at 1."""
    sent = stock.get(refusal.sku_id or "", {})
    warehouse = refusal.warehouse_id
    quantities = [sent[warehouse]] if warehouse is not None and warehouse in sent else sent.values()
    if refusal.code != QUANTITY_OUT_OF_RANGE or any(quantities) or not sent:
        return refusal
    message = f"TikTok takes no stock of 0 (quantities from 1): {refusal.message}"
    return replace(refusal, message=message, zero_stock_refused=True)


def _stocked(sku: DraftSku) -> bool:
    return all(quantity > 0 for _, quantity in sku.stock)
