"""The kit's neutral store API (``/_sim/store/``) over the simulated merchant: each change is
exported as the storefront's jobs would (see `merchant`).

A one-variant spec without options is a simple product whose product id is its SKU (or the
SKU numbered, when taken); a spec with several variants is a master (``master-N``) whose
variants are product elements of their own, with their options as custom attributes. The
stock key is the variant's product id; locations are inventory lists.
"""

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
    StoreOrder,
    not_found,
)
from simulators.kit.jsonio import HTTP_CONFLICT
from simulators.sfcc import feeds
from simulators.sfcc.merchant import Merchant, SimOrder, SimProduct, SimVariant

_KINDS = ("Mug", "Shirt", "Lamp", "Candle", "Poster", "Scarf", "Bottle")


def ean13(number: int) -> str:
    body = f"50{number % 10**10:010d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def neutral_order(order: SimOrder) -> StoreOrder:
    return StoreOrder(
        id=order.order_no,
        name=order.order_no,
        reference=order.reference,
        cancelled=order.cancelled,
        lines=tuple(OrderLine(sku, quantity) for sku, quantity in order.lines),
        shipments=tuple(Shipment(carrier, number) for carrier, number in order.shipments),
    )


class SfccStoreControl:
    def __init__(self, merchant: Merchant) -> None:
        self.merchant = merchant

    async def locations(self) -> Sequence[Location]:
        return [Location(list_id, held.name) for list_id, held in self.merchant.lists.items()]

    def _check(self, specs: Sequence[ProductSpec]) -> None:
        for p, spec in enumerate(specs):
            for v, variant in enumerate(spec.variants):
                for s, stock in enumerate(variant.stock):
                    if stock.location not in self.merchant.lists:
                        field = f"products[{p}].variants[{v}].stock[{s}].location"
                        raise not_found(f"no inventory list {stock.location!r}", field)

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]:
        self._check(specs)
        made = [self._create(spec) for spec in specs]
        self._export_new([self.merchant.products[p.id] for p in made])
        return made

    def _create(self, spec: ProductSpec) -> CreatedProduct:
        merchant = self.merchant
        variants = []
        for given in spec.variants:
            variant = SimVariant(
                id=merchant.unique_id(given.sku),
                sku=given.sku,
                price=given.price,
                stock={s.location: s.available for s in given.stock},
                tracked=given.tracked,
                backorders=given.backorders,
                options=dict(given.options),
                barcode=given.barcode,
                weight_kg=given.weight_kg,
            )
            if not variant.stock and (not variant.tracked or variant.backorders):
                # The flags live on inventory records: one at the first list carries them.
                variant.stock[next(iter(merchant.lists))] = 0
            merchant.variants[variant.id] = variant
            variants.append(variant)
        simple = len(variants) == 1 and not variants[0].options
        product = SimProduct(
            id=variants[0].id if simple else f"master-{merchant.take_id()}",
            title=spec.title,
            description=spec.description_html,
            published=spec.published,
            images=list(spec.images),
            category=spec.category,
            variant_ids=[v.id for v in variants],
            master=not simple,
        )
        merchant.products[product.id] = product
        return CreatedProduct(
            product.id, product.title, tuple(CreatedVariant(v.id, v.sku, v.id) for v in variants)
        )

    def _export_new(self, products: list[SimProduct]) -> None:
        merchant = self.merchant
        elements = [element for product in products for element in merchant.elements(product)]
        variants = [merchant.variants[vid] for p in products for vid in p.variant_ids]
        merchant.export_catalog(elements)
        merchant.export_prices(variants)
        merchant.export_stock(variants)

    async def generate(self, products: int, variants: int, seed: int) -> Sequence[CreatedProduct]:
        rng = random.Random(seed)  # noqa: S311 a deterministic catalog, not security
        specs = []
        for n in range(1, products + 1):
            kind = _KINDS[rng.randrange(len(_KINDS))]
            specs.append(
                ProductSpec.model_validate(
                    {
                        "title": f"{kind} {seed}-{n}",
                        "category": kind,
                        "description_html": f"<p>A {kind.lower()} from the simulated catalog.</p>",
                        "images": [f"/cdn/g{seed}/{n}-{i}_800x800.jpg" for i in (1, 2)],
                        "variants": [
                            {
                                "sku": f"GEN-{seed}-{n}-{v}",
                                "price": str(Decimal(rng.randrange(500, 5000)) / 100),
                                "barcode": ean13(seed * 1_000_000 + n * 100 + v),
                                "weight_kg": str(Decimal(rng.randrange(50, 3000)) / 1000),
                                "options": {"size": f"S{v + 1}"} if variants > 1 else {},
                                "stock": [
                                    {"location": loc, "available": rng.randrange(5, 50)}
                                    for loc in self.merchant.lists
                                ],
                            }
                            for v in range(variants)
                        ],
                    }
                )
            )
        return await self.create_products(specs)

    def _by_sku(self, sku: str, field: str) -> list[SimVariant]:
        found = [v for v in self.merchant.variants.values() if v.sku == sku]
        if not found:
            raise not_found(f"no variant with SKU {sku!r}", field)
        return found

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]:
        for n, level in enumerate(levels):
            self._by_sku(level.sku, f"levels[{n}].sku")
            if level.location not in self.merchant.lists:
                raise not_found(f"no inventory list {level.location!r}", f"levels[{n}].location")
        changed: dict[str, SimVariant] = {}
        for level in levels:
            for variant in self._by_sku(level.sku, "sku"):
                variant.stock[level.location] = level.available
                changed[variant.id] = variant
        self.merchant.export_stock(list(changed.values()))
        return levels

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]:
        for n, change in enumerate(prices):
            self._by_sku(change.sku, f"prices[{n}].sku")
        changed: dict[str, SimVariant] = {}
        for change in prices:
            for variant in self._by_sku(change.sku, "sku"):
                variant.price = change.price
                changed[variant.id] = variant
        self.merchant.export_prices(list(changed.values()))
        return prices

    def _product(self, product_id: str) -> SimProduct:
        product = self.merchant.products.get(product_id)
        if product is None or product.deleted:
            raise not_found(f"no product {product_id!r}")
        return product

    async def set_published(self, product_id: str, published: bool) -> None:  # noqa: FBT001 the neutral API's shape
        product = self._product(product_id)
        product.published = published
        self.merchant.export_catalog(
            [
                feeds.CatalogProduct(pid, online=published)
                for pid in {product.id, *product.variant_ids}
            ]
        )

    async def delete_product(self, product_id: str) -> None:
        product = self._product(product_id)
        product.deleted = True
        self.merchant.export_catalog([feeds.CatalogProduct(product.id, delete=True)])

    async def orders(self) -> Sequence[StoreOrder]:
        return [neutral_order(order) for order in self.merchant.orders.values()]

    def _order(self, order_id: str) -> SimOrder:
        order = self.merchant.orders.get(order_id)
        if order is None:
            raise not_found(f"no order {order_id!r}")
        return order

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder:
        order = self._order(order_id)
        if order.cancelled:
            raise ControlError(HTTP_CONFLICT, f"order {order_id} is cancelled")
        if order.shipments:
            raise ControlError(HTTP_CONFLICT, f"order {order_id} has nothing left to ship")
        order.shipments.append((carrier, tracking_number))
        update = feeds.StatusUpdate(
            order_id,
            "shipped",
            items=order.lines,
            carrier=carrier,
            tracking_number=tracking_number,
            tracking_id=f"{order_id}-{len(order.shipments)}",
        )
        self.merchant.export_status([update])
        return neutral_order(order)

    async def cancel_order(self, order_id: str) -> StoreOrder:
        order = self._order(order_id)
        if order.cancelled or order.shipments:
            raise ControlError(HTTP_CONFLICT, f"order {order_id} cannot be cancelled")
        order.cancelled = True
        if order.took_stock:
            self.merchant.move_stock(order, +1)
        self.merchant.export_status([feeds.StatusUpdate(order_id, "cancelled", items=order.lines)])
        return neutral_order(order)
