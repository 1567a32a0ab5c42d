"""Pure translation between BigCommerce's catalog and inventory shapes and the daemon's types.

A variant's stock key is its variant id (V3 inventory is kept per variant and location).
Tracking and availability are kept per product: ``inventory_tracking: none`` means no stock is
counted (TikTok gets the maximum), ``availability: preorder`` sells without stock, and
``availability: disabled`` cannot be bought. ``is_visible`` false hides the product from the
storefront: it is yielded unpublished and the domain decides. Categories stand for what other
stores call types and collections: the product's first category is its product type, and every
category one of its collections.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import ValidationError

from daemon.connectors.bigcommerce.models import (
    InventoryItemWire,
    LocationWire,
    ProductWire,
    StoreWire,
    VariantWire,
)
from daemon.domain.models import (
    BadRecord,
    Image,
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

# The store's weight unit (``/v2/store`` ``weight_units``) as the domain names it.
WEIGHT_UNITS = {
    "kgs": WeightUnit.KILOGRAM,
    "kilograms": WeightUnit.KILOGRAM,
    "grams": WeightUnit.GRAM,
    "lbs": WeightUnit.POUND,
    "pounds": WeightUnit.POUND,
    "ounces": WeightUnit.OUNCE,
}
_STATES = {
    "available": ProductState.ACTIVE,
    "preorder": ProductState.ACTIVE,
    "disabled": ProductState.ARCHIVED,
}


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def store_info(store: StoreWire) -> StoreInfo:
    return StoreInfo(name=store.name, currency=store.currency.upper(), domain=store.domain)


def _positive(value: Decimal | None) -> Decimal | None:
    return value if value is not None and value > 0 else None


def variant_from_wire(
    variant: VariantWire, product: ProductWire, currency: str, unit: WeightUnit | None
) -> Variant:
    base = variant.price if variant.price is not None else product.price
    own_price = variant.price is not None
    sale = _positive(variant.sale_price) or (None if own_price else _positive(product.sale_price))
    weight = _positive(variant.weight) or _positive(product.weight)
    return Variant(
        id=str(variant.id),
        sku=blank_to_none(variant.sku),
        barcode=blank_to_none(variant.upc) or blank_to_none(variant.gtin),
        price=Money(sale if sale is not None else base, currency),
        options=tuple((v.option_display_name, v.label) for v in variant.option_values),
        stock_key=str(variant.id),
        tracked=product.inventory_tracking != "none",
        continue_selling=product.availability == "preorder",
        weight=None if weight is None or unit is None else Weight(weight, unit),
        compare_at_price=None if sale is None else Money(base, currency),
        image_url=blank_to_none(variant.image_url),
    )


def product_from_wire(
    product: ProductWire, currency: str, unit: WeightUnit | None, categories: Mapping[int, str]
) -> Product:
    if not product.variants:
        raise ValueError("the product has no variants (ask for include=variants)")
    images = sorted(product.images, key=lambda image: (image.sort_order, image.id))
    urls = [image.url_zoom or image.url_standard for image in images]
    first = product.variants[0]
    return Product(
        id=str(product.id),
        title=product.name,
        description_html=product.description,
        state=_STATES[product.availability],
        updated_at=utc(product.date_modified),
        variants=tuple(variant_from_wire(v, product, currency, unit) for v in product.variants),
        images=tuple(
            Image(url=url, position=n) for n, url in enumerate((u for u in urls if u), start=1)
        ),
        option_names=tuple(v.option_display_name for v in first.option_values),
        # BigCommerce has categories and no product type: the first category is its type,
        # and every category a collection.
        product_type=next((categories[c] for c in product.categories if c in categories), None),
        collections=frozenset(categories[c] for c in product.categories if c in categories),
        published=product.is_visible,
    )


def raw_id(raw: object) -> str:
    """The id of an unreadable record, as far as it can be told."""
    if isinstance(raw, Mapping):
        value = raw.get("id")
        if isinstance(value, int | str) and not isinstance(value, bool):
            return str(value)
    return "unknown"


def parse_product(raw: object) -> ProductWire | BadRecord:
    try:
        return ProductWire.model_validate(raw)
    except ValidationError as exc:
        return BadRecord("product", raw_id(raw), validation_summary(exc))


def product_or_bad(
    wire: ProductWire | BadRecord,
    currency: str,
    unit: WeightUnit | None,
    categories: Mapping[int, str],
) -> Product | BadRecord:
    if isinstance(wire, BadRecord):
        return wire
    try:
        return product_from_wire(wire, currency, unit, categories)
    except ValueError as exc:
        return BadRecord("product", str(wire.id), str(exc))


def location_from_wire(location: LocationWire) -> Location:
    return Location(id=str(location.id), name=location.label, active=location.enabled)


def levels_from_wire(item: InventoryItemWire) -> list[StockLevel]:
    key = str(item.identity.variant_id)
    return [StockLevel(key, str(at.location_id), at.available_to_sell) for at in item.locations]
