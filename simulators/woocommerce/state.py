"""The simulated store: catalog, orders and what changing them does (dates, stock, webhooks)."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from simulators.kit import CallLog, FaultInjector, SimClock
from simulators.woocommerce.auth import Keys
from simulators.woocommerce.config import WooSimulatorConfig
from simulators.woocommerce.errors import WooError
from simulators.woocommerce.records import PAID_STATUSES, Item, Note, Order, Tracking
from simulators.woocommerce.render import order_json, product_json, variation_json
from simulators.woocommerce.webhooks import WooWebhooks

REDUCED = "_reduced_stock"  # line item meta WooCommerce writes when it took the units


class Store:
    """Everything one simulator holds; handlers reach it through `STORE`."""

    def __init__(self, config: WooSimulatorConfig) -> None:
        self.config = config
        self.clock = SimClock()
        self.keys = Keys(config.consumer_key, config.consumer_secret, config.key_permissions)
        self.faults = FaultInjector(config.fault_seed)
        self.calls = CallLog(self.clock)
        self.webhooks = WooWebhooks(config, self.clock)
        self.stopping = asyncio.Event()
        self.base_url = ""
        self.items: dict[int, Item] = {}
        self.orders: dict[int, Order] = {}
        # Products, variations and orders all take WordPress post ids (with HPOS an order still
        # gets a placeholder post); the site has some posts already.
        self._post_ids = itertools.count(1000)
        self._child_ids = itertools.count(1)  # line items, notes, meta

    def now(self) -> datetime:
        return self.clock.moment()

    def tick(self) -> None:
        self.webhooks.sender.fire_due()

    # --- catalog ------------------------------------------------------------------------------

    def new_item(self, kind: str, name: str, parent: Item | None = None, **fields: Any) -> Item:
        now = self.now()
        item = Item(next(self._post_ids), kind, name, now, now, **fields)
        if parent is not None:
            item.parent_id = parent.id
            parent.variations.append(item.id)
        self.items[item.id] = item
        return item

    def product(self, product_id: int) -> Item | None:
        item = self.items.get(product_id)
        return item if item is not None and item.type != "variation" else None

    def variations(self, product: Item) -> list[Item]:
        return [self.items[v] for v in product.variations if v in self.items]

    def resource(self, item: Item) -> dict[str, Any]:
        if item.type == "variation":
            return variation_json(item, self.base_url)
        return product_json(item, self.variations(item), self.base_url)

    def touched(self, item: Item, *, created: bool = False) -> None:
        """A save: the item's own date moves (never its parent's) and ``product.*`` fires."""
        item.modified = self.now()
        topic = "product.created" if created else "product.updated"
        self.webhooks.emit(topic, item.id, self.resource(item))

    def delete(self, item: Item) -> None:
        for variation_id in item.variations:
            self.items.pop(variation_id, None)
        self.items.pop(item.id, None)
        if item.parent_id and item.parent_id in self.items:
            self.items[item.parent_id].variations.remove(item.id)
        self.webhooks.emit("product.deleted", item.id, {"id": item.id})

    def stock_item(self, product_id: int, variation_id: int) -> Item:
        """The product a line item names: the variation when given, else the product (which
        may be a variation's id too, as WooCommerce reads any product object by id)."""
        item = self.items.get(variation_id or product_id)
        if item is None or item.type == "variable" or not (product_id or variation_id):
            raise WooError(
                400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid."
            )
        return item

    def change_stock(self, item: Item, delta: int) -> None:
        if item.manage_stock:
            item.stock_quantity = (item.stock_quantity or 0) + delta
            self.touched(item)

    # --- orders -------------------------------------------------------------------------------

    def next_child_id(self) -> int:
        return next(self._child_ids)

    def add_order(self, order: Order) -> None:
        self.orders[order.id] = order

    def new_order_id(self) -> int:
        return next(self._post_ids)

    def set_status(self, order: Order, status: str) -> None:
        """A status transition, with what WooCommerce hooks to it: stock taken on a paid status
        (once per order, item by item unless already taken), given back on cancel."""
        if status == order.status:
            return
        order.status = status
        now = self.now()
        if status in PAID_STATUSES and not order.stock_reduced:
            self._reduce(order)
        if status == "cancelled" and order.stock_reduced:
            self._restore(order)
        if status == "completed":
            order.date_completed = now

    def _reduce(self, order: Order) -> None:
        for line in order.lines:
            if line.meta.get(REDUCED):
                continue
            item = self.items.get(line.variation_id or line.product_id)
            if item is None or not item.manage_stock:
                continue
            self.change_stock(item, -line.quantity)
            line.meta[REDUCED] = str(line.quantity)
        order.stock_reduced = True
        self.note(order, "Stock levels reduced.")

    def _restore(self, order: Order) -> None:
        for line in order.lines:
            taken = line.meta.pop(REDUCED, "")
            item = self.items.get(line.variation_id or line.product_id)
            if not taken or item is None or not item.manage_stock:
                continue
            self.change_stock(item, int(Decimal(taken)))
        order.stock_reduced = False
        self.note(order, "Stock levels increased.")

    def note(self, order: Order, text: str, *, customer: bool = False) -> Note:
        note = Note(self.next_child_id(), text, customer, self.now())
        order.notes.append(note)
        return note

    def track(self, order: Order, provider: str, number: str, shipped: str) -> Tracking:
        tracking_id = f"{order.id:x}{self.next_child_id():06x}"
        tracking = Tracking(tracking_id, provider, number, shipped, self.now())
        order.trackings.append(tracking)
        return tracking

    def order_saved(self, order: Order, *, created: bool = False) -> None:
        order.modified = self.now()
        topic = "order.created" if created else "order.updated"
        self.webhooks.emit(topic, order.id, order_json(order))
