"""Products made the platform's way: ids, SKU ids, images, stock at locations, timestamps."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

from simulators.bigcommerce.records import Image, Product, Variant
from simulators.bigcommerce.store import Store
from simulators.kit import ControlError, ProductSpec

#: The backorder limit a neutral ``backorders: true`` variant gets at the default location.
NEUTRAL_BACKORDER_LIMIT = 1_000_000


def tracking_of(spec: ProductSpec) -> tuple[str, str]:
    """(inventory_tracking, availability) of a neutral spec. BigCommerce keeps both per
    product: the product tracks inventory when any variant is tracked (per variant when it
    has several), and is on preorder (sells without stock) only when every variant is."""
    if not any(v.tracked for v in spec.variants):
        tracking = "none"
    else:
        tracking = "variant" if len(spec.variants) > 1 else "product"
    return tracking, "preorder" if all(v.backorders for v in spec.variants) else "available"


def build_product(store: Store, spec: ProductSpec) -> Product:
    """The product `spec` describes, with ids, not yet stored (its stock is set after)."""
    tracking, availability = tracking_of(spec)
    now = store.clock.now()
    product_id = store.next_id()
    product = Product(
        id=product_id,
        name=spec.title,
        price=spec.variants[0].price,
        description=spec.description_html,
        is_visible=spec.published,
        availability=availability,
        inventory_tracking=tracking,
        date_created=now,
        date_modified=now,
        categories=[] if spec.category is None else [store.category_id(spec.category)],
    )
    for variant_spec in spec.variants:
        product.variants.append(
            Variant(
                id=store.next_id(),
                product_id=product_id,
                sku=variant_spec.sku,
                sku_id=store.next_id(),
                price=variant_spec.price,
                options=list(variant_spec.options.items()),
                upc=variant_spec.barcode or "",
                weight=variant_spec.weight_kg,
            )
        )
    product.images = [
        Image(store.next_id(), product_id, url, n, now) for n, url in enumerate(spec.images)
    ]
    return product


def check_locations(store: Store, specs: Sequence[ProductSpec]) -> None:
    for n, spec in enumerate(specs):
        for v, variant in enumerate(spec.variants):
            for s, stock in enumerate(variant.stock):
                if not stock.location.isdigit() or int(stock.location) not in store.locations:
                    field = f"products[{n}].variants[{v}].stock[{s}].location"
                    raise ControlError(404, f"no location {stock.location!r}", field)


def create_products(
    store: Store, specs: Sequence[ProductSpec], *, quiet: bool = False
) -> list[Product]:
    """Create every product of `specs` (all checked first); `quiet` skips the callbacks and
    stock events (a generated catalog for benchmarks)."""
    check_locations(store, specs)
    made = []
    for spec in specs:
        product = build_product(store, spec)
        if quiet:
            store.products[product.id] = product
            store.variants.update((v.id, v) for v in product.variants)
        else:
            store.add_product(product)
        for variant, variant_spec in zip(product.variants, spec.variants, strict=True):
            if variant_spec.backorders:
                key = (variant.id, store.default_location)
                store.backorder_limits[key] = NEUTRAL_BACKORDER_LIMIT
            for stock in variant_spec.stock:
                if quiet:
                    store.levels.setdefault(variant.id, {})[int(stock.location)] = stock.available
                else:
                    store.set_level(variant.id, int(stock.location), stock.available)
        made.append(product)
    return made


KINDS = ("Shirt", "Mug", "Lamp", "Candle", "Notebook", "Scarf", "Bottle", "Poster")
SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")


def ean13(number: int) -> str:
    """A valid EAN-13 (check digit included) built from `number`."""
    body = f"50{number % 10**10:010d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def generated_specs(store: Store, products: int, variants: int, seed: int) -> list[ProductSpec]:
    """A deterministic catalog (the same seed gives the same one) in categories named after
    kinds of goods, with barcodes, weights and stock at every location. Every 20th product
    does not track inventory and every 25th is on preorder (BigCommerce keeps both per
    product)."""
    rng = random.Random(seed)  # noqa: S311 a repeatable catalog, not security
    locations = sorted(store.locations)
    specs = []
    for index in range(1, products + 1):
        kind = KINDS[index % len(KINDS)]
        price = str(Decimal(rng.randint(100, 20_000)) / 100)
        number = seed * 1_000_000 + index
        variant_specs = [
            {
                "sku": f"SKU-{seed}-{index:06d}-{n + 1:02d}",
                "price": price,
                "barcode": ean13(number * 100 + n),
                "weight_kg": str(Decimal(rng.randint(50, 3000)) / 1000),
                "options": {"Size": SIZES[n % len(SIZES)]} if variants > 1 else {},
                "tracked": index % 20 != 0,
                "backorders": index % 25 == 0,
                "stock": [
                    {"location": str(location), "available": rng.randint(0, 120)}
                    for location in locations
                ],
            }
            for n in range(variants)
        ]
        specs.append(
            ProductSpec.model_validate(
                {
                    "title": f"{kind} {index:06d}",
                    "category": kind,
                    "description_html": f"<p>A simulated {kind.lower()}, number {index}.</p>",
                    "images": [f"/cdn/p/{index}/{n}_800x800.jpg" for n in range(1, 3)],
                    "variants": variant_specs,
                }
            )
        )
    return specs
