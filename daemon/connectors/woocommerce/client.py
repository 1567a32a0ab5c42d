"""`WooCommerceClient`: the REST API v3 as a `SourceStore`, plus the order side (`OrderCalls`).

Products are read 100 a page in id order; a variable product's variations are read with it
(one more call each). A variation's change does not move its parent's ``date_modified``, so a
pass since a time also asks every variable product for variations changed since then: core
WooCommerce has no catalog-wide variation list. Stock lives on the simple product or on the
variation (the stock key is its id) at the one location the settings name.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp
import structlog

from daemon.connectors.base import SourceStore
from daemon.connectors.http import create_session
from daemon.connectors.transport import RetrySettings
from daemon.connectors.woocommerce.mapping import (
    level_of,
    parse_product,
    parse_variation,
    product_from_wire,
    wc_time,
)
from daemon.connectors.woocommerce.models import IndexWire, ProductWire, SettingWire, VariationWire
from daemon.connectors.woocommerce.order_calls import OrderCalls
from daemon.connectors.woocommerce.rest import PLATFORM, Rest, parse
from daemon.connectors.woocommerce.settings import WooCommerceSettings
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo, WeightUnit
from daemon.errors import SkippableError
from daemon.metrics import Metrics

log = structlog.get_logger(__name__)

LOCATION_ID = "default"  # the one location; the simulator names it the same
PAGE = "100"  # WP REST's most per page
_UNITS = {
    "kg": WeightUnit.KILOGRAM,
    "g": WeightUnit.GRAM,
    "lbs": WeightUnit.POUND,
    "oz": WeightUnit.OUNCE,
}


def batches(values: Sequence[str], size: int) -> list[list[str]]:
    return [list(values[start : start + size]) for start in range(0, len(values), size)]


class WooCommerceClient(OrderCalls):
    """A WooCommerce store through its REST API v3."""

    platform = PLATFORM

    def __init__(
        self,
        settings: WooCommerceSettings,
        metrics: Metrics,
        *,
        retry: RetrySettings | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._metrics = metrics
        self._retry = retry or RetrySettings()
        self._wall = wall
        self._session: aiohttp.ClientSession | None = None
        self._rest_or_none: Rest | None = None
        self._currency: str | None = None
        self._unit = _UNITS[settings.weight_unit]
        self._limit = asyncio.Semaphore(settings.concurrency)
        self.tracking_extension: bool | None = None

    @property
    def _rest(self) -> Rest:
        if self._rest_or_none is None:
            raise RuntimeError("WooCommerceClient.start() has not been called")
        return self._rest_or_none

    @property
    def _scan_pages(self) -> int:
        return max(1, self.settings.order_scan_limit // int(PAGE))

    async def start(self) -> None:
        if self._rest_or_none is not None:
            return
        self._session = create_session(
            PLATFORM, self._metrics, timeout=self.settings.request_timeout
        )
        self._rest_or_none = Rest(
            self._session,
            base_url=self.settings.base_url,
            key=self.settings.consumer_key.get_secret_value(),
            secret=self.settings.consumer_secret.get_secret_value(),
            retry=self._retry,
            wall=self._wall,
        )

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

    # --- the store -----------------------------------------------------------------------------

    async def store_info(self) -> StoreInfo:
        """The currency setting, the site's name, and whether Shipment Tracking is active
        (``GET /wp-json/`` lists its namespace); the answer says which is used for tracking."""
        answer = await self._rest.call(
            "GET", "settings/general/woocommerce_currency", endpoint="settings.currency"
        )
        assert answer is not None
        self._currency = parse(SettingWire, answer.body, "settings.currency").value.upper()
        index = await self._rest.call("GET", "", endpoint="index", root="/wp-json")
        assert index is not None
        site = parse(IndexWire, index.body, "index")
        found = "wc-shipment-tracking/v3" in site.namespaces
        if found != self.tracking_extension:
            how = "shipment_tracking_extension" if found else "order_notes_and_completed"
            log.info("woocommerce_tracking_source", source=how)
        self.tracking_extension = found
        return StoreInfo(name=site.name, currency=self._currency, domain=self.settings.base_url)

    async def _store_currency(self) -> str:
        if self._currency is None:
            await self.store_info()
        assert self._currency is not None
        return self._currency

    async def locations(self) -> list[Location]:
        """The one location WooCommerce core has, named by the settings. A call is still made,
        so that revoked keys and an unreachable store show here as they would elsewhere."""
        await self._rest.call(
            "GET", "settings/general/woocommerce_currency", endpoint="settings.currency"
        )
        return [Location(LOCATION_ID, self.settings.location_name, active=True)]

    # --- the catalog ---------------------------------------------------------------------------

    async def _variations(
        self, product_id: str, since: datetime | None = None
    ) -> list[VariationWire | BadRecord]:
        query = {"per_page": PAGE, "orderby": "id", "order": "asc"}
        if since is not None:
            query.update(modified_after=wc_time(since), dates_are_gmt="true")
        found: list[VariationWire | BadRecord] = []
        async with self._limit:
            pages = self._rest.pages(
                f"products/{product_id}/variations", endpoint="variations.list", query=query
            )
            async for page in pages:
                found.extend(parse_variation(raw, product_id) for raw in page)
        return found

    async def _complete(self, wire: ProductWire | BadRecord, currency: str) -> Product | BadRecord:
        if isinstance(wire, BadRecord):
            return wire
        variations: list[VariationWire] = []
        if wire.type == "variable":
            for variation in await self._variations(str(wire.id)):
                if isinstance(variation, BadRecord):
                    return variation
                variations.append(variation)
        return product_from_wire(wire, variations, currency, self._unit)

    async def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        currency = await self._store_currency()
        query = {"per_page": PAGE, "orderby": "id", "order": "asc"}
        if updated_since is not None:
            query.update(modified_after=wc_time(updated_since), dates_are_gmt="true")
        seen: set[str] = set()
        async for page in self._rest.pages("products", endpoint="products.list", query=query):
            wires = [parse_product(raw) for raw in page]
            for item in await asyncio.gather(*(self._complete(w, currency) for w in wires)):
                seen.add(item.id)
                yield item
        if updated_since is None:
            return
        async for item in self._with_changed_variations(updated_since, seen, currency):
            yield item

    async def _variable_products(self) -> AsyncIterator[list[ProductWire | BadRecord]]:
        query = {"per_page": PAGE, "orderby": "id", "order": "asc", "type": "variable"}
        async for page in self._rest.pages("products", endpoint="products.list", query=query):
            yield [parse_product(raw) for raw in page]

    async def _with_changed_variations(
        self, since: datetime, seen: set[str], currency: str
    ) -> AsyncIterator[Product | BadRecord]:
        """Variable products not changed themselves whose variations changed since `since`."""
        async for page in self._variable_products():
            candidates = [w for w in page if isinstance(w, ProductWire) and str(w.id) not in seen]
            changed = await asyncio.gather(
                *(self._variations(str(w.id), since) for w in candidates)
            )
            for wire, recent in zip(candidates, changed, strict=True):
                if recent:
                    yield await self._complete(wire, currency)

    async def product(self, product_id: str) -> Product | None:
        if not product_id.isdigit():
            return None
        currency = await self._store_currency()
        answer = await self._rest.call(
            "GET", f"products/{product_id}", endpoint="products.get", missing_ok=True
        )
        if answer is None:
            return None
        wire = parse_product(answer.body)
        if isinstance(wire, ProductWire) and wire.type == "variation":
            return None  # a variation's id names no product
        result = await self._complete(wire, currency)
        if isinstance(result, BadRecord):
            raise SkippableError(f"product {result.id} cannot be read: {result.reason}")
        return result

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        """None: WooCommerce keeps no record of deletions (full passes find them)."""
        del since
        return []

    # --- stock ---------------------------------------------------------------------------------

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        """Simple products 100 at a time (``include``); the keys left are variations, read
        one by one (WooCommerce reads any product object by id)."""
        keys = list(dict.fromkeys(key for key in stock_keys if key.isdigit()))
        levels: dict[str, StockLevel | None] = {}
        for batch in batches(keys, int(PAGE)):
            query = {"include": ",".join(batch), "per_page": PAGE}
            async for page in self._rest.pages("products", endpoint="products.list", query=query):
                for raw in page:
                    wire = parse_product(raw)
                    if isinstance(wire, ProductWire):
                        levels[str(wire.id)] = level_of(wire, LOCATION_ID)
        rest = [key for key in keys if key not in levels]
        found = await asyncio.gather(*(self._one_level(k) for k in rest))
        levels.update(zip(rest, found, strict=True))
        return [level for level in levels.values() if level is not None]

    async def _one_level(self, key: str) -> StockLevel | None:
        async with self._limit:
            answer = await self._rest.call(
                "GET", f"products/{key}", endpoint="products.get", missing_ok=True
            )
        if answer is None:
            return None
        wire = parse_variation(answer.body, key)
        return None if isinstance(wire, BadRecord) else level_of(wire, LOCATION_ID)

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        """Levels of items changed at or after `since` (every level when None): simple
        products through ``modified_after``, variations through each variable product."""
        query = {"per_page": PAGE, "orderby": "id", "order": "asc", "type": "simple"}
        if since is not None:
            query.update(modified_after=wc_time(since), dates_are_gmt="true")
        levels: list[StockLevel] = []
        async for page in self._rest.pages("products", endpoint="products.list", query=query):
            for raw in page:
                wire = parse_product(raw)
                level = None if isinstance(wire, BadRecord) else level_of(wire, LOCATION_ID)
                if level is not None:
                    levels.append(level)
        async for page in self._variable_products():
            parents = [w for w in page if isinstance(w, ProductWire)]
            for found in await asyncio.gather(
                *(self._variations(str(w.id), since) for w in parents)
            ):
                for variation in found:
                    level = (
                        None
                        if isinstance(variation, BadRecord)
                        else level_of(variation, LOCATION_ID)
                    )
                    if level is not None:
                        levels.append(level)
        return levels


if TYPE_CHECKING:  # mypy proves that the client plays the SourceStore role

    def _as_source_store(client: WooCommerceClient) -> SourceStore:
        return client
