"""A deterministic catalog of N products with M variants each, for tests, demos and benchmarks:
the same kinds, prices, barcodes and stock rules as the other store simulators' catalogs.

One variant makes a ``simple`` product; more make a ``variable`` one with a ``Size`` (and,
past eight, a ``Colour``) attribute. Every `untracked_every`-th variant does not manage stock
and every `continue_every`-th allows backorders. No webhooks are sent for a generated catalog.
"""

from __future__ import annotations

import random
from decimal import Decimal

from simulators.woocommerce.records import Item
from simulators.woocommerce.state import Store

KINDS = ("Shirt", "Mug", "Lamp", "Candle", "Notebook", "Scarf", "Bottle", "Poster")
_IMAGE_TYPES = ("jpg", "png", "webp", "gif", "jpeg")
_SIZES = ("XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL")
_COLOURS = ("Red", "Blue", "Green", "Black", "White", "Grey", "Navy", "Pink")


def ean13(number: int) -> str:
    """A valid EAN-13 (check digit included) built from `number`."""
    body = f"50{number % 10**10:010d}"
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _combos(variants: int) -> list[list[tuple[str, str]]]:
    if variants == 1:
        return [[]]
    if variants <= len(_SIZES):
        return [[("Size", size)] for size in _SIZES[:variants]]
    pairs = [[("Size", s), ("Colour", c)] for c in _COLOURS for s in _SIZES]
    return pairs[:variants]


def generate(
    store: Store,
    products: int,
    variants: int,
    *,
    seed: int = 1,
    untracked_every: int = 20,
    continue_every: int = 25,
) -> list[tuple[Item, list[Item]]]:
    """Create the catalog in `store`; each product with the items that carry its stock."""
    if not 1 <= variants <= len(_SIZES) * len(_COLOURS):
        raise ValueError(
            f"variants per product must be between 1 and {len(_SIZES) * len(_COLOURS)}"
        )
    rng = random.Random(seed)  # noqa: S311 a repeatable catalog, not security
    combos = _combos(variants)
    made = []
    serial = 0
    for index in range(1, products + 1):
        kind = KINDS[index % len(KINDS)]
        images = [
            f"/cdn/p/{index}/{n}_800x800.{rng.choice(_IMAGE_TYPES)}"
            for n in range(1, 1 + rng.randint(1, 3))
        ]
        price = str(Decimal(rng.randint(100, 20_000)) / 100)
        product = store.new_item(
            "simple" if variants == 1 else "variable",
            f"{kind} {index:06d}",
            description=f"<p>A simulated {kind.lower()}, number {index}.</p>",
            category=kind,
            images=images,
        )
        stocked = [product] if variants == 1 else []
        for number, attributes in enumerate(combos, start=1):
            serial += 1
            item = (
                product
                if variants == 1
                else store.new_item("variation", product.name, parent=product)
            )
            item.sku = f"SKU-{index:06d}-{number:02d}"
            item.global_unique_id = ean13(serial)
            item.regular_price = price
            item.weight = str(Decimal(rng.randint(50, 3000)) / 1000)
            item.attributes = list(attributes)
            item.manage_stock = serial % untracked_every != 0
            item.stock_quantity = rng.randint(0, 120) if item.manage_stock else None
            item.backorders = "yes" if serial % continue_every == 0 else "no"
            if item is not product:
                stocked.append(item)
        made.append((product, stocked))
    return made
