"""`ShopifyClient`: the Admin REST API as a `SourceStore`, plus the order-side calls.

One instrumented session per client, opened by `start` (or ``async with``) and closed by
`close`. Every list pages through the ``Link`` header at 250 per page.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.http import create_session
from daemon.connectors.shopify.mapping import (
    location_from_wire,
    parse_product,
    product_or_bad,
    stock_from_wire,
    store_info,
)
from daemon.connectors.shopify.models import (
    EventsEnvelope,
    InventoryItemsEnvelope,
    InventoryLevelsEnvelope,
    LocationsEnvelope,
    ProductEnvelope,
    ProductsEnvelope,
    ProductWire,
    ShopEnvelope,
)
from daemon.connectors.shopify.order_calls import OrderCalls
from daemon.connectors.shopify.pacing import BucketPacer
from daemon.connectors.shopify.settings import ShopifySettings
from daemon.connectors.shopify.transport import (
    PLATFORM,
    ShopifyClientOptions,
    Transport,
    parse_body,
)
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo
from daemon.errors import FatalError, SkippableError
from daemon.metrics import Metrics


def shop_time(moment: datetime) -> str:
    """A query timestamp: UTC, whole seconds (truncation only widens an ``_min`` filter)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def batches(values: Sequence[str], size: int) -> list[list[str]]:
    return [list(values[start : start + size]) for start in range(0, len(values), size)]


def numeric_ids(values: Sequence[str], what: str) -> list[str]:
    """Distinct ids in first-seen order; a non-numeric id cannot be Shopify's."""
    unique = list(dict.fromkeys(str(value) for value in values))
    wrong = [value for value in unique if not value.isdigit()]
    if wrong:
        raise FatalError(f"not Shopify {what} ids: {', '.join(wrong[:5])}")
    return unique


class ShopifyClient(OrderCalls):
    """A Shopify store through the Admin REST API (version pinned by the settings)."""

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
        self._pacer = BucketPacer(
            leak_rate=self.options.leak_rate,
            headroom=self.options.headroom,
            clock=clock,
            sleep=sleep,
        )
        self._session: aiohttp.ClientSession | None = None
        self._transport_or_none: Transport | None = None
        self._currency: str | None = None
        self._clock = clock
        self._locations: tuple[float, tuple[Location, ...]] | None = None
        self._locations_ttl = self.options.locations_ttl.total_seconds()

    @property
    def pacer(self) -> BucketPacer:
        return self._pacer

    @property
    def _page_size(self) -> str:
        return str(self.options.page_size)

    @property
    def _transport(self) -> Transport:
        if self._transport_or_none is None:
            raise RuntimeError("ShopifyClient.start() has not been called")
        return self._transport_or_none

    async def start(self) -> None:
        if self._transport_or_none is not None:
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
        self._transport_or_none = Transport(
            session,
            base_url=base_url,
            api_version=self.settings.api_version,
            pacer=self._pacer,
            options=self.options,
        )

    async def close(self) -> None:
        session, self._session, self._transport_or_none = self._session, None, None
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
        answer = await self._transport.call("GET", "shop", endpoint="shop")
        assert answer is not None
        info = store_info(parse_body(ShopEnvelope, answer, "shop").shop)
        self._currency = info.currency
        return info

    async def _shop_currency(self) -> str:
        if self._currency is None:
            await self.store_info()
        assert self._currency is not None
        return self._currency

    async def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        currency = await self._shop_currency()
        query = {"limit": str(self.options.page_size)}
        if updated_since is not None:
            query["updated_at_min"] = shop_time(updated_since)
        pages = self._transport.pages("products", endpoint="products.list", query=query)
        async for answer in pages:
            raws = parse_body(ProductsEnvelope, answer, "products.list").products
            wires = [parse_product(raw) for raw in raws]
            tracked = await self._tracked(
                [
                    str(variant.inventory_item_id)
                    for wire in wires
                    if isinstance(wire, ProductWire)
                    for variant in wire.variants
                ]
            )
            for wire in wires:
                yield product_or_bad(wire, tracked, currency)

    async def product(self, product_id: str) -> Product | None:
        if not product_id.isdigit():
            return None
        currency = await self._shop_currency()
        answer = await self._transport.call(
            "GET", f"products/{product_id}", endpoint="products.get", missing_ok=True
        )
        if answer is None:
            return None
        wire = parse_product(parse_body(ProductEnvelope, answer, "products.get").product)
        tracked = (
            {}
            if isinstance(wire, BadRecord)
            else await self._tracked([str(v.inventory_item_id) for v in wire.variants])
        )
        result = product_or_bad(wire, tracked, currency)
        if isinstance(result, BadRecord):
            raise SkippableError(f"product {result.id} cannot be read: {result.reason}")
        return result

    async def _tracked(self, inventory_item_ids: Sequence[str]) -> dict[int, bool]:
        """``tracked`` of each inventory item, fetched in batches of at most 100 ids."""
        tracked: dict[int, bool] = {}
        ids = list(dict.fromkeys(inventory_item_ids))
        for batch in batches(ids, self.options.inventory_item_batch):
            query = {"ids": ",".join(batch), "limit": str(self.options.page_size)}
            pages = self._transport.pages(
                "inventory_items", endpoint="inventory_items.list", query=query
            )
            async for answer in pages:
                envelope = parse_body(InventoryItemsEnvelope, answer, "inventory_items.list")
                tracked.update((item.id, item.tracked) for item in envelope.inventory_items)
        return tracked

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        query = {
            "filter": "Product",
            "verb": "destroy",
            "created_at_min": shop_time(since),
            "limit": str(self.options.page_size),
        }
        found: dict[str, None] = {}
        async for answer in self._transport.pages("events", endpoint="events.list", query=query):
            for event in parse_body(EventsEnvelope, answer, "events.list").events:
                if event.subject_type == "Product" and event.verb == "destroy":
                    found[str(event.subject_id)] = None
        return list(found)

    async def locations(self) -> list[Location]:
        """The store's locations; read at most once per `locations_ttl` (they rarely change,
        and every stock pass needs them)."""
        now = self._clock()
        if self._locations is not None and now - self._locations[0] < self._locations_ttl:
            return list(self._locations[1])
        found = await self._read_locations()
        self._locations = (now, tuple(found))
        return found

    async def _read_locations(self) -> list[Location]:
        found: list[Location] = []
        pages = self._transport.pages("locations", endpoint="locations.list", query={})
        async for answer in pages:
            envelope = parse_body(LocationsEnvelope, answer, "locations.list")
            found.extend(location_from_wire(location) for location in envelope.locations)
        return found

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        ids = numeric_ids(stock_keys, "inventory item")
        return await self._levels("inventory_item_ids", ids, {}, "inventory_levels.list")

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        """Levels at every location updated at or after `since` (all of them when None)."""
        location_ids = [location.id for location in await self.locations()]
        extra = {} if since is None else {"updated_at_min": shop_time(since)}
        return await self._levels("location_ids", location_ids, extra, "inventory_levels.changes")

    async def _levels(
        self, key: str, ids: Sequence[str], extra: dict[str, str], endpoint: str
    ) -> list[StockLevel]:
        """inventory_levels.json for `ids` under `key`, batched and paged."""
        levels: list[StockLevel] = []
        for batch in batches(ids, self.options.level_batch):
            query = {key: ",".join(batch), "limit": str(self.options.page_size), **extra}
            pages = self._transport.pages("inventory_levels", endpoint=endpoint, query=query)
            async for answer in pages:
                envelope = parse_body(InventoryLevelsEnvelope, answer, endpoint)
                for wire in envelope.inventory_levels:
                    level = stock_from_wire(wire)
                    if level is not None:
                        levels.append(level)
        return levels


if TYPE_CHECKING:  # mypy proves that the client plays the SourceStore role

    def _as_source_store(client: ShopifyClient) -> SourceStore:
        return client
