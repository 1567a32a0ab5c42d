"""Inventory levels: connect an item to a location, set or adjust what is available there."""

from __future__ import annotations

from datetime import datetime

from simulators.shopify.context import Shop
from simulators.shopify.errors import ApiError, invalid
from simulators.shopify.records import LevelRec
from simulators.shopify.render_catalog import render_level


def _check(shop: Shop, inventory_item_id: int, location_id: int) -> None:
    if inventory_item_id not in shop.state.items:
        raise invalid("inventory_item_id", "Inventory item does not exist")
    if location_id not in shop.state.locations:
        raise invalid("location_id", "Location does not exist")


def connect(
    shop: Shop, inventory_item_id: int, location_id: int, now: datetime | None = None
) -> LevelRec:
    """Stock the item at the location (0 available) unless it is stocked there already."""
    _check(shop, inventory_item_id, location_id)
    levels = shop.state.levels.setdefault(inventory_item_id, {})
    level = levels.get(location_id)
    if level is None:
        moment = now or shop.now()
        level = levels[location_id] = LevelRec(inventory_item_id, location_id, 0, moment)
    return level


def disconnect(shop: Shop, inventory_item_id: int, location_id: int) -> None:
    levels = shop.state.levels.get(inventory_item_id, {})
    if levels.pop(location_id, None) is None:
        raise ApiError(404, "Not Found")


def set_available(
    shop: Shop, inventory_item_id: int, location_id: int, available: int, *, notify: bool = True
) -> LevelRec:
    """``inventory_levels/set``: connects first when needed; untracked items are refused."""
    _check(shop, inventory_item_id, location_id)
    if not shop.state.items[inventory_item_id].tracked:
        raise ApiError(422, ["Inventory item does not have inventory tracking enabled"])
    level = connect(shop, inventory_item_id, location_id)
    level.available = available
    level.updated_at = shop.now()
    if notify:
        shop.webhooks.emit("inventory_levels/update", render_level(level, shop.zone))
    return level


def adjust_available(
    shop: Shop, inventory_item_id: int, location_id: int, delta: int, *, notify: bool = True
) -> LevelRec:
    """``inventory_levels/adjust`` and order decrements/restocks: the level must exist."""
    _check(shop, inventory_item_id, location_id)
    level = shop.state.levels.get(inventory_item_id, {}).get(location_id)
    if level is None:
        raise invalid("location_id", "Inventory item is not stocked at the location")
    level.available += delta
    level.updated_at = shop.now()
    if notify:
        shop.webhooks.emit("inventory_levels/update", render_level(level, shop.zone))
    return level
