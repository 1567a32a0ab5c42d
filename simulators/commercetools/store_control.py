"""The kit's neutral store control (`/_sim/store/`) over the simulated project.

A spec is one product whose first variant is the master; options become variant attributes
(``Size``, ``Colour``), the barcode the ``gtin`` attribute and the weight the ``weight``
attribute (kg). A tracked variant gets an inventory entry at each location named in its
stock (at the first channel, with 0, when none is named); an untracked one gets none; a
backorderable one has ``restockableInDays`` set. Ids are product ids; a variant's id is
``{product id}/{variant id}``; the stock key is the SKU; locations are supply channels."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from simulators.commercetools import orders
from simulators.commercetools.errors import CtError
from simulators.commercetools.records import SUPPLY, OrderRec, PriceRec, ProductRec, VariantRec
from simulators.commercetools.state import Project, slug
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
    not_found,
)

HTTP_CONFLICT = 409
RESTOCKABLE_DAYS = 14
_KINDS = ("Mug", "Shirt", "Lamp", "Candle", "Poster", "Scarf", "Bottle")
_SIZES = ("S", "M", "L", "XL", "XXL")


def ean13(number: int) -> str:
    body = f"50{number % 10**10:010d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


class CommercetoolsStoreControl(StoreControl):
    def __init__(self, project: Project) -> None:
        self.project = project

    @property
    def _language(self) -> str:
        return self.project.config.languages[0]

    async def locations(self) -> Sequence[Location]:
        return [Location(c.key, c.name.get(self._language) or c.key) for c in self._supply()]

    def _supply(self) -> list:  # type: ignore[type-arg]
        return [c for c in self.project.channels.values() if SUPPLY in c.roles]

    def _channel_id(self, location: str, where: str) -> str:
        found = self.project.channel_by_key(location)
        if found is None:
            raise not_found(f"no location {location!r}", where)
        return found.id

    def _create(self, spec: ProductSpec) -> CreatedProduct:
        project, lang = self.project, self._language
        moment = project.now()
        currency = project.config.currencies[0]
        variants = []
        first_channel = self._supply()[0].id if self._supply() else None
        for n, given in enumerate(spec.variants, start=1):
            attributes: dict[str, object] = dict(given.options)
            if given.barcode:
                attributes["gtin"] = given.barcode
            if given.weight_kg is not None:
                attributes["weight"] = float(given.weight_kg)
            images = [
                img if img.startswith("http") else f"{project.base_url}{img}" for img in spec.images
            ]
            variants.append(
                VariantRec(
                    id=n,
                    sku=given.sku,
                    prices=[PriceRec(project.new_id(), _cents(given.price), currency)],
                    attributes=attributes,
                    images=images if n == 1 else [],
                )
            )
            if given.tracked:
                stock: list[tuple[str | None, int]] = [
                    (self._channel_id(s.location, "stock"), s.available) for s in given.stock
                ]
                for channel_id, available in stock or [(first_channel, 0)]:
                    entry = project.set_quantity(given.sku, channel_id, available)
                    if given.backorders:
                        entry.restockable_in_days = RESTOCKABLE_DAYS
        product = ProductRec(
            id=project.new_id(),
            key=None,
            version=1,
            name={lang: spec.title},
            slug={lang: f"{slug(spec.title)}-{len(project.products) + 1}"},
            description={lang: spec.description_html} if spec.description_html else None,
            category_ids=[project.category(spec.category)] if spec.category else [],
            variants=variants,
            published=spec.published,
            created_at=moment,
            last_modified_at=moment,
        )
        project.add_product(product)
        return CreatedProduct(
            product.id,
            spec.title,
            tuple(
                CreatedVariant(f"{product.id}/{v.id}", v.sku or "", v.sku or "") for v in variants
            ),
        )

    async def create_products(self, specs: Sequence[ProductSpec]) -> Sequence[CreatedProduct]:
        for p, spec in enumerate(specs):  # all or nothing: every location is known first
            for v, variant in enumerate(spec.variants):
                for s, stock in enumerate(variant.stock):
                    where = f"products[{p}].variants[{v}].stock[{s}].location"
                    self._channel_id(stock.location, where)
        return [self._create(spec) for spec in specs]

    async def generate(self, products: int, variants: int, seed: int) -> Sequence[CreatedProduct]:
        rng = random.Random(seed)  # noqa: S311 a deterministic catalog, not security
        made = []
        channels = [c.key for c in self._supply()]
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
                            "sku": f"GEN-{seed}-{n}-{v}",
                            "price": str(Decimal(rng.randrange(500, 5000)) / 100),
                            "barcode": ean13(seed * 1_000_000 + n * 100 + v),
                            "weight_kg": str(Decimal(rng.randrange(50, 3000)) / 1000),
                            "options": {"Size": _SIZES[v % len(_SIZES)] + str(v // 5 or "")}
                            if variants > 1
                            else {},
                            "stock": [
                                {"location": key, "available": rng.randrange(5, 50)}
                                for key in channels
                            ],
                        }
                        for v in range(variants)
                    ],
                }
            )
            made.append(self._create(spec))
        return made

    async def set_stock(self, levels: Sequence[StockLevel]) -> Sequence[StockLevel]:
        resolved = []
        for n, level in enumerate(levels):
            if self.project.variant_by_sku(level.sku) is None:
                raise not_found(f"no SKU {level.sku!r}", f"levels[{n}].sku")
            resolved.append(self._channel_id(level.location, f"levels[{n}].location"))
        for level, channel_id in zip(levels, resolved, strict=True):
            entry = self.project.entry(level.sku, channel_id)
            # The merchant sets what is available: on stock is that plus what is reserved.
            reserved = entry.reserved if entry is not None else 0
            self.project.set_quantity(level.sku, channel_id, level.available + reserved)
        return levels

    async def set_prices(self, prices: Sequence[PriceChange]) -> Sequence[PriceChange]:
        found = []
        for n, change in enumerate(prices):
            hit = self.project.variant_by_sku(change.sku)
            if hit is None:
                raise not_found(f"no SKU {change.sku!r}", f"prices[{n}].sku")
            found.append(hit)
        for (product, variant), change in zip(found, prices, strict=True):
            for price in variant.prices:
                price.cents = _cents(change.price)
            self.project.touch(product, "ProductPriceChanged")
        return prices

    def _product(self, product_id: str) -> ProductRec:
        product = self.project.products.get(product_id)
        if product is None:
            raise not_found(f"no product {product_id!r}")
        return product

    async def set_published(self, product_id: str, published: bool) -> None:  # noqa: FBT001 the neutral API's shape
        product = self._product(product_id)
        product.published = published
        self.project.touch(product, "ProductPublished" if published else "ProductUnpublished")

    async def delete_product(self, product_id: str) -> None:
        self.project.delete_product(self._product(product_id))

    def _neutral(self, order: OrderRec) -> StoreOrder:
        reference = None
        if order.custom is not None:
            reference = order.custom["fields"].get("tiktokOrderId")
        if reference is None and order.order_number:
            reference = order.order_number.removeprefix("TT-")
        return StoreOrder(
            id=order.id,
            name=order.order_number or order.id,
            reference=reference,
            cancelled=order.order_state == "Cancelled",
            lines=tuple(OrderLine(line.sku, line.quantity) for line in order.line_items),
            shipments=tuple(
                Shipment(p.carrier, p.tracking_id) for d in order.deliveries for p in d.parcels
            )
            or tuple(Shipment(None, None) for d in order.deliveries if not d.parcels),
        )

    def _order(self, order_id: str) -> OrderRec:
        order = self.project.orders.get(order_id)
        if order is None:
            raise not_found(f"no order {order_id!r}")
        return order

    async def orders(self) -> Sequence[StoreOrder]:
        ordered = sorted(self.project.orders.values(), key=lambda o: o.created_at)
        return [self._neutral(o) for o in ordered]

    async def ship_order(self, order_id: str, carrier: str, tracking_number: str) -> StoreOrder:
        order = self._order(order_id)
        if order.order_state == "Cancelled":
            raise ControlError(HTTP_CONFLICT, "the order is cancelled")
        sent: dict[str, int] = {}
        for delivery in order.deliveries:
            for item_id, quantity in delivery.items:
                sent[item_id] = sent.get(item_id, 0) + quantity
        items = [
            {"id": line.id, "quantity": line.quantity - sent.get(line.id, 0)}
            for line in order.line_items
            if line.quantity > sent.get(line.id, 0)
        ]
        if not items:
            raise ControlError(HTTP_CONFLICT, "nothing is left to ship")
        actions: list[dict[str, Any]] = [
            {
                "action": "addDelivery",
                "items": items,
                "parcels": [
                    {
                        "trackingData": {"trackingId": tracking_number, "carrier": carrier},
                        "items": items,
                    }
                ],
            },
            {"action": "changeShipmentState", "shipmentState": "Shipped"},
        ]
        try:
            changed = orders.update(self.project, order, order.version, actions)
        except CtError as exc:
            raise ControlError(HTTP_CONFLICT, exc.message) from None
        return self._neutral(changed)

    async def cancel_order(self, order_id: str) -> StoreOrder:
        order = self._order(order_id)
        if order.order_state == "Cancelled":
            raise ControlError(HTTP_CONFLICT, "the order is already cancelled")
        if order.deliveries:
            raise ControlError(HTTP_CONFLICT, "a shipped order cannot be cancelled")
        actions = [{"action": "changeOrderState", "orderState": "Cancelled"}]
        return self._neutral(orders.update(self.project, order, order.version, actions))
