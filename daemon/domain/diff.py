"""What must be sent to TikTok: desired quantities and prices against what was last pushed.

TikTok takes one inventory or price call per product, and an inventory call must list every
warehouse of each SKU in it. So a SKU counts as changed when any of its cells changed, and then
all its desired cells go out; a product with no changed SKU costs nothing.

Readings:

- Variants missing from `product_of` (not published or not linked) cannot be pushed: skipped.
- A pushed cell that is no longer desired (a rule dropped a warehouse) does not make a SKU
  changed by itself: the update carries only the desired warehouses.
- Prices compare by value and currency: 10.0 GBP equals 10.00 GBP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from daemon.domain.inventory import StockKey
from daemon.domain.models import Money


@dataclass(frozen=True)
class SkuQuantities:
    variant_id: str
    quantities: tuple[tuple[str, int], ...]  # (warehouse id, quantity), by warehouse id


@dataclass(frozen=True)
class InventoryUpdate:
    """One Update Inventory call: the changed SKUs of one product, each with all warehouses."""

    product_id: str
    skus: tuple[SkuQuantities, ...]  # by variant id


@dataclass(frozen=True)
class SkuPrice:
    variant_id: str
    price: Money


@dataclass(frozen=True)
class PriceUpdate:
    """One Update Price call: the changed SKUs of one product."""

    product_id: str
    skus: tuple[SkuPrice, ...]  # by variant id


def inventory_updates(
    desired: Mapping[StockKey, int],
    pushed: Mapping[StockKey, int],
    product_of: Mapping[str, str],
) -> tuple[InventoryUpdate, ...]:
    """The calls that bring TikTok from `pushed` to `desired`, ordered by product id.

    `product_of` maps a store variant id to the product it is published under (the key the
    caller uses for the call, typically the TikTok product id).
    """
    cells: dict[str, dict[str, int]] = {}
    for key, quantity in desired.items():
        if key.variant_id in product_of:
            cells.setdefault(key.variant_id, {})[key.warehouse_id] = quantity
    changed: dict[str, list[SkuQuantities]] = {}
    for variant_id in sorted(cells):
        warehouses = cells[variant_id]
        if all(pushed.get(StockKey(variant_id, w)) == q for w, q in warehouses.items()):
            continue
        sku = SkuQuantities(variant_id, tuple(sorted(warehouses.items())))
        changed.setdefault(product_of[variant_id], []).append(sku)
    return tuple(
        InventoryUpdate(product_id, tuple(changed[product_id])) for product_id in sorted(changed)
    )


def price_updates(
    desired: Mapping[str, Money],
    pushed: Mapping[str, Money],
    product_of: Mapping[str, str],
) -> tuple[PriceUpdate, ...]:
    """Only the SKUs whose price (amount or currency) changed, grouped per product."""
    changed: dict[str, list[SkuPrice]] = {}
    for variant_id in sorted(desired):
        price = desired[variant_id]
        if variant_id not in product_of or pushed.get(variant_id) == price:
            continue
        changed.setdefault(product_of[variant_id], []).append(SkuPrice(variant_id, price))
    return tuple(
        PriceUpdate(product_id, tuple(changed[product_id])) for product_id in sorted(changed)
    )


def inventory_after(
    pushed: Mapping[StockKey, int], updates: Iterable[InventoryUpdate]
) -> dict[StockKey, int]:
    """What TikTok holds once `updates` succeeded: the new "last pushed"."""
    result = dict(pushed)
    for update in updates:
        for sku in update.skus:
            for warehouse_id, quantity in sku.quantities:
                result[StockKey(sku.variant_id, warehouse_id)] = quantity
    return result


def prices_after(pushed: Mapping[str, Money], updates: Iterable[PriceUpdate]) -> dict[str, Money]:
    """What TikTok holds once `updates` succeeded."""
    result = dict(pushed)
    for update in updates:
        for sku in update.skus:
            result[sku.variant_id] = sku.price
    return result
