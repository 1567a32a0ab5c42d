"""The catalog side's reads over Admin GraphQL: pages by cursor, bulk for whole reads.

Whole reads, and changes since a time that touch more than `bulk_over` products, go
through one bulk operation (no points per object); smaller changes are read by pages.

A product's first `VARIANTS_PER_PRODUCT` variants come with its page; the rest (up to the
2,048 Shopify allows) are read by `VARIANTS` pages before the product is yielded, so a
product always arrives whole. A failed bulk read is logged and kept as a notice with its
reason, and the same read is done page by page, skipping what the bulk read already gave.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog

from daemon.connectors.shopify import queries
from daemon.connectors.shopify.bulk import (
    BulkFailedError,
    BulkFinishes,
    assemble_levels,
    assemble_products,
    jsonl,
    run_bulk,
)
from daemon.connectors.shopify.graphql import GraphQL
from daemon.connectors.shopify.graphql_wire import (
    ProductParts,
    item_gid,
    level_of,
    media_url,
    numeric_id,
    product_gid,
)
from daemon.domain.models import BadRecord, Product, StockLevel
from daemon.errors import FatalError, SkippableError

log = structlog.get_logger(__name__)

_MAX_QUERY_COST = 950  # below Shopify's 1,000, for the requested cost of a levels batch


def shop_time(moment: datetime) -> str:
    """A query timestamp: UTC, whole seconds (truncation only widens a ``>=`` filter)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def _connection(data: Mapping[str, Any], path: Sequence[str]) -> Mapping[str, Any]:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    if not isinstance(node, Mapping):
        raise FatalError(f"{path[0]}: the answer lacks {'.'.join(path)}")
    return node


class Reader:
    def __init__(
        self,
        gql: GraphQL,
        currency: Callable[[], Awaitable[str]],
        *,
        bulk: bool,
        bulk_over: int,
        poll_interval: float,
        bulk_timeout: float,
        download_timeout: float,
    ) -> None:
        self._gql = gql
        self._currency = currency
        self._bulk = bulk
        self._bulk_over = bulk_over
        self._poll = poll_interval
        self._timeout = bulk_timeout
        self.finishes = BulkFinishes()  # bulk_operations/finish webhooks wake the waits
        self._download_timeout = download_timeout

    async def pages(
        self,
        document: str,
        variables: Mapping[str, Any],
        path: Sequence[str],
        endpoint: str,
        after: str | None = None,
        *,
        growing: tuple[int, int] | None = None,
    ) -> AsyncIterator[Mapping[str, Any]]:
        """Every node of the connection at `path` in the answer, page after page (from the
        cursor `after`, when given). With `growing` (first, most), the document takes its page
        size as ``$first``: the first page is small, each next one five times larger up to
        `most`. A read of changes mostly finds few, and Shopify charges the points a query
        requests before it runs: a small first page does not wait for points it never uses."""
        size = None if growing is None else growing[0]
        while True:
            given = {**variables, "after": after}
            if size is not None:
                given["first"] = size
            data = await self._gql.run(document, given, endpoint=endpoint)
            page = _connection(data, path)
            for node in page.get("nodes") or ():
                if isinstance(node, Mapping):
                    yield node
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return
            after = info.get("endCursor")
            if growing is not None and size is not None:
                size = min(growing[1], size * 5)

    async def products(self, updated_since: datetime | None) -> AsyncIterator[Product | BadRecord]:
        currency = await self._currency()
        seen: set[str] = set()
        query = None if updated_since is None else f"updated_at:>='{shop_time(updated_since)}'"
        if self._bulk and (query is None or await self._count(query) > self._bulk_over):
            try:
                async for item in self._bulk_products(currency, query):
                    seen.add(item.id)
                    yield item
            except BulkFailedError as exc:
                self._bulk_failed("products", str(exc))
            else:
                self._gql.notices.pop("bulk", None)
                return
        async for node in self.pages(queries.PRODUCTS, {"query": query}, ["products"], "products"):
            item = await self._whole(node, currency)
            if item.id not in seen:
                yield item

    def _bulk_failed(self, what: str, reason: str) -> None:
        self._gql.notices["bulk"] = f"the bulk read of {what} failed ({reason}); read by pages"
        log.warning("shopify_bulk_failed", read=what, reason=reason)

    async def _count(self, query: str) -> int:
        data = await self._gql.run(queries.PRODUCTS_COUNT, {"query": query}, endpoint="count")
        return int((data.get("productsCount") or {}).get("count") or 0)

    async def _bulk_products(
        self, currency: str, query: str | None
    ) -> AsyncIterator[Product | BadRecord]:
        url = await run_bulk(
            self._gql,
            queries.bulk_products(query),
            poll_interval=self._poll,
            give_up_after=self._timeout,
            finishes=self.finishes,
        )
        if url is None:
            return
        async for item in assemble_products(jsonl(url, self._download_timeout), currency):
            yield item

    async def product(self, product_id: str) -> Product | None:
        currency = await self._currency()
        data = await self._gql.run(
            queries.PRODUCT, {"id": product_gid(product_id)}, endpoint="product"
        )
        node = data.get("product")
        if node is None:
            return None
        result = await self._whole(node, currency)
        if isinstance(result, BadRecord):
            raise SkippableError(f"product {result.id} cannot be read: {result.reason}")
        return result

    async def _whole(self, node: Mapping[str, Any], currency: str) -> Product | BadRecord:
        """A product of a page, whole: its remaining variants by pages, or, for a product
        with more than `BULK_VARIANTS` of them, by a bulk read of that product alone (pages
        cost about 9 points a variant: 2,000 variants would take minutes at 100 points/s)."""
        count = (node.get("variantsCount") or {}).get("count")
        product_id = node.get("id")
        if self._bulk and isinstance(count, int) and count > queries.BULK_VARIANTS:
            assert isinstance(product_id, str)
            search = f"id:{numeric_id(product_id)}"
            try:
                found = [item async for item in self._bulk_products(currency, search)]
            except BulkFailedError as exc:
                self._bulk_failed(f"product {numeric_id(product_id)}", str(exc))
            else:
                if len(found) == 1:
                    return found[0]
        return (await self._parts(node)).build(currency)

    async def _parts(self, node: Mapping[str, Any]) -> ProductParts:
        """A product node of a page, its variants completed beyond the first page."""
        parts = ProductParts(node)
        parts.images = [m for m in (node.get("media") or {}).get("nodes") or () if m]
        variants = node.get("variants") or {}
        first = [v for v in variants.get("nodes") or () if isinstance(v, Mapping)]
        rest: list[Mapping[str, Any]] = []
        info = variants.get("pageInfo") or {}
        if info.get("hasNextPage") and isinstance(node.get("id"), str):
            rest = [
                v
                async for v in self.pages(
                    queries.VARIANTS,
                    {"id": node["id"]},
                    ["product", "variants"],
                    "variants",
                    after=info.get("endCursor"),
                )
            ]
        for variant in (*first, *rest):
            parts.variants.append(variant)
            for media in (variant.get("media") or {}).get("nodes") or ():
                url = media_url(media) if isinstance(media, Mapping) else None
                if url and isinstance(variant.get("id"), str):
                    parts.variant_images[variant["id"]] = url
        return parts

    async def item_levels(self, item_ids: Sequence[str], locations: int) -> list[StockLevel]:
        """Levels of the items at every location, as many items a query as its cost allows."""
        per_item = 3 + 3 * max(1, locations)
        batch = max(1, min(queries.PAGE, (_MAX_QUERY_COST - 2) // per_item))
        document = queries.item_levels(locations)
        levels: list[StockLevel] = []
        for start in range(0, len(item_ids), batch):
            ids = [item_gid(item) for item in item_ids[start : start + batch]]
            data = await self._gql.run(document, {"ids": ids}, endpoint="inventoryItems.levels")
            for node in data.get("nodes") or ():
                if not isinstance(node, Mapping) or not node.get("tracked"):
                    continue  # unknown, or untracked: Shopify counts no stock for it
                for raw in (node.get("inventoryLevels") or {}).get("nodes") or ():
                    level = level_of(str(node["id"]), raw)
                    if level is not None:
                        levels.append(level)
        return levels

    async def stock_changes(
        self, since: datetime | None, location_ids: Sequence[str]
    ) -> list[StockLevel]:
        if since is None and self._bulk:
            try:
                url = await run_bulk(
                    self._gql,
                    queries.BULK_LEVELS,
                    poll_interval=self._poll,
                    give_up_after=self._timeout,
                    finishes=self.finishes,
                )
            except BulkFailedError as exc:
                self._bulk_failed("stock levels", str(exc))
            else:
                self._gql.notices.pop("bulk", None)
                if url is None:
                    return []
                return await assemble_levels(jsonl(url, self._download_timeout))
        query = None if since is None else f"updated_at:>='{shop_time(since)}'"
        levels: list[StockLevel] = []
        for location_id in location_ids:
            variables = {"id": f"gid://shopify/Location/{location_id}", "query": query}
            nodes = self.pages(
                queries.LOCATION_LEVELS,
                variables,
                ["node", "inventoryLevels"],
                "levels.changes",
                growing=(queries.FIRST_LEVELS_PAGE, queries.LEVELS_PER_PAGE),
            )
            async for raw in nodes:
                item = raw.get("item") or {}
                if not item.get("tracked"):
                    continue
                level = level_of(str(item["id"]), {**raw, "location": {"id": location_id}})
                if level is not None:
                    levels.append(level)
        return levels


__all__ = ["Reader", "numeric_id", "shop_time"]
