"""Settings turned into the domain's rule objects (the domain never reads settings)."""

from __future__ import annotations

from decimal import Decimal

from daemon.domain.categories import CategoryRule, MatchBy
from daemon.domain.inventory import InventoryRules, WarehouseRule
from daemon.domain.markets import market_facts
from daemon.domain.models import Dimensions, LengthUnit, Weight, WeightUnit
from daemon.domain.package import PackageDefaults
from daemon.domain.validation import ValidationConfig
from daemon.settings import CatalogSection, ShopSection, SyncRules
from daemon.settings import PackageDefaults as PackageSection


def inventory_rules(rules: SyncRules) -> InventoryRules:
    return InventoryRules(
        percentage=rules.stock_percentage,
        safety_buffer=rules.safety_buffer,
        out_of_stock_threshold=rules.out_of_stock_threshold,
        max_quantity=rules.max_quantity,
        warehouses=tuple(
            WarehouseRule(tuple(rule.locations), rule.warehouse) for rule in rules.locations
        ),
    )


def category_rules(catalog: CatalogSection) -> tuple[CategoryRule, ...]:
    return tuple(
        CategoryRule(MatchBy(rule.match_by), rule.value, rule.category_id, rule.category_name)
        for rule in catalog.categories
    )


def _package(section: PackageSection) -> PackageDefaults:
    sides = (section.length_cm, section.width_cm, section.height_cm)
    dimensions = None
    if all(side is not None for side in sides):
        length, width, height = (Decimal(side or 0) for side in sides)
        dimensions = Dimensions(length, width, height, LengthUnit.CENTIMETER)
    return PackageDefaults(Weight(section.weight_kg, WeightUnit.KILOGRAM), dimensions)


def validation_config(shop: ShopSection) -> ValidationConfig:
    catalog = shop.catalog
    return ValidationConfig(
        market=market_facts(shop.tiktok.market),
        identifier_exempt_categories=frozenset(catalog.identifier_exempt_categories),
        book_categories=frozenset(catalog.book_categories),
        package_defaults={key: _package(value) for key, value in catalog.package_defaults.items()},
        fallback_package=None
        if catalog.fallback_package is None
        else _package(catalog.fallback_package),
        require_dimensions=catalog.require_dimensions,
        require_seller_sku=catalog.require_seller_sku,
    )
