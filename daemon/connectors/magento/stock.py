"""Reading stock: MSI source items (per source) or the stock's salable quantity (per SKU).

Source items carry no change time, so `changes` reads them all (a few large pages) and
compares them with the previous read: a level is stamped with the time of the read that first
saw its value (the later of the server's ``Date`` and the local clock), and `changes(since)`
answers the levels stamped at or after `since`. A level first seen by this process counts as
changed at that read, so after a restart everything is answered once and the inventory job's
own diff against the ledger keeps what really moved. In salable mode the SKUs to read are
those whose source items moved plus those on orders updated since (reservations move only
with orders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import structlog

from daemon.connectors.magento.mapping import level_from_wire
from daemon.connectors.magento.models import OrderWire, SourceItemWire, magento_time
from daemon.connectors.magento.rest import Filter, Rest, parse_body
from daemon.connectors.magento.settings import MagentoSettings
from daemon.domain.models import Location, StockLevel
from daemon.errors import FatalError

log = structlog.get_logger(__name__)

_SKU_BATCH = 100


def sku_filters(skus: Sequence[str]) -> list[list[Filter]]:
    """One ``in`` filter per batch; a SKU holding a comma cannot sit in an ``in`` list and is
    asked for alone with ``eq``."""
    plain = [s for s in skus if "," not in s]
    groups = [
        [("sku", ",".join(plain[n : n + _SKU_BATCH]), "in")]
        for n in range(0, len(plain), _SKU_BATCH)
    ]
    groups.extend([("sku", s, "eq")] for s in skus if "," in s)
    return groups


@dataclass
class _Seen:
    available: int
    stamp: datetime


@dataclass
class StockReader:
    rest: Rest
    settings: MagentoSettings
    _seen: dict[tuple[str, str], _Seen] = field(default_factory=dict)
    _salable: dict[str, _Seen] = field(default_factory=dict)

    @property
    def salable_mode(self) -> bool:
        return self.settings.stock_quantity == "salable"

    @property
    def stock_location(self) -> Location:
        stock_id = self.settings.stock_id
        return Location(id=f"stock-{stock_id}", name=f"Stock {stock_id}", active=True)

    async def source_levels(self, skus: Sequence[str]) -> list[StockLevel]:
        levels: dict[tuple[str, str], StockLevel] = {}
        for group in sku_filters(list(dict.fromkeys(skus))):
            async for items, _ in self.rest.search(
                ["inventory", "source-items"], [group], endpoint="source_items.list"
            ):
                for raw in items:
                    level = level_from_wire(parse_body(SourceItemWire, raw, "source_items.list"))
                    levels[level.stock_key, level.location_id] = level
        return list(levels.values())

    async def levels(self, skus: Sequence[str]) -> list[StockLevel]:
        if not self.salable_mode:
            return await self.source_levels(skus)
        return [level for sku in dict.fromkeys(skus) if (level := await self._salable_level(sku))]

    async def _salable_level(self, sku: str) -> StockLevel | None:
        try:
            answer = await self.rest.get(
                ["inventory", "get-product-salable-quantity", sku, str(self.settings.stock_id)],
                endpoint="salable.get",
            )
        except FatalError as exc:
            log.warning("magento_salable_unreadable", sku=sku, reason=str(exc))
            return None
        quantity = answer.body
        if isinstance(quantity, bool) or not isinstance(quantity, int | float):
            raise FatalError("salable.get: the answer is not a number")
        return StockLevel(sku, self.stock_location.id, int(Decimal(str(quantity))))

    async def _read_all(self) -> tuple[list[StockLevel], datetime | None]:
        levels: list[StockLevel] = []
        last: datetime | None = None
        async for items, when in self.rest.search(
            ["inventory", "source-items"], [], endpoint="source_items.all"
        ):
            last = when if last is None or when > last else last
            levels.extend(
                level_from_wire(parse_body(SourceItemWire, raw, "source_items.all"))
                for raw in items
            )
        return levels, last

    async def changes(self, since: datetime | None) -> list[StockLevel]:
        levels, read_at = await self._read_all()
        current = {(level.stock_key, level.location_id): level for level in levels}
        # The later of the server's clock and ours: a server running behind cannot hide a
        # change from a window on our clock, nor ours one on the server's.
        stamp = max(read_at or datetime.now(UTC), datetime.now(UTC))
        for key, known in list(self._seen.items()):
            if key in current:
                continue
            if known.available == 0:
                del self._seen[key]
            else:  # the source was unassigned from the SKU: nothing sells there now
                current[key] = StockLevel(key[0], key[1], 0)
        moved: list[StockLevel] = []
        for key, level in current.items():
            seen = self._seen.get(key)
            if seen is None or seen.available != level.available:
                seen = _Seen(level.available, stamp)
                self._seen[key] = seen
            if since is None or seen.stamp >= since:
                moved.append(level)
        if not self.salable_mode:
            return moved
        every = {level.stock_key for level in levels}
        skus = every if since is None else {level.stock_key for level in moved}
        if since is not None:
            skus |= await self._ordered_skus(since)
        return await self.levels(sorted(skus))

    async def _ordered_skus(self, since: datetime) -> set[str]:
        skus: set[str] = set()
        async for items, _ in self.rest.search(
            ["orders"], [[("updated_at", magento_time(since), "gteq")]], endpoint="orders.stock"
        ):
            for raw in items:
                skus.update(item.sku for item in parse_body(OrderWire, raw, "orders.stock").items)
        return skus
