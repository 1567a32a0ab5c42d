"""Products made the platform's way: ids, SKU ids, images, stock at locations, timestamps."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from simulators.bigcommerce.records import Image, Product, Variant
from simulators.bigcommerce.store import Store
from simulators.kit import ControlError, ProductSpec


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
            for stock in variant_spec.stock:
                if quiet:
                    store.levels[(variant.id, int(stock.location))] = stock.available
                else:
                    store.set_level(variant.id, int(stock.location), stock.available)
        made.append(product)
    return made


def generated_specs(store: Store, products: int, variants: int, seed: int) -> list[ProductSpec]:
    """A deterministic catalog with stock at every location."""
    specs = []
    for n in range(products):
        number = seed * 1_000_000 + n
        specs.append(
            ProductSpec.model_validate(
                {
                    "title": f"Generated product {number}",
                    "category": "Generated",
                    "description_html": f"<p>Product {number}</p>",
                    "images": [f"/cdn/gen/{number}_800x800.jpg"],
                    "variants": [
                        {
                            "sku": f"GEN-{number}-{v}",
                            "price": str(Decimal(500 + (number * 7 + v) % 5000) / 100),
                            "options": {"Size": f"S{v}"} if variants > 1 else {},
                            "stock": [
                                {"location": str(loc), "available": (number + v) % 50}
                                for loc in sorted(store.locations)
                            ],
                        }
                        for v in range(variants)
                    ],
                }
            )
        )
    return specs
