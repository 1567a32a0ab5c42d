"""The simulated merchant's side of an SFCC instance: the catalog, price book, inventory
lists and imported orders its jobs know, and the files those jobs write on the WebDAV disk.

Every change the neutral control asks for is exported as the storefront's jobs would: a
delta catalog feed, a price book, an inventory list or a shipping-order status feed, each a
new file named in sequence (so name order is write order) with a marker file beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import structlog

from simulators.kit import SimClock
from simulators.sfcc import feeds
from simulators.sfcc.config import SfccSimulatorConfig

log = structlog.get_logger(__name__)


@dataclass
class SimVariant:
    id: str  # the variant's product id
    sku: str  # the SKU the neutral control names it by
    price: Decimal
    stock: dict[str, int] = field(default_factory=dict)  # by inventory list
    tracked: bool = True
    backorders: bool = False
    options: dict[str, str] = field(default_factory=dict)
    barcode: str | None = None
    weight_kg: Decimal | None = None


@dataclass
class SimProduct:
    id: str
    title: str
    description: str
    published: bool
    images: list[str]
    category: str | None
    variant_ids: list[str]  # a simple product's only variant is itself
    master: bool
    deleted: bool = False


@dataclass
class SimOrder:
    order_no: str
    reference: str | None
    lines: list[tuple[str, int]]  # (product id, quantity)
    took_stock: bool
    cancelled: bool = False
    marketplace_status: str | None = None
    shipments: list[tuple[str | None, str | None]] = field(default_factory=list)


@dataclass
class SimList:
    name: str
    deleted: bool = False


class Merchant:
    def __init__(self, config: SfccSimulatorConfig, root: Path, clock: SimClock) -> None:
        self.config = config
        self.root = root
        self.clock = clock
        self.products: dict[str, SimProduct] = {}
        self.variants: dict[str, SimVariant] = {}
        self.lists = {list_id_of(name): SimList(name) for name in config.locations}
        self.orders: dict[str, SimOrder] = {}
        self.revoked: set[str] = set()
        self.alert: Callable[[str], None] = lambda _: None  # after each export, its path
        self._sequence = 0
        self._ids = 0
        for folder in self.folders:
            (root / folder).mkdir(parents=True, exist_ok=True)
        self.export_stock([], list(self.lists))  # the lists, before any record

    @property
    def folders(self) -> tuple[str, ...]:
        c = self.config
        return (
            c.catalog_folder,
            c.pricebook_folder,
            c.inventory_folder,
            c.order_status_folder,
            c.orders_folder,
        )

    def take_id(self) -> int:
        self._ids += 1
        return self._ids

    def unique_id(self, wanted: str) -> str:
        """`wanted` as a product id, or a numbered one when it is taken."""
        found = wanted
        while found in self.variants or found in self.products:
            found = f"{wanted}-{self.take_id()}"
        return found

    # --- files ----------------------------------------------------------------------------

    def drop(self, folder: str, kind: str, content: bytes) -> str:
        """Write one export file (whole, then its marker); its path under ``Sites/``."""
        self._sequence += 1
        name = f"{folder}/{self._sequence:08d}_{kind}.xml"
        target = self.root / name
        partial = target.with_name("." + target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)
        if self.config.markers:
            (self.root / (name + self.config.marker_suffix)).write_bytes(b"")
        log.debug("sfcc_sim_export", file=name, size=len(content))
        self.alert(name)
        return name

    def export_catalog(self, products: list[feeds.CatalogProduct]) -> None:
        if products:
            content = feeds.catalog(self.config.catalog_id, products)
            self.drop(self.config.catalog_folder, "catalog", content)

    def export_prices(self, variants: list[SimVariant]) -> None:
        if variants:
            prices = {v.id: v.price for v in variants}
            content = feeds.pricebook(self.config.list_pricebook, self.config.currency, prices)
            self.drop(self.config.pricebook_folder, "pricebook", content)

    def export_stock(self, variants: list[SimVariant], lists: list[str] | None = None) -> None:
        wanted = lists if lists is not None else list(self.lists)
        blocks: dict[str, tuple[str, bool, list[feeds.StockRecord]]] = {}
        for list_id in wanted:
            records = [
                feeds.StockRecord(v.id, v.stock[list_id], not v.tracked, v.backorders)
                for v in variants
                if list_id in v.stock
            ]
            held = self.lists[list_id]
            if records or lists is not None:
                blocks[list_id] = (held.name, held.deleted, records)
        if blocks:
            self.drop(self.config.inventory_folder, "inventory", feeds.inventory(blocks))

    def export_status(self, updates: list[feeds.StatusUpdate]) -> None:
        content = feeds.status_feed(updates, self.clock.moment())
        self.drop(self.config.order_status_folder, "order-status", content)

    def move_stock(self, order: SimOrder, sign: int) -> None:
        """Take (-1) or give back (+1) an order's units at the first list holding each."""
        changed: list[SimVariant] = []
        for product_id, quantity in order.lines:
            variant = self.variants.get(product_id)
            if variant is None or not variant.stock:
                continue
            variant.stock[next(iter(variant.stock))] += sign * quantity
            changed.append(variant)
        self.export_stock(changed)

    # --- the catalog as product elements --------------------------------------------------

    def elements(self, product: SimProduct) -> list[feeds.CatalogProduct]:
        """The product's elements: a simple product, or a master and its variants."""
        base = self.config.image_path.rstrip("/")
        images = [
            image if image.startswith("/cdn/") else f"{base}/{image}" for image in product.images
        ]
        if not product.master:
            variant = self.variants[product.variant_ids[0]]
            return [
                feeds.CatalogProduct(
                    product.id,
                    name=product.title,
                    description=product.description,
                    ean=variant.barcode,
                    online=product.published,
                    images=images,
                    category=product.category,
                    custom=_custom(variant),
                )
            ]
        variants = [self.variants[vid] for vid in product.variant_ids]
        axes: dict[str, list[str]] = {}
        for variant in variants:
            for name, value in variant.options.items():
                axes.setdefault(name, [])
                if value not in axes[name]:
                    axes[name].append(value)
        master = feeds.CatalogProduct(
            product.id,
            name=product.title,
            description=product.description,
            online=product.published,
            images=images,
            category=product.category,
            variation=axes,
            variants=product.variant_ids,
        )
        return [
            master,
            *(
                feeds.CatalogProduct(
                    v.id,
                    name=f"{product.title} - {' / '.join(v.options.values()) or v.sku}",
                    ean=v.barcode,
                    online=product.published,
                    custom={**v.options, **_custom(v)},
                )
                for v in variants
            ),
        ]


def list_id_of(name: str) -> str:
    """An inventory list id for a location name ("North" -> "north")."""
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_") or "list"


def _custom(variant: SimVariant) -> dict[str, str]:
    return {} if variant.weight_kg is None else {"weight": str(variant.weight_kg)}
