"""The kit's neutral store API on the WooCommerce simulator.

WooCommerce core keeps one stock figure per product or variation: the store has one location
(the seed's first), and a stock level for any other location is refused (409). A product with
one variant whose options are empty is a ``simple`` product; any other is ``variable``, its
variants being variations. Published means status ``publish`` (else ``draft``).
"""

from __future__ import annotations

from collections.abc import Sequence

from simulators.kit import (
    ControlError,
    CreatedProduct,
    CreatedVariant,
    Location,
    PriceChange,
    ProductSpec,
    StockLevel,
    StoreControl,
    StoreOrder,
    VariantSpec,
    bad_request,
    not_found,
)
from simulators.kit.store import OrderLine, Shipment
from simulators.woocommerce.generate import generate
from simulators.woocommerce.records import Item, Order
from simulators.woocommerce.state import Store

LOCATION_ID = "default"
HTTP_CONFLICT = 409


class WooStoreControl(StoreControl):
    def __init__(self, store: Store) -> None:
        self._store = store

    def _location(self) -> Location:
        return Location(LOCATION_ID, self._store.config.locations[0])

    async def locations(self) -> Sequence[Location]:
        return [self._location()]

    def _check_location(self, location: str, field: str) -> None:
        if location != LOCATION_ID:
            raise not_found(f"no location {location!r} (WooCommerce keeps stock at one)", field)

    def _stock_of(self, variant: VariantSpec, field: str) -> int | None:
        for n, level in enumerate(variant.stock):
            self._check_location(level.location, f"{field}.stock[{n}].location")
        if not variant.tracked:
            return None
        return sum(level.available for level in variant.stock)

    def _fill(self, item: Item, variant: VariantSpec) -> None:
        quantity = self._stock_of(variant, "variant")
        item.sku = variant.sku
        item.regular_price = str(variant.price)
        item.manage_stock = quantity is not None
        item.stock_quantity = quantity
        item.backorders = "yes" if variant.backorders else "no"
        item.global_unique_id = variant.barcode or ""
        item.weight = "" if variant.weight_kg is None else str(variant.weight_kg)
        item.attributes = list(variant.options.items())

    def create(self, spec: ProductSpec) -> tuple[Item, list[Item]]:
        store = self._store
        simple = len(spec.variants) == 1 and not spec.variants[0].options
        status = "publish" if spec.published else "draft"
        product = store.new_item(
            "simple" if simple else "variable",
            spec.title,
            status=status,
            description=spec.description_html,
            category=spec.category,
            images=list(spec.images),
        )
        if simple:
            self._fill(product, spec.variants[0])
            store.touched(product, created=True)
            return product, [product]
        variations = []
        for variant in spec.variants:
            variation = store.new_item("variation", spec.title, parent=product)
            self._fill(variation, variant)
            variations.append(variation)
        store.touched(product, created=True)
        return product, variations

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]:
        for n, spec in enumerate(specs):  # refuse before creating anything
            for v, variant in enumerate(spec.variants):
                self._stock_of(variant, f"products[{n}].variants[{v}]")
        return [_created(*self.create(spec)) for spec in specs]

    async def generate(self, products: int, variants: int, seed: int) -> Sequence[CreatedProduct]:
        try:
            made = generate(self._store, products, variants, seed=seed)
        except ValueError as exc:
            raise bad_request(str(exc), "variants") from None
        return [_created(product, stocked) for product, stocked in made]

    def _by_sku(self, sku: str, field: str) -> list[Item]:
        found = [i for i in self._store.items.values() if i.sku == sku and i.type != "variable"]
        if not found:
            raise not_found(f"no variant with SKU {sku!r}", field)
        return found

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]:
        targets = []
        for n, level in enumerate(levels):  # every entry is checked before any applies
            self._check_location(level.location, f"levels[{n}].location")
            targets.append((self._by_sku(level.sku, f"levels[{n}].sku"), level.available))
        for items, available in targets:
            for item in items:
                item.manage_stock = True
                item.stock_quantity = available
                self._store.touched(item)
        return levels

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]:
        targets = [
            (self._by_sku(change.sku, f"prices[{n}].sku"), change)
            for n, change in enumerate(prices)
        ]
        for items, change in targets:
            for item in items:
                item.regular_price = str(change.price)
                item.sale_price = ""
                self._store.touched(item)
        return prices

    def _product(self, product_id: str) -> Item:
        product = self._store.product(int(product_id)) if product_id.isdigit() else None
        if product is None:
            raise not_found(f"no product {product_id}")
        return product

    async def set_published(self, product_id: str, published: bool) -> None:  # noqa: FBT001 the neutral API's shape
        product = self._product(product_id)
        product.status = "publish" if published else "draft"
        self._store.touched(product)

    async def delete_product(self, product_id: str) -> None:
        self._store.delete(self._product(product_id))

    async def orders(self) -> Sequence[StoreOrder]:
        return [_order(order) for order in self._store.orders.values()]

    def _order(self, order_id: str) -> Order:
        order = self._store.orders.get(int(order_id)) if order_id.isdigit() else None
        if order is None:
            raise not_found(f"no order {order_id}")
        return order

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder:
        """The merchant ships: a tracking (extension) or a note, then status ``completed``."""
        store = self._store
        order = self._order(order_id)
        if order.status in {"cancelled", "completed", "refunded"}:
            raise ControlError(HTTP_CONFLICT, f"a {order.status} order has nothing left to ship")
        if store.config.shipment_tracking:
            store.track(order, carrier, tracking_number, store.now().date().isoformat())
        else:
            store.note(order, f"Shipped with {carrier}, tracking number {tracking_number}")
        store.set_status(order, "completed")
        store.order_saved(order)
        return _order(order)

    async def cancel_order(self, order_id: str) -> StoreOrder:
        """The merchant cancels; a completed or already cancelled order cannot be."""
        order = self._order(order_id)
        if order.status in {"cancelled", "completed", "refunded"}:
            raise ControlError(HTTP_CONFLICT, f"a {order.status} order cannot be cancelled")
        self._store.set_status(order, "cancelled")
        self._store.order_saved(order)
        return _order(order)


def _created(product: Item, variants: list[Item]) -> CreatedProduct:
    return CreatedProduct(
        str(product.id),
        product.name,
        tuple(CreatedVariant(str(v.id), v.sku, str(v.id)) for v in variants),
    )


def _order(order: Order) -> StoreOrder:
    shipments = tuple(Shipment(t.tracking_provider, t.tracking_number) for t in order.trackings)
    return StoreOrder(
        id=str(order.id),
        name=f"#{order.id}",
        reference=order.meta_value("_tiktok_order_id"),
        cancelled=order.status == "cancelled",
        lines=tuple(OrderLine(line.sku or None, line.quantity) for line in order.lines),
        shipments=shipments,
    )
