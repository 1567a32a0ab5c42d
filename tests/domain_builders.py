"""Small builders for domain values in tests: sensible defaults, override what the test is about."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from daemon.domain.models import (
    Dimensions,
    Image,
    LengthUnit,
    Money,
    Product,
    ProductState,
    Variant,
    Weight,
    WeightUnit,
)

VALID_EAN = "4006381333931"  # a real EAN-13 (Stabilo pen)


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def make_variant(variant_id: str = "v1", **overrides: Any) -> Variant:
    values: dict[str, Any] = {
        "id": variant_id,
        "sku": f"SKU-{variant_id.upper()}",
        "barcode": VALID_EAN,
        "price": gbp("12.50"),
        "stock_key": f"item-{variant_id}",
        "weight": Weight(Decimal("0.4"), WeightUnit.KILOGRAM),
    }
    values.update(overrides)
    return Variant(**values)


def make_product(product_id: str = "p1", **overrides: Any) -> Product:
    values: dict[str, Any] = {
        "id": product_id,
        "title": "Enamel camping mug",
        "description_html": "<p>A sturdy mug for the trail.</p>",
        "state": ProductState.ACTIVE,
        "updated_at": datetime(2026, 1, 5, 12, 0, tzinfo=UTC),
        "variants": (make_variant(),),
        "images": (Image("https://cdn.example.com/mug.jpg", 1, 1200, 1200),),
        "dimensions": Dimensions(Decimal(10), Decimal(10), Decimal(12), LengthUnit.CENTIMETER),
    }
    values.update(overrides)
    return Product(**values)
