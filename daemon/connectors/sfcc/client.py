"""The feed-backed store: each call first looks for new feed files (a scan that concurrent
calls share), then answers from what the applied feeds said, kept in the feed state.

Product ids are product ids (a master's or a simple product's); a variant's id, SKU and stock
key are its own product id; locations are inventory lists (one deleted by a feed is inactive).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from daemon.connectors.feeds import FeedRecord, FeedState, FeedWrites
from daemon.connectors.sfcc.apply import (
    SEP,
    apply_catalog,
    apply_inventory,
    apply_pricebooks,
    key_of,
)
from daemon.connectors.sfcc.mapping import Parts, View, product_of, variant_ids
from daemon.connectors.sfcc.order_flow import apply_status
from daemon.connectors.sfcc.scan import Folders, Scanner
from daemon.connectors.sfcc.settings import SfccSettings
from daemon.connectors.sfcc.validation import Feed
from daemon.connectors.sfcc.webdav import WebDav
from daemon.domain.models import BadRecord, Location, Product, StockLevel, StoreInfo

PAGE = 200
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def view_of(settings: SfccSettings) -> View:
    return View(
        locale=settings.locale,
        site_id=settings.site_id,
        currency=settings.currency,
        list_book=settings.list_pricebook,
        sale_book=settings.sale_pricebook,
        view_type=settings.image_view_type,
        image_base_url=settings.image_base_url,
        attributes=settings.attributes,
    )


def folders_of(settings: SfccSettings) -> Folders:
    return Folders(
        by_feed={
            Feed.CATALOG: settings.catalog_folder,
            Feed.PRICEBOOK: settings.pricebook_folder,
            Feed.INVENTORY: settings.inventory_folder,
            Feed.ORDER_STATUS: settings.order_status_folder,
        },
        archive=settings.archive_folder,
        marker=settings.ready_marker,
        settle=settings.settle.total_seconds(),
        max_bytes=settings.max_file_mb * 1024 * 1024,
    )


class SfccStore:
    """`SourceStore` over the feeds (and the scanner the order side shares)."""

    platform = "sfcc"

    def __init__(self, settings: SfccSettings, dav: WebDav, state: FeedState) -> None:
        self._settings = settings
        self._view = view_of(settings)
        self._state = state
        self.dav = dav
        self.scanner = Scanner(dav, state, folders_of(settings), self._apply)

    async def _apply(self, feed: Feed, path: Path, writes: FeedWrites, when: datetime) -> int:
        if feed is Feed.CATALOG:
            return await apply_catalog(path, writes)
        if feed is Feed.PRICEBOOK:
            return await apply_pricebooks(
                path, writes, books=frozenset(self._view.books), currency=self._view.currency
            )
        if feed is Feed.INVENTORY:
            return await apply_inventory(path, writes)
        return await apply_status(path, writes, when)

    async def refresh(self) -> None:
        await self.scanner.refresh()

    async def store_info(self) -> StoreInfo:
        await self.refresh()
        host = urlsplit(self._settings.base_url).netloc
        return StoreInfo(self._settings.site_id, self._settings.currency, host)

    async def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]:
        await self.refresh()
        for refusal in await self._state.refusals():
            if updated_since is None or refusal.at >= updated_since:
                reason = f"feed file refused: {refusal.reason}"
                yield BadRecord("product", f"feed:{refusal.file.path}", reason)
        after = ""
        while True:
            page = await self._state.page(
                "product", after=after, limit=PAGE, updated_since=updated_since
            )
            if not page:
                return
            after = page[-1].key
            for item in await self._assemble(page):
                yield item

    async def _assemble(self, records: Sequence[FeedRecord]) -> list[Product | BadRecord]:
        owners = await self._state.get("owner", [r.key for r in records])
        masters = [
            r for r in records if r.key not in owners or owners[r.key].body["master"] == r.key
        ]
        wanted = {vid for r in masters for vid in variant_ids(r.body)}
        variants = {
            k: v
            for k, v in (await self._state.get("product", sorted(wanted))).items()
            if v.deleted_at is None
        }
        skus = [vid for r in masters for vid in (variant_ids(r.body) or [r.key])]
        prices = await self._state.get(
            "price", [key_of(book, sku) for book in self._view.books for sku in skus]
        )
        lists = await self._list_ids()
        stock = await self._state.get("stock", [key_of(lst, sku) for lst in lists for sku in skus])
        by_sku: dict[str, list[dict[str, object]]] = {}
        for key, record in stock.items():
            by_sku.setdefault(key.split(SEP, 1)[1], []).append(dict(record.body))
        return [
            product_of(
                self._view,
                Parts(
                    master=r,
                    variants=variants,
                    prices=prices,
                    stock=by_sku,
                ),
            )
            for r in masters
        ]

    async def product(self, product_id: str) -> Product | None:
        await self.refresh()
        record = (await self._state.get("product", [product_id])).get(product_id)
        if record is None or record.deleted_at is not None:
            return None
        found = await self._assemble([record])
        return found[0] if found and isinstance(found[0], Product) else None

    async def deleted_product_ids(self, since: datetime) -> list[str]:
        await self.refresh()
        deleted = await self._state.deleted_since("product", since)
        owners = await self._state.get("owner", [r.key for r in deleted])
        return [r.key for r in deleted if r.key not in owners]

    async def _lists(self) -> tuple[list[FeedRecord], list[FeedRecord]]:
        live: list[FeedRecord] = []
        after = ""
        while page := await self._state.page("list", after=after, limit=PAGE):
            live.extend(page)
            after = page[-1].key
        return live, await self._state.deleted_since("list", _EPOCH)

    async def _list_ids(self) -> list[str]:
        live, gone = await self._lists()
        return [r.key for r in [*live, *gone]]

    async def locations(self) -> list[Location]:
        await self.refresh()
        live, gone = await self._lists()
        return [
            *(Location(r.key, str(r.body.get("name") or r.key), active=True) for r in live),
            *(Location(r.key, str(r.body.get("name") or r.key), active=False) for r in gone),
        ]

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]:
        if not stock_keys:
            return []
        await self.refresh()
        keys = list(dict.fromkeys(stock_keys))
        lists = await self._list_ids()
        found = await self._state.get("stock", [key_of(lst, sku) for lst in lists for sku in keys])
        return [_level(key, record) for key, record in found.items()]

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        await self.refresh()
        levels: list[StockLevel] = []
        after = ""
        while page := await self._state.page("stock", after=after, limit=1000, updated_since=since):
            levels.extend(_level(record.key, record) for record in page)
            after = page[-1].key
        return levels


def _level(key: str, record: FeedRecord) -> StockLevel:
    list_id, sku = key.split(SEP, 1)
    return StockLevel(stock_key=sku, location_id=list_id, available=int(record.body["available"]))
