"""The kit's neutral store control (`/_sim/store/`) over the simulated Magento store.

A one-variant spec without options becomes a simple product visible in catalog and search; a
spec with several variants (or options) becomes a configurable product whose children are
simple products not visible individually. Ids are entity ids; the stock key is the SKU (MSI
keys source items by SKU); locations are MSI sources, named by their source codes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

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
    StoreControl,
    StoreOrder,
    VariantSpec,
    not_found,
)
from simulators.magento import orders
from simulators.magento.errors import MagentoError
from simulators.magento.records import (
    STATUS_DISABLED,
    STATUS_ENABLED,
    VISIBILITY_BOTH,
    VISIBILITY_NOT_VISIBLE,
    OrderRec,
    ProductRec,
)
from simulators.magento.state import MagentoStore

HTTP_CONFLICT = 409
_KINDS = ("Mug", "Shirt", "Lamp", "Candle", "Poster", "Scarf", "Bottle")
_SIZES = ("S", "M", "L", "XL", "XXL")


def ean13(number: int) -> str:
    """A valid EAN-13 (check digit included) built from `number`."""
    body = f"50{number % 10**10:010d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def media_file(image: str) -> str:
    """Where Magento's media gallery keeps an image: ``/m/u/mug_800x800.jpg``."""
    name = image.rsplit("/", 1)[-1] or "image.jpg"
    first, second = (name + "__")[0].lower(), (name + "__")[1].lower()
    return f"/{first}/{second}/{name}"


class MagentoStoreControl(StoreControl):
    def __init__(self, store: MagentoStore) -> None:
        self.store = store

    async def locations(self) -> Sequence[Location]:
        return [Location(s.code, s.name) for s in self.store.sources.values()]

    def _check_locations(self, specs: Sequence[ProductSpec]) -> None:
        for p, spec in enumerate(specs):
            for v, variant in enumerate(spec.variants):
                for s, stock in enumerate(variant.stock):
                    if stock.location not in self.store.sources:
                        field = f"products[{p}].variants[{v}].stock[{s}].location"
                        raise not_found(f"no location {stock.location!r}", field)

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]:
        self._check_locations(specs)
        return [self._create(spec) for spec in specs]

    def _product(self, sku: str, name: str, spec: ProductSpec, *, child: bool) -> ProductRec:
        store, now = self.store, self.store.now()
        return ProductRec(
            id=store.take("product"),
            sku=sku,
            name=name,
            type_id="simple",
            price=Decimal(0),
            status=STATUS_ENABLED if spec.published or child else STATUS_DISABLED,
            visibility=VISIBILITY_NOT_VISIBLE if child else VISIBILITY_BOTH,
            created_at=now,
            updated_at=now,
            description="" if child else spec.description_html,
            images=[] if child else [media_file(image) for image in spec.images],
            category_ids=[store.category(spec.category)] if spec.category else [],
        )

    def _fill(self, rec: ProductRec, variant: VariantSpec) -> ProductRec:
        rec.price = variant.price
        rec.weight = variant.weight_kg
        rec.barcode = variant.barcode
        rec.manage_stock = variant.tracked
        rec.backorders = 1 if variant.backorders else 0
        for stock in variant.stock:
            self.store.set_quantity(variant.sku, stock.location, Decimal(stock.available))
        return self.store.add_product(rec)

    def _create(self, spec: ProductSpec) -> CreatedProduct:
        if len(spec.variants) == 1 and not spec.variants[0].options:
            variant = spec.variants[0]
            rec = self._fill(self._product(variant.sku, spec.title, spec, child=False), variant)
            return CreatedProduct(
                str(rec.id), rec.name, (CreatedVariant(str(rec.id), rec.sku, rec.sku),)
            )
        parent = self._product("", spec.title, spec, child=False)
        parent.sku = f"{spec.variants[0].sku}-CFG{parent.id}"
        parent.type_id = "configurable"
        created = []
        for variant in spec.variants:
            label = " - ".join(variant.options.values()) or variant.sku
            child = self._product(variant.sku, f"{spec.title} - {label}", spec, child=True)
            for name, value in variant.options.items():
                attribute = self.store.attribute(name)
                option_id = attribute.option_id(value, self.store.take("option") + 4)
                child.options[attribute.id] = option_id
                if attribute.id not in parent.configurable_attribute_ids:
                    parent.configurable_attribute_ids.append(attribute.id)
            self._fill(child, variant)
            parent.child_ids.append(child.id)
            created.append(CreatedVariant(str(child.id), child.sku, child.sku))
        parent.price = min(v.price for v in spec.variants)
        self.store.add_product(parent)
        return CreatedProduct(str(parent.id), parent.name, tuple(created))

    async def generate(self, products: int, variants: int, seed: int) -> Sequence[CreatedProduct]:
        rng = random.Random(seed)  # noqa: S311 a deterministic catalog, not security
        made = []
        for n in range(1, products + 1):
            kind = _KINDS[rng.randrange(len(_KINDS))]
            spec = ProductSpec.model_validate(
                {
                    "title": f"{kind} {seed}-{n}",
                    "category": kind,
                    "description_html": f"<p>A {kind.lower()} from the simulated catalog.</p>",
                    "images": [f"/cdn/g{seed}/{n}-{i}_800x800.jpg" for i in (1, 2)],
                    "variants": [
                        {
                            "sku": f"GEN-{seed}-{self.store.take('generated')}",
                            "price": str(Decimal(rng.randrange(500, 5000)) / 100),
                            "barcode": ean13(seed * 1_000_000 + n * 100 + v),
                            "weight_kg": str(Decimal(rng.randrange(50, 3000)) / 1000),
                            "options": {
                                "Size": f"{_SIZES[v % len(_SIZES)]}{v // len(_SIZES) or ''}"
                            }
                            if variants > 1
                            else {},
                        }
                        for v in range(variants)
                    ],
                }
            )
            created = self._create(spec)
            for variant in created.variants:
                for source in self.store.sources:
                    self.store.set_quantity(variant.sku, source, Decimal(rng.randrange(5, 50)))
            made.append(created)
        return made

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]:
        for n, level in enumerate(levels):
            if self.store.by_sku(level.sku) is None:
                raise not_found(f"no SKU {level.sku!r}", f"levels[{n}].sku")
            if level.location not in self.store.sources:
                raise not_found(f"no location {level.location!r}", f"levels[{n}].location")
        for level in levels:
            self.store.set_quantity(level.sku, level.location, Decimal(level.available))
        return levels

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]:
        found = []
        for n, change in enumerate(prices):
            product = self.store.by_sku(change.sku)
            if product is None:
                raise not_found(f"no SKU {change.sku!r}", f"prices[{n}].sku")
            found.append(product)
        for product, change in zip(found, prices, strict=True):
            product.price = change.price
            self.store.touch(product)
        return prices

    def _product_by_id(self, product_id: str) -> ProductRec:
        product = self.store.products.get(int(product_id)) if product_id.isdigit() else None
        if product is None:
            raise not_found(f"no product {product_id!r}")
        return product

    async def set_published(self, product_id: str, published: bool) -> None:  # noqa: FBT001 the neutral API's shape
        product = self._product_by_id(product_id)
        product.status = STATUS_ENABLED if published else STATUS_DISABLED
        self.store.touch(product)

    async def delete_product(self, product_id: str) -> None:
        product = self._product_by_id(product_id)
        for child_id in list(product.child_ids):
            child = self.store.products.get(child_id)
            if child is not None:
                self.store.delete_product(child)
        self.store.delete_product(product)

    def _neutral(self, order: OrderRec) -> StoreOrder:
        shipments = [s for s in self.store.shipments.values() if s.order_id == order.id]
        return StoreOrder(
            id=str(order.id),
            name=order.increment_id,
            reference=order.ext_order_id,
            cancelled=order.state == "canceled",
            lines=tuple(OrderLine(i.sku, int(i.qty_ordered)) for i in order.items),
            shipments=tuple(
                Shipment(s.tracks[0].title, s.tracks[0].track_number)
                if s.tracks
                else Shipment(None, None)
                for s in sorted(shipments, key=lambda s: s.id)
            ),
        )

    def _order(self, order_id: str) -> OrderRec:
        order = self.store.orders.get(int(order_id)) if order_id.isdigit() else None
        if order is None:
            raise not_found(f"no order {order_id!r}")
        return order

    async def orders(self) -> Sequence[StoreOrder]:
        return [self._neutral(o) for o in sorted(self.store.orders.values(), key=lambda o: o.id)]

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder:
        order = self._order(order_id)
        track = {"track_number": tracking_number, "title": carrier, "carrier_code": "custom"}
        try:
            orders.ship(self.store, order, None, [track], None)
        except MagentoError as exc:
            raise ControlError(HTTP_CONFLICT, exc.message) from None
        return self._neutral(order)

    async def cancel_order(self, order_id: str) -> StoreOrder:
        order = self._order(order_id)
        if not orders.cancel(self.store, order):
            raise ControlError(HTTP_CONFLICT, "the order cannot be cancelled")
        return self._neutral(order)
