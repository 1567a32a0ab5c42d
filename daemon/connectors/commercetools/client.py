"""`CommercetoolsClient`: a commercetools project's HTTP API as a `SourceStore`, plus the
order side (`OrderCalls`).

One instrumented session per client, opened by `start` (or ``async with``) and closed by
`close`. Published products are read as projections with ``staged=false`` and the market's
price selection; unpublished ones (which ``staged=false`` leaves out) from the staged
projections with ``published = false``, so that the daemon sees them go. Queries page by key.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.commercetools.auth import PLATFORM, Tokens
from daemon.connectors.commercetools.mapping import (
    NO_CHANNEL,
    CatalogContext,
    level_from_wire,
    location_from_wire,
    product_or_bad,
)
from daemon.connectors.commercetools.messages import (
    PRODUCT_CHANGES,
    PRODUCT_DELETED,
    resource_ids,
)
from daemon.connectors.commercetools.models import Category, Channel, InventoryEntry
from daemon.connectors.commercetools.models import Project as ProjectWire
from daemon.connectors.commercetools.order_calls import OrderCalls
from daemon.connectors.commercetools.rest import Api, ct_time, quoted
from daemon.connectors.commercetools.settings import CommercetoolsSettings
from daemon.connectors.http import create_session, parse_answer
from daemon.connectors.transport import RetrySettings
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo
from daemon.errors import FatalError, SkippableError
from daemon.metrics import Metrics

_SKU_BATCH = 100  # SKUs per "sku in (...)" predicate: a URL well under 8 KB
_ID = r"^[A-Za-z0-9_-]{1,256}$"


class CommercetoolsClient(OrderCalls):
    platform = PLATFORM

    def __init__(
        self,
        settings: CommercetoolsSettings,
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
        self._api_or_none: Api | None = None
        self._channels: tuple[float, tuple[Channel, ...]] | None = None
        self._categories: tuple[float, dict[str, str]] | None = None

    @property
    def _api(self) -> Api:
        if self._api_or_none is None:
            raise RuntimeError("CommercetoolsClient.start() has not been called")
        return self._api_or_none

    async def start(self) -> None:
        if self._api_or_none is not None:
            return
        session = create_session(PLATFORM, self._metrics, timeout=self.settings.request_timeout)
        self._session = session
        self.tokens = Tokens(session, self.settings, self._retry, self._clock)
        self._api_or_none = Api(
            session,
            self.tokens,
            api_url=self.settings.api_url,
            project_key=self.settings.project_key,
            retry=self._retry,
            page_size=self.settings.page_size,
        )

    async def close(self) -> None:
        session, self._session, self._api_or_none = self._session, None, None
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

    # --- reference data -------------------------------------------------------------------

    def _fresh(self, read_at: float) -> bool:
        return self._clock() - read_at < self.settings.reference_ttl.total_seconds()

    async def channels(self) -> tuple[Channel, ...]:
        if self._channels is not None and self._fresh(self._channels[0]):
            return self._channels[1]
        found: list[Channel] = []
        async for page in self._api.query(["channels"], [], endpoint="channels.query"):
            found.extend(parse_answer(Channel, raw, "channels.query") for raw in page)
        self._channels = (self._clock(), tuple(found))
        return self._channels[1]

    async def _category_names(self) -> dict[str, str]:
        if self._categories is not None and self._fresh(self._categories[0]):
            return self._categories[1]
        names: dict[str, str] = {}
        async for page in self._api.query(["categories"], [], endpoint="categories.query"):
            for raw in page:
                category = parse_answer(Category, raw, "categories.query")
                names[category.id] = next(iter(category.name.values()), category.id)
                for locale in (self.settings.locale, self.settings.locale.split("-")[0], "en"):
                    if category.name.get(locale):
                        names[category.id] = category.name[locale]
                        break
        self._categories = (self._clock(), names)
        return names

    async def _context(self) -> CatalogContext:
        settings = self.settings
        return CatalogContext(
            currency=settings.price_currency,
            locale=settings.locale,
            categories=await self._category_names(),
            option_attributes=settings.option_attributes,
            barcode_attribute=settings.barcode_attribute,
            weight_attribute=settings.weight_attribute,
        )

    async def _price_params(self) -> dict[str, str]:
        settings = self.settings
        params = {"priceCurrency": settings.price_currency}
        if settings.price_country:
            params["priceCountry"] = settings.price_country
        if settings.price_channel:
            keyed = {c.key: c.id for c in await self.channels()}
            if settings.price_channel not in keyed:
                raise FatalError(
                    f"price_channel: the project has no channel {settings.price_channel!r}"
                )
            params["priceChannel"] = keyed[settings.price_channel]
        return params

    # --- SourceStore ----------------------------------------------------------------------

    async def store_info(self) -> StoreInfo:
        body = await self._api.get([], endpoint="project.get")
        project = parse_answer(ProjectWire, body, "project.get")
        currency = self.settings.price_currency
        if currency not in project.currencies:
            raise FatalError(
                f"price_currency: project {project.key!r} has no currency {currency!r} "
                f"(it has {', '.join(project.currencies) or 'none'})"
            )
        if self.settings.change_feed == "messages" and not project.messages.enabled:
            raise FatalError(
                f"change_feed: project {project.key!r} does not have the Messages API enabled "
                '(Settings > Project settings > Messages); use "predicates" or enable it'
            )
        host = self.settings.api_url.split("//", 1)[-1].split("/", 1)[0]
        return StoreInfo(name=project.name, currency=currency, domain=host)

    async def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        context = await self._context()
        prices = await self._price_params()
        for since in await self._product_filters(updated_since):
            passes = (
                ({"staged": "false"}, since),
                ({"staged": "true"}, [*since, "published = false"]),
            )
            for params, where in passes:
                async for page in self._api.query(
                    ["product-projections"],
                    where,
                    endpoint="product_projections.query",
                    params={**params, **prices},
                ):
                    for raw in page:
                        yield product_or_bad(raw, context)

    async def _product_filters(self, updated_since: datetime | None) -> list[list[str]]:
        """The predicates of the queries a pass since `updated_since` makes: every product;
        those modified since; or, by messages, those named (a batch of ids per query)."""
        if updated_since is None:
            return [[]]
        if self.settings.change_feed == "predicates":
            return [[f"lastModifiedAt >= {quoted(ct_time(updated_since))}"]]
        ids = await resource_ids(self._api, PRODUCT_CHANGES, updated_since)
        return [
            [f"id in ({', '.join(quoted(i) for i in ids[n : n + _SKU_BATCH])})"]
            for n in range(0, len(ids), _SKU_BATCH)
        ]

    async def product(self, product_id: str) -> Product | None:
        if not re.match(_ID, product_id):
            return None
        prices = await self._price_params()
        for staged in ("false", "true"):
            raw = await self._api.get(
                ["product-projections", product_id],
                endpoint="product_projections.get",
                query={"staged": staged, **prices},
                missing_ok=True,
            )
            if raw is None:
                continue
            found = product_or_bad(raw, await self._context())
            if isinstance(found, BadRecord):
                raise SkippableError(f"product {product_id} cannot be read: {found.reason}")
            return found
        return None

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        """By messages (``ProductDeleted``) when they are the change feed; projections keep no
        record of deleted products, so otherwise full passes find them."""
        if self.settings.change_feed != "messages":
            return []
        return await resource_ids(self._api, PRODUCT_DELETED, since)

    async def locations(self) -> list[Location]:
        """Channels (supply channels are active), and the place of entries without one."""
        found = [location_from_wire(c, self.settings.locale) for c in await self.channels()]
        return [*found, Location(NO_CHANNEL, "Inventory without a supply channel", active=True)]

    async def _levels(self, where: list[str], endpoint: str) -> list[StockLevel]:
        keys = {c.id: c.key for c in await self.channels()}
        on_stock = self.settings.stock_quantity == "on_stock"
        levels: dict[tuple[str, str], StockLevel] = {}
        async for page in self._api.query(["inventory"], where, endpoint=endpoint):
            for raw in page:
                entry = parse_answer(InventoryEntry, raw, endpoint)
                if entry.supply_channel is not None and entry.supply_channel.id not in keys:
                    self._channels = None  # a channel made since they were read
                    keys = {c.id: c.key for c in await self.channels()}
                level = level_from_wire(entry, keys, on_stock=on_stock)
                levels[level.stock_key, level.location_id] = level
        return list(levels.values())

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        skus = list(dict.fromkeys(stock_keys))
        levels: list[StockLevel] = []
        for start in range(0, len(skus), _SKU_BATCH):
            batch = ", ".join(quoted(s) for s in skus[start : start + _SKU_BATCH])
            levels.extend(await self._levels([f"sku in ({batch})"], "inventory.levels"))
        return levels

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        """Inventory entries change apart from products: they are polled on their own."""
        where = [] if since is None else [f"lastModifiedAt >= {quoted(ct_time(since))}"]
        return await self._levels(where, "inventory.changes")


if TYPE_CHECKING:  # mypy proves that the client plays the SourceStore role

    def _as_source_store(client: CommercetoolsClient) -> SourceStore:
        return client
