"""A stable hash of what would be published for a product, to tell whether its content changed.

Counted (each as TikTok would receive it): the title without surrounding spaces, the cleaned
description, the main images in order, the category, the option names in order, and per variant
its SKU, option values, identifier code, weight; the product's dimensions.

Not counted, because it does not change the listing or it follows on its own: price and stock
(they sync separately), tags, collections, vendor and product type (they matter only through the
category), the store's timestamps and status, variant order (SKUs are matched by id), repeated
images, HTML that cleans to the same description, and how a number is written (1.0 kg = 1.00 kg).

The hash starts with a version: change `CONTENT_VERSION` whenever what is counted changes, so
every product is seen as changed once, on purpose.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from daemon.domain.description import sanitise_description
from daemon.domain.identifiers import normalise_barcode
from daemon.domain.images import plan_images
from daemon.domain.models import Dimensions, Product, Variant, Weight

CONTENT_VERSION = "ttsync-content-1"

Json = str | int | list["Json"] | dict[str, "Json"] | None


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value.is_finite() else str(value)


def _weight(weight: Weight | None) -> Json:
    return None if weight is None else [_number(weight.value), weight.unit.value]


def _dimensions(dimensions: Dimensions | None) -> Json:
    if dimensions is None:
        return None
    sides = (dimensions.length, dimensions.width, dimensions.height)
    return [*(_number(side) for side in sides), dimensions.unit.value]


def _variant(variant: Variant) -> Json:
    return {
        "id": variant.id,
        "sku": (variant.sku or "").strip(),
        "options": [[name.strip(), value.strip()] for name, value in variant.options],
        "barcode": normalise_barcode(variant.barcode or ""),
        "weight": _weight(variant.weight),
    }


def publishable_content(product: Product, category_id: str) -> dict[str, Json]:
    """The parts of a product that make up its TikTok listing, in a canonical form."""
    images = plan_images(product.images).images
    return {
        "version": CONTENT_VERSION,
        "category": category_id,
        "title": product.title.strip(),
        "description": sanitise_description(product.description_html).html,
        "images": [image.url for image in images],
        "option_names": [name.strip() for name in product.option_names],
        "variants": [_variant(v) for v in sorted(product.variants, key=lambda v: v.id)],
        "dimensions": _dimensions(product.dimensions),
    }


def content_hash(product: Product, category_id: str) -> str:
    """Hex SHA-256 of `publishable_content`; equal hashes mean nothing to republish."""
    canonical = json.dumps(
        publishable_content(product, category_id),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
