"""`ShopifyClient`: the Admin GraphQL API as a `SourceStore`, plus the order-side calls.

The catalog side (products, variants, inventory items and levels, locations, the shop,
deletions) reads Admin GraphQL at the pinned version, paced by query cost (`graphql`); whole
reads go through bulk operations (`bulk`). The order side (`order_calls`) uses the same
GraphQL client: no REST endpoint is called. One instrumented session per client, opened by
`start` (or ``async with``) and closed by `close`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.http import create_session
from daemon.connectors.shopify import order_queries, queries
from daemon.connectors.shopify.graphql import CostPacer, GraphQL
from daemon.connectors.shopify.graphql_wire import location_of, numeric_id
from daemon.connectors.shopify.order_calls import OrderCalls
from daemon.connectors.shopify.reader import Reader, shop_time
from daemon.connectors.shopify.settings import ShopifySettings
from daemon.connectors.shopify.transport import PLATFORM, ShopifyClientOptions
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo
from daemon.errors import FatalError
from daemon.metrics import Metrics


def numeric_ids(values: Sequence[str], what: str) -> list[str]:
    """Distinct ids in first-seen order; a non-numeric id cannot be Shopify's."""
    unique = list(dict.fromkeys(str(value) for value in values))
    wrong = [value for value in unique if not value.isdigit()]
    if wrong:
        raise FatalError(f"not Shopify {what} ids: {', '.join(wrong[:5])}")
    return unique


class ShopifyClient(OrderCalls):
    """A Shopify store through the Admin API (version pinned by the settings)."""

    platform = PLATFORM

    def __init__(
        self,
        settings: ShopifySettings,
        metrics: Metrics,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        options: ShopifyClientOptions | None = None,
    ) -> None:
        self.settings = settings
        self.options = options or ShopifyClientOptions()
        self._metrics = metrics
        self.cost_pacer = CostPacer(self.options.restore_rate, clock=clock, sleep=sleep)
        self.cost_pacer.expected.update(order_queries.COSTS)  # known before the first answer
        self._session: aiohttp.ClientSession | None = None
        self._gql_or_none: GraphQL | None = None
        self._reader_or_none: Reader | None = None
        self._currency: str | None = None
        self._clock = clock
        self._locations: tuple[float, tuple[Location, ...]] | None = None
        self._locations_ttl = self.options.locations_ttl.total_seconds()
        self._locations_lock = asyncio.Lock()

    @property
    def _gql(self) -> GraphQL:
        if self._gql_or_none is None:
            raise RuntimeError("ShopifyClient.start() has not been called")
        return self._gql_or_none

    @property
    def _reader(self) -> Reader:
        if self._reader_or_none is None:
            raise RuntimeError("ShopifyClient.start() has not been called")
        return self._reader_or_none

    async def start(self) -> None:
        if self._session is not None:
            return
        session = create_session(
            PLATFORM,
            self._metrics,
            timeout=self.options.request_timeout,
            headers={
                "X-Shopify-Access-Token": self.settings.access_token.get_secret_value(),
                "Accept": "application/json",
            },
        )
        base_url = self.settings.base_url or f"https://{self.settings.shop_domain}"
        self._session = session
        gql = GraphQL(
            session,
            base_url=base_url,
            api_version=self.settings.api_version,
            pacer=self.cost_pacer,
            retry=self.options.retry,
        )
        self._gql_or_none = gql
        self._reader_or_none = Reader(
            gql,
            self._shop_currency,
            bulk=self.options.bulk,
            bulk_over=self.options.bulk_over,
            poll_interval=self.options.bulk_poll_interval,
            bulk_timeout=self.options.bulk_timeout.total_seconds(),
            download_timeout=self.options.request_timeout.total_seconds(),
        )

    async def close(self) -> None:
        session, self._session = self._session, None
        self._gql_or_none = self._reader_or_none = None
        if session is not None:
            await session.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def store_info(self) -> StoreInfo:
        shop = (await self._gql.run(queries.SHOP, endpoint="shop")).get("shop") or {}
        try:
            info = StoreInfo(
                name=str(shop["name"]),
                currency=str(shop["currencyCode"]).upper(),
                domain=str(shop.get("myshopifyDomain") or ""),
            )
        except KeyError as exc:
            raise FatalError(f"shop: the answer lacks {exc.args[0]}") from None
        self._currency = info.currency
        return info

    async def _shop_currency(self) -> str:
        if self._currency is None:
            await self.store_info()
        assert self._currency is not None
        return self._currency

    def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        """Changes since a moment page by page; the whole catalog through a bulk operation
        (page by page again when the operation fails, saying why)."""
        return self._reader.products(updated_since)

    async def product(self, product_id: str) -> Product | None:
        if not product_id.isdigit():
            return None
        return await self._reader.product(product_id)

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        found: dict[str, None] = {}
        variables = {"query": f"occurred_at:>='{shop_time(since)}'"}
        async for node in self._reader.pages(
            queries.DELETIONS, variables, ["deletionEvents"], "deletionEvents"
        ):
            if node.get("subjectType") == "PRODUCT":
                found[numeric_id(str(node["subjectId"]))] = None
        return list(found)

    async def locations(self) -> list[Location]:
        """The store's locations; read at most once per `locations_ttl` (they rarely change,
        and every stock pass needs them), once for callers that ask at the same time."""
        async with self._locations_lock:
            now = self._clock()
            if self._locations is not None and now - self._locations[0] < self._locations_ttl:
                return list(self._locations[1])
            nodes = self._reader.pages(queries.LOCATIONS, {}, ["locations"], "locations")
            found = [location_of(node) async for node in nodes]
            self._locations = (now, tuple(found))
            return found

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        ids = numeric_ids(stock_keys, "inventory item")
        if not ids:
            return []
        return await self._reader.item_levels(ids, len(await self.locations()))

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        """Levels at every location updated at or after `since` (all of them when None:
        through a bulk operation)."""
        locations = await self.locations()
        return await self._reader.stock_changes(since, [loc.id for loc in locations])

    def bulk_finished(self, operation_gid: str) -> None:
        """A ``bulk_operations/finish`` webhook named this operation: stop waiting for it."""
        if self._reader_or_none is not None:
            self._reader_or_none.finishes.finished(operation_gid)

    def notices(self) -> list[str]:
        """What Shopify warned of (another API version, deprecations, a failed bulk read)."""
        return [*self._gql_or_none.notices.values()] if self._gql_or_none else []


if TYPE_CHECKING:  # mypy proves that the client plays the SourceStore role

    def _as_source_store(client: ShopifyClient) -> SourceStore:
        return client
