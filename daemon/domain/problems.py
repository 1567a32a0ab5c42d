"""Field-level problems: why a product cannot be published, in words a merchant can act on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from daemon.domain.models import Variant


class ProductField(StrEnum):
    """The product field a problem is about; the names a merchant sees in the store admin."""

    CATEGORY = "category"
    TITLE = "title"
    DESCRIPTION = "description"
    IMAGES = "images"
    VARIANTS = "variants"
    OPTIONS = "options"
    SELLER_SKU = "seller_sku"
    BARCODE = "barcode"
    PRICE = "price"
    CURRENCY = "currency"
    WEIGHT = "weight"
    DIMENSIONS = "dimensions"


@dataclass(frozen=True)
class FieldProblem:
    """One reason a product fails validation. `sku` names the variant when the problem is one."""

    field: str
    reason: str
    sku: str | None = None

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


def sku_label(variant: Variant) -> str:
    """How a merchant recognises a variant in a message: its SKU, else its store id."""
    if variant.sku and variant.sku.strip():
        return f"SKU {variant.sku.strip()}"
    return f"variant {variant.id} (no SKU)"
