"""Desired TikTok quantity per (store variant, TikTok warehouse) (DOMAIN.md section 4).

1. Sum available stock over the store locations mapped to the warehouse.
2. Apply the percentage and round down.
3. Subtract the safety buffer; at or below the out-of-stock threshold, send 0.
4. Clamp to [0, platform maximum].
5. Untracked, or sells when out of stock: send the platform maximum.

Readings where the sources are silent:

- A rule names store locations by id or by name. ``"*"`` means every active location.
  Inactive locations never count, even when a rule names them; unmapped locations are ignored.
- A location that appears in several rules for the same warehouse counts once.
- Negative availability at a location (the store oversold there) is summed as it is, like the
  store's own total: under-selling is safer than overselling.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import NamedTuple

from daemon.domain.models import Location, Product, StockLevel, Variant

ALL_ACTIVE_LOCATIONS = "*"
DEFAULT_MAX_QUANTITY = 99_999  # TikTok's current cap, not the older 999,999 (DOMAIN.md 11.9)
_HUNDRED = Decimal(100)


class StockKey(NamedTuple):
    """One TikTok inventory cell: a store variant in a TikTok warehouse."""

    variant_id: str
    warehouse_id: str


@dataclass(frozen=True)
class WarehouseRule:
    """Store locations (ids or names, or ``"*"``) whose stock feeds one TikTok warehouse."""

    locations: tuple[str, ...]
    warehouse_id: str

    def __post_init__(self) -> None:
        if not self.locations:
            raise ValueError("a warehouse rule needs at least one location (or '*')")
        if not self.warehouse_id:
            raise ValueError("a warehouse rule needs a TikTok warehouse id")


@dataclass(frozen=True)
class InventoryRules:
    percentage: Decimal = _HUNDRED
    safety_buffer: int = 0
    out_of_stock_threshold: int = 0
    max_quantity: int = DEFAULT_MAX_QUANTITY
    warehouses: tuple[WarehouseRule, ...] = ()

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.percentage <= _HUNDRED:
            raise ValueError(f"percentage must be between 0 and 100, got {self.percentage}")
        if self.safety_buffer < 0 or self.out_of_stock_threshold < 0:
            raise ValueError("safety buffer and out-of-stock threshold cannot be negative")
        if self.max_quantity < 1:
            raise ValueError(f"max_quantity must be at least 1, got {self.max_quantity}")


def default_warehouse_rules(default_warehouse_id: str) -> tuple[WarehouseRule, ...]:
    """When no rule is configured: every active location feeds the shop's default warehouse."""
    return (WarehouseRule((ALL_ACTIVE_LOCATIONS,), default_warehouse_id),)


def rules_problems(rules: Iterable[WarehouseRule], locations: Sequence[Location]) -> list[str]:
    """Configuration mistakes worth telling the merchant about (never raised)."""
    problems: list[str] = []
    feeds: dict[str, set[str]] = {}
    for rule in rules:
        problems.extend(
            f"location {name!r} in the rule for warehouse {rule.warehouse_id} "
            "is not a store location"
            for name in rule.locations
            if name != ALL_ACTIVE_LOCATIONS and not _named(name, locations)
        )
        for location_id in location_ids_for(rule, locations):
            feeds.setdefault(location_id, set()).add(rule.warehouse_id)
    for location_id, warehouses in sorted(feeds.items()):
        if len(warehouses) > 1:
            problems.append(
                f"location {location_id} feeds several warehouses ({', '.join(sorted(warehouses))})"
                ": its stock is offered more than once and may oversell"
            )
    return problems


def _named(name: str, locations: Sequence[Location]) -> list[Location]:
    wanted = name.strip().casefold()
    return [loc for loc in locations if loc.id == name or loc.name.strip().casefold() == wanted]


def location_ids_for(rule: WarehouseRule, locations: Sequence[Location]) -> frozenset[str]:
    """The active store locations a rule takes stock from."""
    chosen: set[str] = set()
    for name in rule.locations:
        matches = locations if name == ALL_ACTIVE_LOCATIONS else _named(name, locations)
        chosen.update(loc.id for loc in matches if loc.active)
    return frozenset(chosen)


def warehouse_sources(
    rules: Iterable[WarehouseRule], locations: Sequence[Location]
) -> dict[str, frozenset[str]]:
    """Warehouse id → the active location ids feeding it (rules for one warehouse merge)."""
    sources: dict[str, frozenset[str]] = {}
    for rule in rules:
        merged = sources.get(rule.warehouse_id, frozenset()) | location_ids_for(rule, locations)
        sources[rule.warehouse_id] = merged
    return sources


def quantity_from_stock(available: int, rules: InventoryRules) -> int:
    """Steps 2-4 for a tracked item: percentage (round down), buffer, threshold, clamp."""
    share = (Decimal(available) * rules.percentage / _HUNDRED).to_integral_value(ROUND_FLOOR)
    after_buffer = int(share) - rules.safety_buffer
    if after_buffer <= rules.out_of_stock_threshold:
        return 0
    return min(after_buffer, rules.max_quantity)


def sells_without_stock(variant: Variant) -> bool:
    """True when the store does not limit sales by stock, so TikTok gets the maximum."""
    return not variant.tracked or variant.continue_selling


def desired_quantity(variant: Variant, available: int, rules: InventoryRules) -> int:
    """The quantity to show on TikTok for one variant in one warehouse (steps 2-5)."""
    if sells_without_stock(variant):
        return rules.max_quantity
    return quantity_from_stock(available, rules)


def available_by_location(levels: Iterable[StockLevel]) -> dict[tuple[str, str], int]:
    """(inventory item id, location id) → units available; repeated rows add up."""
    table: dict[tuple[str, str], int] = {}
    for level in levels:
        key = (level.stock_key, level.location_id)
        table[key] = table.get(key, 0) + level.available
    return table


def desired_quantities(
    product: Product,
    levels: Iterable[StockLevel],
    locations: Sequence[Location],
    rules: InventoryRules,
) -> dict[StockKey, int]:
    """Every (variant, warehouse) of a product with its desired quantity.

    Each variant gets a quantity for every warehouse the rules name, zero included, because
    TikTok wants all warehouses of a SKU in each inventory update.
    """
    stock = available_by_location(levels)
    sources = warehouse_sources(rules.warehouses, locations)
    desired: dict[StockKey, int] = {}
    for variant in product.variants:
        for warehouse_id, location_ids in sources.items():
            available = _summed(stock, variant.stock_key, location_ids)
            desired[StockKey(variant.id, warehouse_id)] = desired_quantity(
                variant, available, rules
            )
    return desired


def _summed(
    stock: Mapping[tuple[str, str], int], item_id: str | None, location_ids: frozenset[str]
) -> int:
    if item_id is None:
        return 0
    return sum(stock.get((item_id, location_id), 0) for location_id in location_ids)
