"""`MagentoClient`: Magento 2's REST API as a `SourceStore`, plus the order side.

One instrumented session per client, opened by `start` (or ``async with``) and closed by
`close`. Every search pages with ``searchCriteria`` at `page_size` (300, the most a store with
input limits on allows).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.http import create_session
from daemon.connectors.magento.catalog import CatalogReader, assemble, forget_done, yield_products
from daemon.connectors.magento.mapping import (
    CatalogContext,
    location_from_wire,
    store_info,
)
from daemon.connectors.magento.models import ProductWire, SourceWire, StoreConfigWire
from daemon.connectors.magento.order_calls import OrderCalls
from daemon.connectors.magento.rest import PLATFORM, Rest, parse_body
from daemon.connectors.magento.settings import MagentoSettings
from daemon.connectors.magento.stock import StockReader
from daemon.connectors.transport import RetrySettings
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo
from daemon.errors import FatalError, SkippableError
from daemon.metrics import Metrics


class MagentoClient(OrderCalls):
    """A Magento 2 store (Open Source or Adobe Commerce 2.4) through its REST API."""

    platform = PLATFORM

    def __init__(
        self,
        settings: MagentoSettings,
        metrics: Metrics,
        *,
        retry: RetrySettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._metrics = metrics
        self._retry = retry or RetrySettings()
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._rest_or_none: Rest | None = None
        self._config: StoreConfigWire | None = None
        self._sources: tuple[float, tuple[Location, ...]] | None = None
        self._catalog: CatalogReader | None = None
        self._stock: StockReader | None = None

    @property
    def _rest(self) -> Rest:
        if self._rest_or_none is None:
            raise RuntimeError("MagentoClient.start() has not been called")
        return self._rest_or_none

    @property
    def _reader(self) -> CatalogReader:
        assert self._catalog is not None, "MagentoClient.start() has not been called"
        return self._catalog

    @property
    def _stock_reader(self) -> StockReader:
        assert self._stock is not None, "MagentoClient.start() has not been called"
        return self._stock

    async def start(self) -> None:
        if self._rest_or_none is not None:
            return
        session = create_session(
            PLATFORM,
            self._metrics,
            timeout=self.settings.request_timeout,
            headers={
                "Authorization": f"Bearer {self.settings.access_token.get_secret_value()}",
                "Accept": "application/json",
            },
        )
        self._session = session
        rest = Rest(
            session,
            base_url=self.settings.base_url,
            store_code=self.settings.store_code,
            retry=self._retry,
            page_size=self.settings.page_size,
            concurrency=self.settings.read_concurrency,
        )
        self._rest_or_none = rest
        self._catalog = CatalogReader(rest, self.settings, self._clock)
        self._stock = StockReader(rest, self.settings)

    async def close(self) -> None:
        session, self._session, self._rest_or_none = self._session, None, None
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

    async def _store_config(self) -> StoreConfigWire:
        if self._config is None:
            answer = await self._rest.get(["store", "storeConfigs"], endpoint="store.configs")
            if not isinstance(answer.body, list):
                raise FatalError("store.configs: the answer is not a list")
            configs = [parse_body(StoreConfigWire, raw, "store.configs") for raw in answer.body]
            found = [c for c in configs if c.code == self.settings.store_code]
            if not found:
                raise FatalError(f"store.configs: no store view {self.settings.store_code!r}")
            self._config = found[0]
        return self._config

    async def store_info(self) -> StoreInfo:
        self._config = None
        return store_info(await self._store_config(), self.settings.store_code)

    async def _currency(self) -> str:
        return (await self._store_config()).base_currency_code.upper()

    async def _context(self, products: Sequence[ProductWire]) -> CatalogContext:
        config = await self._store_config()
        return await self._reader.context(
            products,
            config.base_currency_code.upper(),
            config.base_media_url or config.base_url.rstrip("/") + "/media/",
            config.weight_unit,
        )

    async def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        parents = await self._reader.parents()
        seen: set[int] = set()
        known: dict[int, ProductWire] = {}
        async for page in self._reader.pages(updated_since):
            bad, ready, kids = await assemble(self._reader, page, parents, seen, known)
            for record in bad:
                yield record
            if ready:
                wires = [*ready, *(k for group in kids.values() for k in group)]
                context = await self._context(wires)
                for product in yield_products(ready, kids, context):
                    yield product
            forget_done(known, parents, seen)

    async def product(self, product_id: str) -> Product | None:
        if not product_id.isdigit():
            return None
        fetched = await self._reader.by_ids([int(product_id)], "products.get")
        if not fetched:
            return None
        found = fetched[0]
        if isinstance(found, BadRecord):
            raise SkippableError(f"product {product_id} cannot be read: {found.reason}")
        parents = await self._reader.parents()
        if found.id in parents:
            return await self.product(str(parents[found.id]))
        bad, ready, kids = await assemble(self._reader, [found], parents, set(), {})
        if bad:
            raise SkippableError(f"product {product_id} cannot be read: {bad[0].reason}")
        if not ready:
            return None
        wires = [*ready, *(k for group in kids.values() for k in group)]
        [result] = yield_products(ready, kids, await self._context(wires))
        if isinstance(result, BadRecord):
            raise SkippableError(f"product {product_id} cannot be read: {result.reason}")
        return result

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        """Magento keeps no record of deleted products: full passes find them."""
        del since
        return []

    async def locations(self) -> list[Location]:
        """The MSI sources (or, in salable mode, the stock), read at most once per
        `reference_ttl`."""
        if self._stock_reader.salable_mode:
            return [self._stock_reader.stock_location]
        now = self._clock()
        ttl = self.settings.reference_ttl.total_seconds()
        if self._sources is not None and now - self._sources[0] < ttl:
            return list(self._sources[1])
        found: list[Location] = []
        async for items, _ in self._rest.search(
            ["inventory", "sources"], [], endpoint="sources.list"
        ):
            found.extend(
                location_from_wire(parse_body(SourceWire, raw, "sources.list")) for raw in items
            )
        self._sources = (now, tuple(found))
        return found

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        return await self._stock_reader.levels(stock_keys)

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        return await self._stock_reader.changes(since)


if TYPE_CHECKING:  # mypy proves that the client plays the SourceStore role

    def _as_source_store(client: MagentoClient) -> SourceStore:
        return client
