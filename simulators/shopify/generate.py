"""A deterministic catalog of N products with M variants each, for tests and benchmarks."""

from __future__ import annotations

import random
from decimal import Decimal

from simulators.shopify.catalog_spec import (
    CatalogSpec,
    ImageSpec,
    OptionSpec,
    ProductSpec,
    StockSpec,
    VariantSpec,
)

_KINDS = ("Shirt", "Mug", "Lamp", "Candle", "Notebook", "Scarf", "Bottle", "Poster")
_IMAGE_TYPES = ("jpg", "png", "webp", "gif", "jpeg")
_SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")
_COLOURS = ("Red", "Blue", "Green", "Black", "White", "Grey", "Navy", "Pink")


def ean13(number: int) -> str:
    """A valid EAN-13 (check digit included) built from `number`."""
    body = f"50{number % 10**10:010d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _option_values(variants: int) -> tuple[list[OptionSpec], list[list[str]]]:
    if variants == 1:
        return [], [[]]
    if variants <= len(_SIZES):
        sizes = list(_SIZES[:variants])
        return [OptionSpec(name="Size", values=sizes)], [[size] for size in sizes]
    colours = -(-variants // len(_SIZES))
    combos = [[size, colour] for colour in _COLOURS[:colours] for size in _SIZES][:variants]
    return (
        [
            OptionSpec(name="Size", values=sorted({c[0] for c in combos}, key=_SIZES.index)),
            OptionSpec(name="Colour", values=list(dict.fromkeys(c[1] for c in combos))),
        ],
        combos,
    )


def generate_catalog(
    products: int,
    variants: int,
    *,
    seed: int = 1,
    location_ids: tuple[int, ...] = (),
    untracked_every: int = 20,
    continue_every: int = 25,
) -> CatalogSpec:
    """`products` products of `variants` variants each; the same seed gives the same catalog.

    Every `untracked_every`-th variant is not tracked and every `continue_every`-th keeps
    selling when out of stock. Stock goes to `location_ids` (the first location when empty).
    """
    if not 1 <= variants <= len(_SIZES) * len(_COLOURS):
        raise ValueError(
            f"variants per product must be between 1 and {len(_SIZES) * len(_COLOURS)}"
        )
    rng = random.Random(seed)  # noqa: S311 a repeatable catalog, not security
    options, combos = _option_values(variants)
    specs = []
    serial = 0
    for index in range(1, products + 1):
        kind = _KINDS[index % len(_KINDS)]
        images = [
            ImageSpec.model_construct(
                src=f"/cdn/p/{index}/{n}_800x800.{rng.choice(_IMAGE_TYPES)}",
                alt=None,
                width=800,
                height=800,
            )
            for n in range(1, 1 + rng.randint(1, 3))
        ]
        base_price = Decimal(rng.randint(100, 20_000)) / 100
        variant_specs: list[VariantSpec] = []
        for values in combos:
            serial += 1
            stock = [
                StockSpec.model_construct(location_id=location, available=rng.randint(0, 120))
                for location in location_ids
            ] or rng.randint(0, 120)
            variant_specs.append(
                VariantSpec.model_construct(
                    sku=f"SKU-{index:06d}-{len(variant_specs) + 1:02d}",
                    barcode=ean13(serial),
                    price=base_price,
                    options=values,
                    weight=Decimal(rng.randint(50, 3000)) / 1000,
                    weight_unit="kg",
                    inventory_policy="continue" if serial % continue_every == 0 else "deny",
                    tracked=serial % untracked_every != 0,
                    stock=stock,
                )
            )
        specs.append(
            ProductSpec.model_construct(
                title=f"{kind} {index:06d}",
                body_html=f"<p>A simulated {kind.lower()}, number {index}.</p>",
                vendor="Sim Vendor",
                product_type=kind,
                tags=["simulated", kind.lower()],
                options=options,
                images=images,
                variants=variant_specs,
            )
        )
    return CatalogSpec.model_construct(products=specs, replace=False, webhooks=False)
