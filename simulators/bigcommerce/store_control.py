"""The kit's neutral store API (``/_sim/store/``) for the BigCommerce simulator.

Each action goes through the store's own functions, as the merchant's change in the control
panel would: stock is an absolute adjustment at one location (``store/sku/inventory/updated``),
prices and visibility are product edits (``store/product/updated``), shipping is a shipment
of every unshipped unit to the order's first address, cancelling sets status 5 (Cancelled),
which returns the stock the order took.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulators.bigcommerce.catalog import create_products, generated_specs
from simulators.bigcommerce.errors import ApiError
from simulators.bigcommerce.orders_api import new_shipment
from simulators.bigcommerce.records import CANCELLED, Order, Product, Variant
from simulators.bigcommerce.store import Store
from simulators.kit import (
    ControlError,
    CreatedProduct,
    CreatedVariant,
    Location,
    OrderLine,
    PriceChange,
    ProductSpec,
    Shipment,
    StockLevel,
    StoreOrder,
    not_found,
)
from simulators.kit.jsonio import HTTP_CONFLICT


def created(product: Product) -> CreatedProduct:
    return CreatedProduct(
        id=str(product.id),
        title=product.name,
        variants=tuple(CreatedVariant(str(v.id), v.sku, str(v.id)) for v in product.variants),
    )


def neutral_order(order: Order) -> StoreOrder:
    return StoreOrder(
        id=str(order.id),
        name=f"#{order.id}",
        reference=order.external_order_id or None,
        cancelled=order.status_id == CANCELLED,
        lines=tuple(OrderLine(line.sku or None, line.quantity) for line in order.products),
        shipments=tuple(
            Shipment(s.tracking_carrier or s.shipping_provider or None, s.tracking_number or None)
            for s in order.shipments
        ),
    )


class BigCommerceStoreControl:
    """`StoreControl` on one simulated store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _variants(self, sku: str, field: str) -> list[Variant]:
        found = [v for v in self.store.variants.values() if v.sku == sku]
        if not found:
            raise not_found(f"no variant with SKU {sku!r}", field)
        return found

    def _product(self, product_id: str) -> Product:
        product = self.store.products.get(int(product_id)) if product_id.isdigit() else None
        if product is None:
            raise not_found(f"no product {product_id!r}")
        return product

    def _order(self, order_id: str) -> Order:
        order = self.store.orders.get(int(order_id)) if order_id.isdigit() else None
        if order is None:
            raise not_found(f"no order {order_id!r}")
        return order

    async def locations(self) -> Sequence[Location]:
        return [Location(str(n), loc.label) for n, loc in sorted(self.store.locations.items())]

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]:
        return [created(p) for p in create_products(self.store, specs)]

    async def generate(self, products: int, variants: int, seed: int) -> Sequence[CreatedProduct]:
        specs = generated_specs(self.store, products, variants, seed)
        return [created(p) for p in create_products(self.store, specs, quiet=True)]

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]:
        plan: list[tuple[int, int, int]] = []
        for n, level in enumerate(levels):
            variants = self._variants(level.sku, f"levels[{n}].sku")
            location = level.location
            if not location.isdigit() or int(location) not in self.store.locations:
                raise not_found(f"no location {location!r}", f"levels[{n}].location")
            if any(
                self.store.products[v.product_id].inventory_tracking == "none" for v in variants
            ):
                raise ControlError(HTTP_CONFLICT, "the product does not track inventory")
            plan.extend((v.id, int(location), level.available) for v in variants)
        for variant_id, location_id, available in plan:
            self.store.set_level(variant_id, location_id, available)
        return levels

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]:
        plan = [(self._variants(p.sku, f"prices[{n}].sku"), p) for n, p in enumerate(prices)]
        for variants, change in plan:
            for variant in variants:
                variant.price = change.price
                self.store.touch(self.store.products[variant.product_id])
        return prices

    async def set_published(self, product_id: str, published: bool) -> None:  # noqa: FBT001 the neutral API's shape
        product = self._product(product_id)
        product.is_visible = published
        self.store.touch(product)

    async def delete_product(self, product_id: str) -> None:
        self.store.delete_product(self._product(product_id).id)

    async def orders(self) -> Sequence[StoreOrder]:
        return [neutral_order(o) for _, o in sorted(self.store.orders.items())]

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder:
        order = self._order(order_id)
        ship(self.store, order, carrier, tracking_number)
        return neutral_order(order)

    async def cancel_order(self, order_id: str) -> StoreOrder:
        order = self._order(order_id)
        if order.status_id == CANCELLED or any(line.quantity_shipped for line in order.products):
            raise ControlError(HTTP_CONFLICT, "the order is already cancelled or shipped")
        self.store.cancel(order)
        return neutral_order(order)


def ship(store: Store, order: Order, carrier: str, tracking_number: str) -> None:
    """The merchant ships every unit left to ship, to the order's first address."""
    if not order.addresses:
        raise ControlError(HTTP_CONFLICT, "the order has no shipping address")
    items = [
        {"order_product_id": line.id, "quantity": line.quantity - line.quantity_shipped}
        for line in order.products
        if line.quantity > line.quantity_shipped
    ]
    body = {
        "order_address_id": order.addresses[0].id,
        "tracking_number": tracking_number,
        "tracking_carrier": carrier,
        "shipping_provider": "",
        "items": items,
    }
    if order.status_id == CANCELLED:
        raise ControlError(HTTP_CONFLICT, "a cancelled order cannot be shipped")
    try:
        store.ship(order, new_shipment(store, order, body))
    except ApiError as error:
        raise ControlError(HTTP_CONFLICT, f"BigCommerce refused: {error.title}") from None
