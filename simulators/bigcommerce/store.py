"""One simulated store: its records, clock, faults, call log, rate window and webhooks.

Every change goes through the methods here, so the platform's own side effects follow it:
``date_modified`` moves, stock is taken and returned by orders, callbacks are emitted.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from decimal import Decimal

from aiohttp import web

from simulators.bigcommerce.config import BigCommerceSimulatorConfig
from simulators.bigcommerce.errors import ApiError
from simulators.bigcommerce.records import (
    CANCELLED,
    PARTIALLY_SHIPPED,
    RELEASED,
    SHIPPED,
    Location,
    Order,
    Product,
    Shipment,
    Variant,
)
from simulators.bigcommerce.webhooks import Hooks
from simulators.kit import CallLog, FaultInjector, SimClock

#: The first location's id (later ones count up from it).
FIRST_LOCATION_ID = 101
#: Products, variants and everything else count from here: ids of one length sort alike as
#: text and as numbers.
FIRST_ID = 100_000

STORE: web.AppKey[Store] = web.AppKey("bigcommerce_store")


@dataclass
class RateWindow:
    """BigCommerce's fixed window: `quota` calls per `window_ms`, on real time."""

    quota: int
    window_ms: int
    started: float = field(default_factory=time.monotonic)
    used: int = 0

    def take(self) -> tuple[bool, int, int]:
        """Count one call: (allowed, requests left, ms until the window resets)."""
        now = time.monotonic()
        if (now - self.started) * 1000 >= self.window_ms:
            self.started, self.used = now, 0
        reset_ms = max(0, int(self.window_ms - (now - self.started) * 1000))
        if self.used >= self.quota:
            return False, 0, reset_ms
        self.used += 1
        return True, self.quota - self.used, reset_ms


class Store:
    def __init__(self, config: BigCommerceSimulatorConfig) -> None:
        self.config = config
        self.clock = SimClock()
        self.faults = FaultInjector(seed=config.fault_seed)
        self.calls = CallLog(self.clock)
        self.hooks = Hooks(config, self.clock)
        self.stopping = asyncio.Event()
        self.tokens: dict[str, frozenset[str]] = {config.access_token: frozenset(config.scopes)}
        self.window = RateWindow(config.requests_quota, config.window_ms)
        self.products: dict[int, Product] = {}
        self.variants: dict[int, Variant] = {}
        self.locations: dict[int, Location] = {}
        self.levels: dict[int, dict[int, int]] = {}  # variant id -> location id -> on hand
        # Units that may be sold beyond stock (BigCommerce's backorders), by the same key.
        self.backorder_limits: dict[tuple[int, int], int] = {}
        self.orders: dict[int, Order] = {}
        self.categories: dict[int, str] = {}
        self.ids = itertools.count(FIRST_ID)
        self.order_ids = itertools.count(config.first_order_id)
        self.base_url = ""
        now = self.clock.now()
        for name in config.locations:
            self.add_location(name, enabled=True, at=now)

    def tick(self) -> None:
        self.hooks.sender.fire_due()

    def next_id(self) -> int:
        return next(self.ids)

    @property
    def default_location(self) -> int:
        return min(self.locations)

    # --- catalog -----------------------------------------------------------------------

    def add_location(self, label: str, *, enabled: bool, at: float | None = None) -> Location:
        moment = self.clock.now() if at is None else at
        location_id = FIRST_LOCATION_ID + len(self.locations)
        code = f"LOC{location_id}"
        location = Location(location_id, code, label, enabled, moment, moment)
        self.locations[location_id] = location
        return location

    def category_id(self, name: str) -> int:
        """The category called `name`, made when it is new (the merchant's category tree)."""
        for category_id, known in self.categories.items():
            if known == name:
                return category_id
        category_id = self.next_id()
        self.categories[category_id] = name
        return category_id

    def add_product(self, product: Product) -> None:
        self.products[product.id] = product
        for variant in product.variants:
            self.variants[variant.id] = variant
        self.hooks.emit("store/product/created", {"type": "product", "id": product.id})

    def touch(self, product: Product) -> None:
        product.date_modified = self.clock.now()
        self.hooks.emit("store/product/updated", {"type": "product", "id": product.id})

    def delete_product(self, product_id: int) -> None:
        product = self.products.pop(product_id)
        for variant in product.variants:
            self.variants.pop(variant.id, None)
            self.levels.pop(variant.id, None)
        self.hooks.emit("store/product/deleted", {"type": "product", "id": product_id})

    def set_level(self, variant_id: int, location_id: int, quantity: int) -> None:
        """Stock at one location, as an absolute adjustment makes it."""
        self._move(variant_id, location_id, quantity, "absolute", quantity)

    def adjust_level(self, variant_id: int, location_id: int, delta: int) -> None:
        now = self.levels.get(variant_id, {}).get(location_id, 0)
        self._move(variant_id, location_id, now + delta, "relative", delta)

    def _move(
        self, variant_id: int, location_id: int, quantity: int, method: str, value: int
    ) -> None:
        self.levels.setdefault(variant_id, {})[location_id] = quantity
        variant = self.variants[variant_id]
        product = self.products[variant.product_id]
        # A stock change is a change of the product: polling by date_modified sees it.
        product.date_modified = self.clock.now()
        inventory = {
            "product_id": product.id,
            "variant_id": variant_id,
            "method": method,
            "value": value,
        }
        self.hooks.emit(
            "store/sku/inventory/updated",
            {"type": "sku", "id": variant.sku_id, "inventory": inventory},
        )

    def on_hand(self, variant_id: int) -> int:
        return sum(self.levels.get(variant_id, {}).values())

    def tracked(self, variant_id: int) -> bool:
        variant = self.variants.get(variant_id)
        if variant is None:
            return False
        return self.products[variant.product_id].inventory_tracking != "none"

    # --- orders ------------------------------------------------------------------------

    def check_stock(self, order: Order) -> None:
        """BigCommerce refuses (409) an order whose tracked catalog lines want more than the
        channel's location has, plus its backorder limit (none by default)."""
        location = self.default_location
        wanted: dict[int, int] = {}
        for line in order.products:
            variant = self.variants.get(line.variant_id or 0)
            if variant is None or not self.tracked(variant.id):
                continue
            if self.products[variant.product_id].availability == "preorder":
                continue  # a preorder product sells without stock
            wanted[variant.id] = wanted.get(variant.id, 0) + line.quantity
        errors = []
        for variant_id, quantity in sorted(wanted.items()):
            available = self.levels.get(variant_id, {}).get(location, 0)
            limit = self.backorder_limits.get((variant_id, location), 0)
            if quantity > available + limit:
                errors.append(
                    {
                        "type": "OutOfStock",
                        "message": (
                            f"Insufficient stock of variant(id: {variant_id}), available stock: "
                            f"{available}, available quantity for backorder: {limit}. order(id: "
                            f"), channel(id: {order.channel_id}), location(id: {location})."
                        ),
                        "variant_id": variant_id,
                        "location_id": location,
                        "available_quantity": available,
                        "available_quantity_for_backorder": limit,
                    }
                )
        if errors:
            raise ApiError(
                409,
                "Quantities of one or more products are out of stock or did not meet quantity "
                "requirements.",
                details={"errors": errors},
            )

    def place(self, order: Order) -> None:
        """A new order: its catalog lines take stock from the default location."""
        self.check_stock(order)
        self.orders[order.id] = order
        for line in order.products:
            if line.variant_id is not None and self.tracked(line.variant_id):
                self.adjust_level(line.variant_id, self.default_location, -line.quantity)
                line.stock_taken = line.quantity
        self.hooks.emit("store/order/created", {"type": "order", "id": order.id})

    def set_status(self, order: Order, status_id: int) -> None:
        previous = order.status_id
        if previous == status_id:
            return
        order.status_id = status_id
        order.date_modified = self.clock.now()
        if status_id in RELEASED and previous not in RELEASED:
            self._restock(order)
        status = {"previous_status_id": previous, "new_status_id": status_id}
        self.hooks.emit(
            "store/order/statusUpdated", {"type": "order", "id": order.id, "status": status}
        )

    def _restock(self, order: Order) -> None:
        for line in order.products:
            if line.stock_taken and line.variant_id in self.variants:
                self.adjust_level(line.variant_id, self.default_location, line.stock_taken)
                line.stock_taken = 0

    def touch_order(self, order: Order) -> None:
        order.date_modified = self.clock.now()
        self.hooks.emit("store/order/updated", {"type": "order", "id": order.id})

    def ship(self, order: Order, shipment: Shipment) -> None:
        order.shipments.append(shipment)
        for line_id, quantity in shipment.items:
            for line in order.products:
                if line.id == line_id:
                    line.quantity_shipped += quantity
        done = all(line.quantity_shipped >= line.quantity for line in order.products)
        order.date_shipped = self.clock.now()
        self.set_status(order, SHIPPED if done else PARTIALLY_SHIPPED)
        self.touch_order(order)

    def cancel(self, order: Order) -> None:
        self.set_status(order, CANCELLED)


def money(value: Decimal) -> str:
    """V2 money: a decimal string with four places (``"12.0000"``)."""
    return f"{value:.4f}"
