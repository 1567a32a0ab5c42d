"""All simulated shop data, with the indexes that keep listing and lookups cheap."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

from simulators.shopify.records import (
    EventRec,
    FulfillmentOrderRec,
    FulfillmentRec,
    InventoryItemRec,
    LevelRec,
    LocationRec,
    OrderRec,
    ProductRec,
    VariantRec,
)

# Separate id ranges per kind so that no two kinds share ids (a variant id is never its
# inventory item id, unlike in Shopify's own fixtures).
_ID_BASES = {
    "product": 7_000_000_000,
    "variant": 40_000_000_000,
    "inventory_item": 42_000_000_000,
    "image": 30_000_000_000,
    "option": 9_000_000_000,
    "location": 60_000_000,
    "event": 100_000_000,
    "order": 5_000_000_000,
    "line_item": 13_000_000_000,
    "fulfillment_order": 6_000_000_000,
    "fulfillment_order_line": 14_000_000_000,
    "fulfillment": 4_000_000_000,
    "customer": 2_000_000_000,
    "transaction": 3_000_000_000,
}


class IdAllocator:
    """Monotonic ids per kind; an explicit id pushes the counter past it."""

    def __init__(self) -> None:
        self._next = {kind: base + 1 for kind, base in _ID_BASES.items()}

    def take(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value

    def claim(self, kind: str, value: int) -> int:
        self._next[kind] = max(self._next[kind], value + 1)
        return value


class SortedIds:
    """Ids in ascending order with O(log n) insertion point and removal by bisection."""

    def __init__(self) -> None:
        self._ids: list[int] = []

    def add(self, value: int) -> None:
        if not self._ids or value > self._ids[-1]:
            self._ids.append(value)
        else:
            bisect.insort(self._ids, value)

    def remove(self, value: int) -> None:
        index = bisect.bisect_left(self._ids, value)
        if index < len(self._ids) and self._ids[index] == value:
            del self._ids[index]

    def after(self, anchor: int | None) -> Iterator[int]:
        start = 0 if anchor is None else bisect.bisect_right(self._ids, anchor)
        for index in range(start, len(self._ids)):
            yield self._ids[index]

    def before(self, anchor: int) -> Iterator[int]:
        for index in range(bisect.bisect_left(self._ids, anchor) - 1, -1, -1):
            yield self._ids[index]

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class ShopState:
    """The shop's data. Mutations go through the domain modules, which keep indexes in step."""

    ids: IdAllocator = field(default_factory=IdAllocator)
    base_url: str | None = None  # where the simulator listens, once started (CDN image URLs)
    products: dict[int, ProductRec] = field(default_factory=dict)
    handles: set[str] = field(default_factory=set)
    product_order: SortedIds = field(default_factory=SortedIds)
    variants: dict[int, VariantRec] = field(default_factory=dict)
    items: dict[int, InventoryItemRec] = field(default_factory=dict)
    item_order: SortedIds = field(default_factory=SortedIds)
    # inventory item id → location id → level
    levels: dict[int, dict[int, LevelRec]] = field(default_factory=dict)
    locations: dict[int, LocationRec] = field(default_factory=dict)
    events: dict[int, EventRec] = field(default_factory=dict)
    event_order: SortedIds = field(default_factory=SortedIds)
    orders: dict[int, OrderRec] = field(default_factory=dict)
    order_order: SortedIds = field(default_factory=SortedIds)
    fulfillment_orders: dict[int, FulfillmentOrderRec] = field(default_factory=dict)
    fulfillments: dict[int, FulfillmentRec] = field(default_factory=dict)
    next_order_number: int = 1001

    def product_of_item(self, inventory_item_id: int) -> ProductRec | None:
        item = self.items.get(inventory_item_id)
        if item is None:
            return None
        variant = self.variants.get(item.variant_id)
        return None if variant is None else self.products.get(variant.product_id)

    def available_total(self, inventory_item_id: int) -> int:
        return sum(level.available for level in self.levels.get(inventory_item_id, {}).values())

    def active_location_ids(self) -> list[int]:
        return sorted(loc.id for loc in self.locations.values() if loc.active)
