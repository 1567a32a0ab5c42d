"""Pure domain types and rules: no I/O, no clock."""

from __future__ import annotations

from daemon.domain.models import (
    BadRecord,
    Dimensions,
    Image,
    LengthUnit,
    Location,
    Money,
    Product,
    ProductState,
    StockLevel,
    StoreInfo,
    Variant,
    Weight,
    WeightUnit,
)
from daemon.domain.status import EntityOutcome, OrderPhase, ProductStatus, RunOutcome

__all__ = [
    "BadRecord",
    "Dimensions",
    "EntityOutcome",
    "Image",
    "LengthUnit",
    "Location",
    "Money",
    "OrderPhase",
    "Product",
    "ProductState",
    "ProductStatus",
    "RunOutcome",
    "StockLevel",
    "StoreInfo",
    "Variant",
    "Weight",
    "WeightUnit",
]
