"""The simulated Magento store as a whole: its records, clock, faults and call log, and the
catalog and inventory changes every route and the neutral store control go through."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from aiohttp import web

from simulators.kit import CallLog, DeliveryPolicy, FaultInjector, SimClock, WebhookSender
from simulators.magento.config import MagentoSimulatorConfig
from simulators.magento.records import (
    DEFAULT_STOCK_ID,
    AttributeRec,
    InvoiceRec,
    OrderRec,
    ProductRec,
    ShipmentRec,
    SourceItemRec,
    SourceRec,
)

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_SLUG = re.compile(r"[^a-z0-9]+")


def fmt_time(moment: datetime) -> str:
    """Magento's timestamps: ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return moment.strftime(TIME_FORMAT)


class MagentoStore:
    """Everything one simulator instance holds; handlers reach it through `STORE`."""

    def __init__(self, config: MagentoSimulatorConfig) -> None:
        self.config = config
        self.clock = SimClock()
        self.faults = FaultInjector(config.fault_seed)
        self.calls = CallLog(self.clock)
        # Magento Open Source sends no webhooks; the kit's control routes still want a sender.
        self.webhooks = WebhookSender(
            clock=self.clock,
            policy=DeliveryPolicy(retry_delays_seconds=()),
            sign=lambda _: {},
            address=lambda _: None,
        )
        self.tokens: set[str] = {config.access_token}
        self.resources: set[str] = set(config.resources)
        self.stopping = asyncio.Event()
        self.base_url = ""
        self._ids: dict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self.products: dict[int, ProductRec] = {}
        self.attributes: dict[int, AttributeRec] = {}
        self.categories: dict[int, str] = {}
        self.sources: dict[str, SourceRec] = {}
        self.source_items: dict[tuple[str, str], SourceItemRec] = {}
        self._by_sku: dict[str, int] = {}  # SKU -> product id (Magento's SKUs are unique)
        self._items_by_sku: dict[str, dict[str, SourceItemRec]] = defaultdict(dict)
        self.orders: dict[int, OrderRec] = {}
        self.invoices: dict[int, InvoiceRec] = {}
        self.shipments: dict[int, ShipmentRec] = {}
        self.next_order_number = config.first_order_number
        for name in config.locations:
            self.add_source(name)

    def take(self, kind: str) -> int:
        return next(self._ids[kind])

    def now(self) -> datetime:
        return self.clock.moment()

    def tick(self) -> None:
        """Nothing falls due in Magento Open Source (no webhooks)."""

    # --- catalog --------------------------------------------------------------------------

    def by_sku(self, sku: str) -> ProductRec | None:
        product_id = self._by_sku.get(sku)
        return None if product_id is None else self.products.get(product_id)

    def items_of(self, sku: str) -> list[SourceItemRec]:
        """The source items of one SKU, at every source."""
        return list(self._items_by_sku.get(sku, {}).values())

    def save_item(self, item: SourceItemRec) -> None:
        self.source_items[item.sku, item.source_code] = item
        self._items_by_sku[item.sku][item.source_code] = item

    def attribute(self, label: str) -> AttributeRec:
        code = _SLUG.sub("_", label.lower()).strip("_") or "option"
        for known in self.attributes.values():
            if known.code == code:
                return known
        rec = AttributeRec(id=self.take("attribute") + 92, code=code, label=label)
        self.attributes[rec.id] = rec
        return rec

    def category(self, name: str) -> int:
        for category_id, known in self.categories.items():
            if known == name:
                return category_id
        category_id = self.take("category") + 2  # 1 root, 2 default category
        self.categories[category_id] = name
        return category_id

    def add_product(self, product: ProductRec) -> ProductRec:
        self.products[product.id] = product
        self._by_sku[product.sku] = product.id
        return product

    def touch(self, product: ProductRec) -> None:
        product.updated_at = self.now()

    def delete_product(self, product: ProductRec) -> None:
        """Deleting a configurable leaves its children; a SKU's source items go with it."""
        del self.products[product.id]
        self._by_sku.pop(product.sku, None)
        for parent in self.products.values():
            if product.id in parent.child_ids:
                parent.child_ids.remove(product.id)
        for item in self._items_by_sku.pop(product.sku, {}).values():
            del self.source_items[item.sku, item.source_code]

    # --- MSI ------------------------------------------------------------------------------

    def add_source(self, name: str, *, enabled: bool = True) -> SourceRec:
        base = _SLUG.sub("_", name.lower()).strip("_") or "source"
        code, n = base, 1
        while code in self.sources:
            n += 1
            code = f"{base}_{n}"
        source = SourceRec(code=code, name=name, enabled=enabled)
        self.sources[code] = source
        return source

    def set_quantity(self, sku: str, source_code: str, quantity: Decimal) -> SourceItemRec:
        """A source item's quantity; its status follows (in stock above zero), as the admin
        form and ``POST /V1/inventory/source-items`` callers usually set it."""
        item = SourceItemRec(sku, source_code, quantity, 1 if quantity > 0 else 0)
        self.save_item(item)
        return item

    def salable(self, sku: str, stock_id: int = DEFAULT_STOCK_ID) -> Decimal:
        """Quantities in stock at the enabled sources of the stock (every source is linked to
        the default stock); the simulator keeps no reservations (docs/SIMULATORS.md)."""
        del stock_id
        return sum(
            (
                item.quantity
                for item in self.items_of(sku)
                if item.status == 1 and self.sources[item.source_code].enabled
            ),
            Decimal(0),
        )

    def deduct(self, sku: str, source_code: str, qty: Decimal) -> None:
        """MSI's source deduction when a shipment leaves `source_code`."""
        item = self.source_items.get((sku, source_code))
        if item is not None:
            self.set_quantity(sku, source_code, item.quantity - qty)

    # --- orders ---------------------------------------------------------------------------

    def next_increment_id(self) -> str:
        taken = {order.increment_id for order in self.orders.values()}
        while True:
            candidate = f"{self.next_order_number:09d}"
            self.next_order_number += 1
            if candidate not in taken:
                return candidate


STORE = web.AppKey("magento_store", MagentoStore)


def store_of(request: web.Request) -> MagentoStore:
    return request.app[STORE]
