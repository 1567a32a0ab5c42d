"""Product endpoints: create, edit, partial edit, get, search, listing check, (de)activate,
inventory, price and image upload."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Literal

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import Channel, iterate_pages
from daemon.connectors.tiktok.models.common import BatchResult, ErrorsData, Page, flatten_errors
from daemon.connectors.tiktok.models.products import (
    ListingCheckResult,
    Product,
    ProductInput,
    ProductPatch,
    ProductSearchData,
    ProductSearchFilter,
    ProductSummary,
    ProductWriteResult,
    SkuInventoryInput,
    SkuPriceInput,
    UploadedImage,
)
from daemon.connectors.tiktok.transport import Call, Upload, encode_body

#: Activate, deactivate, delete and recover take at most 20 product ids (error 12019120).
MAX_PRODUCT_IDS = 20
MAX_PAGE_SIZE = 100

ImageUseCase = Literal[
    "MAIN_IMAGE", "ATTRIBUTE_IMAGE", "DESCRIPTION_IMAGE", "CERTIFICATION_IMAGE", "SIZE_CHART_IMAGE"
]


def _chunks(ids: Sequence[str], size: int) -> list[Sequence[str]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


class ProductsApi:
    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    async def create(self, product: ProductInput) -> ProductWriteResult:
        """Create a product. An ``idempotency_key`` is added when missing, so that a retried
        request after a timeout cannot create the product twice."""
        if product.idempotency_key is None:
            product = product.model_copy(update={"idempotency_key": uuid.uuid4().hex})
        call = Call(ep.CREATE_PRODUCT, ep.CREATE_PRODUCT.path, body=encode_body(product))
        return await self._channel.call(call, ProductWriteResult)

    async def edit(self, product_id: str, product: ProductInput) -> ProductWriteResult:
        """Replace a product whole: SKUs left out are removed."""
        body = encode_body(product.model_copy(update={"idempotency_key": None}))
        path = ep.EDIT_PRODUCT.render(product_id=product_id)
        return await self._channel.call(Call(ep.EDIT_PRODUCT, path, body=body), ProductWriteResult)

    async def partial_edit(self, product_id: str, patch: ProductPatch) -> ProductWriteResult:
        path = ep.PARTIAL_EDIT_PRODUCT.render(product_id=product_id)
        call = Call(ep.PARTIAL_EDIT_PRODUCT, path, body=encode_body(patch))
        return await self._channel.call(call, ProductWriteResult)

    async def get(self, product_id: str) -> Product:
        path = ep.GET_PRODUCT.render(product_id=product_id)
        return await self._channel.call(Call(ep.GET_PRODUCT, path), Product)

    async def search_page(
        self,
        filters: ProductSearchFilter | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        page_token: str | None = None,
    ) -> Page[ProductSummary]:
        query = {"page_size": str(page_size)}
        if page_token:
            query["page_token"] = page_token
        body = encode_body(filters or ProductSearchFilter())
        call = Call(ep.SEARCH_PRODUCTS, ep.SEARCH_PRODUCTS.path, query=query, body=body)
        data = await self._channel.call(call, ProductSearchData)
        return Page(tuple(data.products), data.next_page_token or None, data.total_count)

    def search(
        self, filters: ProductSearchFilter | None = None, *, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[ProductSummary]:
        """Every product matching `filters`, fetched page by page as the caller iterates."""

        async def fetch(token: str | None) -> Page[ProductSummary]:
            return await self.search_page(filters, page_size=page_size, page_token=token)

        return iterate_pages(fetch)

    async def check_listing(self, product: ProductInput) -> ListingCheckResult:
        """Dry run: what Create Product would object to, without creating anything."""
        body = encode_body(product.model_copy(update={"idempotency_key": None}))
        call = Call(ep.LISTING_CHECK, ep.LISTING_CHECK.path, body=body)
        return await self._channel.call(call, ListingCheckResult)

    async def activate(self, product_ids: Sequence[str]) -> BatchResult:
        return await self._switch(ep.ACTIVATE_PRODUCTS, product_ids)

    async def deactivate(self, product_ids: Sequence[str]) -> BatchResult:
        return await self._switch(ep.DEACTIVATE_PRODUCTS, product_ids)

    async def _switch(self, endpoint: ep.Endpoint, product_ids: Sequence[str]) -> BatchResult:
        result = BatchResult()
        for chunk in _chunks(product_ids, MAX_PRODUCT_IDS):
            body = encode_body({"product_ids": list(chunk)})
            data = await self._channel.call(Call(endpoint, endpoint.path, body=body), ErrorsData)
            result = result.merged(flatten_errors(data.errors))
        return result

    async def update_inventory(
        self, product_id: str, skus: Sequence[SkuInventoryInput]
    ) -> BatchResult:
        """Set stock for SKUs of one product; each SKU must list all of its warehouses.

        Refusals of single SKUs or warehouses come back in the result, not as an exception.
        """
        body = encode_body(
            {"skus": [sku.model_dump(mode="json", exclude_none=True) for sku in skus]}
        )
        path = ep.UPDATE_INVENTORY.render(product_id=product_id)
        data = await self._channel.call(Call(ep.UPDATE_INVENTORY, path, body=body), ErrorsData)
        return flatten_errors(data.errors)

    async def update_prices(self, product_id: str, skus: Sequence[SkuPriceInput]) -> BatchResult:
        """Set prices for SKUs of one product; per-SKU refusals come back in the result."""
        body = encode_body(
            {"skus": [sku.model_dump(mode="json", exclude_none=True) for sku in skus]}
        )
        path = ep.UPDATE_PRICE.render(product_id=product_id)
        data = await self._channel.call(Call(ep.UPDATE_PRICE, path, body=body), ErrorsData)
        return flatten_errors(data.errors)

    async def upload_image(
        self,
        content: bytes,
        *,
        filename: str = "image.jpg",
        content_type: str = "image/jpeg",
        use_case: ImageUseCase = "MAIN_IMAGE",
    ) -> UploadedImage:
        """Upload image bytes (multipart; the body is not signed) and get the URI to use."""
        upload = Upload("data", content, filename, content_type, (("use_case", use_case),))
        call = Call(ep.UPLOAD_IMAGE, ep.UPLOAD_IMAGE.path, upload=upload)
        return await self._channel.call(call, UploadedImage)
