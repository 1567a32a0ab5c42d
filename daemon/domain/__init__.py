"""Pure domain types and rules: no I/O, no clock."""

from __future__ import annotations

from daemon.domain.models import (
    BadRecord,
    Dimensions,
    Image,
    LengthUnit,
    Location,
    MarketplaceShop,
    Money,
    Product,
    ProductState,
    StockLevel,
    StoreInfo,
    Variant,
    Warehouse,
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
    "MarketplaceShop",
    "Money",
    "OrderPhase",
    "Product",
    "ProductState",
    "ProductStatus",
    "RunOutcome",
    "StockLevel",
    "StoreInfo",
    "Variant",
    "Warehouse",
    "Weight",
    "WeightUnit",
]
