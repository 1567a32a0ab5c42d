"""`BigCommerceClient`: the V3 catalog and inventory as a `SourceStore`, plus the V2 order side.

One instrumented session per client, opened by `start` (or ``async with``) and closed by
`close`. V3 lists page by ``page``/``limit`` (250) until ``meta.pagination.total_pages``.
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
from daemon.connectors.bigcommerce.mapping import (
    WEIGHT_UNITS,
    levels_from_wire,
    location_from_wire,
    parse_product,
    product_or_bad,
    store_info,
    utc,
)
from daemon.connectors.bigcommerce.models import (
    CategoryWire,
    InventoryItemWire,
    LocationWire,
    One,
    ProductWire,
    StoreWire,
    VariantRefWire,
)
from daemon.connectors.bigcommerce.order_calls import OrderCalls
from daemon.connectors.bigcommerce.pacing import WindowPacer
from daemon.connectors.bigcommerce.settings import BigCommerceSettings
from daemon.connectors.bigcommerce.transport import (
    DEFAULT_BASE_URL,
    PLATFORM,
    BigCommerceClientOptions,
    Transport,
    parse_body,
)
from daemon.connectors.http import create_session
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo, WeightUnit
from daemon.errors import FatalError, SkippableError
from daemon.metrics import Metrics

PRODUCTS = "v3/catalog/products"


def batches(values: Sequence[str], size: int) -> list[list[str]]:
    return [list(values[start : start + size]) for start in range(0, len(values), size)]


def numeric_ids(values: Sequence[str], what: str) -> list[str]:
    """Distinct ids in first-seen order; a non-numeric id cannot be BigCommerce's."""
    unique = list(dict.fromkeys(str(value) for value in values))
    wrong = [value for value in unique if not value.isdigit()]
    if wrong:
        raise FatalError(f"not BigCommerce {what} ids: {', '.join(wrong[:5])}")
    return unique


def store_time(moment: datetime) -> str:
    """A query timestamp: UTC, whole seconds (truncation only widens a ``:min`` filter)."""
    return utc(moment).isoformat(timespec="seconds")


class BigCommerceClient(OrderCalls):
    """A BigCommerce store through its V3 and V2 REST APIs."""

    platform = PLATFORM

    def __init__(
        self,
        settings: BigCommerceSettings,
        metrics: Metrics,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        options: BigCommerceClientOptions | None = None,
    ) -> None:
        self.settings = settings
        self.options = options or BigCommerceClientOptions()
        self._metrics = metrics
        self._pacer = WindowPacer(
            quota=self.options.requests_quota,
            reserve=self.options.reserve,
            clock=clock,
            sleep=sleep,
        )
        self._session: aiohttp.ClientSession | None = None
        self._transport_or_none: Transport | None = None
        self._info: tuple[StoreInfo, WeightUnit | None] | None = None
        self._clock = clock
        self._locations: tuple[float, tuple[Location, ...]] | None = None
        self._locations_lock = asyncio.Lock()
        self._category_names: tuple[float, dict[int, str]] | None = None
        self._categories_lock = asyncio.Lock()
        self._categories_missing: set[int] = set()

    @property
    def pacer(self) -> WindowPacer:
        return self._pacer

    @property
    def _transport(self) -> Transport:
        if self._transport_or_none is None:
            raise RuntimeError("BigCommerceClient.start() has not been called")
        return self._transport_or_none

    async def start(self) -> None:
        if self._transport_or_none is not None:
            return
        session = create_session(
            PLATFORM,
            self._metrics,
            timeout=self.options.request_timeout,
            headers={
                "X-Auth-Token": self.settings.access_token.get_secret_value(),
                "Accept": "application/json",
            },
        )
        self._session = session
        self._transport_or_none = Transport(
            session,
            base_url=self.settings.base_url or DEFAULT_BASE_URL,
            store_hash=self.settings.store_hash,
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
        raw = await self._transport.call("GET", "v2/store", endpoint="store.get")
        wire = parse_body(StoreWire, raw, "store.get")
        units = raw.get("weight_units") if isinstance(raw, dict) else None
        unit = WEIGHT_UNITS.get(str(units).lower()) if units else None
        info = store_info(wire)
        self._info = (info, unit)
        return info

    async def _currency_and_unit(self) -> tuple[str, WeightUnit | None]:
        if self._info is None:
            await self.store_info()
        assert self._info is not None
        return self._info[0].currency, self._info[1]

    async def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        currency, unit = await self._currency_and_unit()
        query = {"include": "variants,images", "sort": "id"}
        if updated_since is not None:
            query["date_modified:min"] = store_time(updated_since)
        pages = self._transport.v3_pages(PRODUCTS, endpoint="catalog.products.list", query=query)
        async for raws in pages:
            wires = [parse_product(raw) for raw in raws]
            categories = await self._categories(wires)
            for wire in wires:
                yield product_or_bad(wire, currency, unit, categories)

    async def product(self, product_id: str) -> Product | None:
        if not product_id.isdigit():
            return None
        currency, unit = await self._currency_and_unit()
        raw = await self._transport.call(
            "GET",
            f"{PRODUCTS}/{product_id}",
            endpoint="catalog.products.get",
            query={"include": "variants,images"},
            missing_ok=True,
        )
        if raw is None:
            return None
        wire = parse_product(parse_body(One, raw, "catalog.products.get").data)
        result = product_or_bad(wire, currency, unit, await self._categories([wire]))
        if isinstance(result, BadRecord):
            raise SkippableError(f"product {result.id} cannot be read: {result.reason}")
        return result

    async def _categories(self, wires: Sequence[ProductWire | BadRecord]) -> dict[int, str]:
        """Category names by id, read again (at most once per `locations_ttl`, or when a
        product names a category not seen yet)."""
        wanted = {c for w in wires if isinstance(w, ProductWire) for c in w.categories}
        async with self._categories_lock:
            now = self._clock()
            ttl = self.options.locations_ttl.total_seconds()
            cached = self._category_names
            # A category the last read did not have is not asked for again until the TTL ends.
            unknown = wanted - self._categories_missing
            if cached is not None and now - cached[0] < ttl and unknown <= cached[1].keys():
                return cached[1]
            names: dict[int, str] = {}
            pages = self._transport.v3_pages(
                "v3/catalog/categories", endpoint="catalog.categories.list", query={}
            )
            async for raws in pages:
                for raw in raws:
                    category = parse_body(CategoryWire, raw, "catalog.categories.list")
                    names[category.id] = category.name
            self._category_names = (now, names)
            self._categories_missing = wanted - names.keys()
            return names

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        """None: BigCommerce has no deletion feed (only the ``store/product/deleted``
        callback); full catalog passes find deleted products."""
        del since
        return []

    async def locations(self) -> list[Location]:
        """The store's locations; read at most once per `locations_ttl` (one read at a time)."""
        async with self._locations_lock:
            now = self._clock()
            ttl = self.options.locations_ttl.total_seconds()
            if self._locations is not None and now - self._locations[0] < ttl:
                return list(self._locations[1])
            found: list[Location] = []
            pages = self._transport.v3_pages(
                "v3/inventory/locations", endpoint="inventory.locations.list", query={}
            )
            async for raws in pages:
                found.extend(
                    location_from_wire(parse_body(LocationWire, raw, "inventory.locations.list"))
                    for raw in raws
                )
            self._locations = (now, tuple(found))
            return found

    async def _items(self, key: str, ids: Sequence[str]) -> list[StockLevel]:
        """``/v3/inventory/items`` filtered by `key` (``variant_id:in``...), batched and paged;
        with no `key`, every item."""
        levels: list[StockLevel] = []
        queries = (
            [{key: ",".join(batch)} for batch in batches(ids, self.options.id_batch)]
            if key
            else [{}]
        )
        for query in queries:
            pages = self._transport.v3_pages(
                "v3/inventory/items", endpoint="inventory.items.list", query=query
            )
            async for raws in pages:
                for raw in raws:
                    item = parse_body(InventoryItemWire, raw, "inventory.items.list")
                    levels.extend(levels_from_wire(item))
        return levels

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        ids = numeric_ids(stock_keys, "variant")
        return await self._items("variant_id:in", ids) if ids else []

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        """With None, every level. Otherwise the levels of the products modified at or after
        `since` (inventory has no timestamp of its own; a stock change moves its product's
        ``date_modified``), every variant of them at every location."""
        if since is None:
            return await self._items("", [])
        query = {"date_modified:min": store_time(since), "include_fields": "id", "sort": "id"}
        product_ids: list[str] = []
        pages = self._transport.v3_pages(PRODUCTS, endpoint="catalog.products.changed", query=query)
        async for raws in pages:
            product_ids.extend(str(raw["id"]) for raw in raws if isinstance(raw, dict))
        return await self._items("product_id:in", product_ids) if product_ids else []

    # --- lookups for the order side ----------------------------------------------------------

    async def _variant_refs(self, variant_ids: list[str]) -> dict[str, VariantRefWire]:
        ids = [v for v in dict.fromkeys(variant_ids) if v.isdigit()]
        found: dict[str, VariantRefWire] = {}
        for batch in batches(ids, self.options.id_batch):
            pages = self._transport.v3_pages(
                "v3/catalog/variants",
                endpoint="catalog.variants.list",
                query={"id:in": ",".join(batch)},
            )
            async for raws in pages:
                for raw in raws:
                    ref = parse_body(VariantRefWire, raw, "catalog.variants.list")
                    found[str(ref.id)] = ref
        return found

    async def _variants_by_sku(self, skus: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for batch in batches(skus, self.options.id_batch):
            pages = self._transport.v3_pages(
                "v3/catalog/variants",
                endpoint="catalog.variants.list",
                query={"sku:in": ",".join(batch)},
            )
            async for raws in pages:
                for raw in raws:
                    ref = parse_body(VariantRefWire, raw, "catalog.variants.list")
                    found.setdefault(ref.sku, str(ref.id))
        return found


if TYPE_CHECKING:  # mypy proves that the client plays the SourceStore role

    def _as_source_store(client: BigCommerceClient) -> SourceStore:
        return client
