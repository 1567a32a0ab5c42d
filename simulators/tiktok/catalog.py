"""Reference data sellers list against: categories and brands (GET endpoints and lookups)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulators.tiktok.model import JsonObject

if TYPE_CHECKING:  # the state holds a Catalog, so the context is only needed for typing
    from simulators.tiktok.context import RequestContext


@dataclass(frozen=True, slots=True)
class Category:
    category_id: str
    name: str
    parent_id: str
    is_leaf: bool


@dataclass(frozen=True, slots=True)
class Brand:
    brand_id: str
    name: str


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category("600001", "Home Supplies", "0", is_leaf=False),
    Category("600024", "Kitchenware", "600001", is_leaf=True),
    Category("600025", "Home Decor", "600001", is_leaf=True),
    Category("601152", "Womenswear & Underwear", "0", is_leaf=False),
    Category("601226", "Women's Tops", "601152", is_leaf=True),
    Category("824328", "Phones & Electronics", "0", is_leaf=False),
    Category("909448", "Phone Accessories", "824328", is_leaf=True),
    Category("605196", "Sports & Outdoor", "0", is_leaf=False),
    Category("605248", "Fitness Equipment", "605196", is_leaf=True),
)

DEFAULT_BRANDS: tuple[Brand, ...] = (
    Brand("7082427311584347905", "Acme"),
    Brand("7082427311584347906", "Northwind"),
)


class Catalog:
    """Categories and brands known to the simulated platform (shared by every shop)."""

    def __init__(self) -> None:
        self.categories: dict[str, Category] = {c.category_id: c for c in DEFAULT_CATEGORIES}
        self.brands: dict[str, Brand] = {b.brand_id: b for b in DEFAULT_BRANDS}

    def add_category(self, category: Category) -> None:
        self.categories[category.category_id] = category

    def add_brand(self, brand: Brand) -> None:
        self.brands[brand.brand_id] = brand

    def chain(self, category_id: str) -> list[Category]:
        """The path from the root to `category_id` (empty if unknown)."""
        chain: list[Category] = []
        current = self.categories.get(category_id)
        while current is not None and len(chain) < len(self.categories):
            chain.append(current)
            current = self.categories.get(current.parent_id)
        return list(reversed(chain))


def category_json(category: Category) -> JsonObject:
    return {
        "id": category.category_id,
        "parent_id": category.parent_id,
        "local_name": category.name,
        "is_leaf": category.is_leaf,
        "permission_statuses": ["AVAILABLE"],
    }


def get_categories(ctx: RequestContext) -> JsonObject:
    catalog = ctx.state.catalog
    return {"categories": [category_json(c) for c in catalog.categories.values()]}


def get_brands(ctx: RequestContext) -> JsonObject:
    brands = [
        {
            "id": brand.brand_id,
            "name": brand.name,
            "authorized_status": "AUTHORIZED",
            "brand_status": "AVAILABLE",
            "is_t1_brand": False,
        }
        for brand in ctx.state.catalog.brands.values()
    ]
    return {"brands": brands, "total_count": len(brands), "next_page_token": ""}
