"""Pure translation between Shopify's wire shapes and the daemon's types. No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from pydantic import ValidationError

from daemon.connectors.shopify.models import (
    InventoryLevelWire,
    LocationWire,
    ProductWire,
    ShopWire,
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

# Shopify's placeholder option of a product without real options.
_DEFAULT_OPTION = ("Title", "Default Title")


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


def store_info(shop: ShopWire) -> StoreInfo:
    return StoreInfo(
        name=shop.name,
        currency=shop.currency.upper(),
        domain=shop.myshopify_domain or shop.domain or "",
    )


def _option_names(product: ProductWire) -> tuple[str, ...]:
    names = tuple(option.name for option in sorted(product.options, key=lambda o: o.position))
    if names == (_DEFAULT_OPTION[0],) and all(
        v.option1 == _DEFAULT_OPTION[1] for v in product.variants
    ):
        return ()
    return names


def _weight(variant: VariantWire) -> Weight | None:
    # Shopify reports 0 for "no weight entered": treat it as absent so defaults can apply.
    if variant.weight is None or variant.weight <= 0 or variant.weight_unit is None:
        return None
    return Weight(variant.weight, WeightUnit(variant.weight_unit))


def variant_from_wire(
    variant: VariantWire,
    option_names: tuple[str, ...],
    tracked: Mapping[int, bool],
    currency: str,
    image_urls: Mapping[int, str],
) -> Variant:
    values = (variant.option1, variant.option2, variant.option3)
    options = tuple(
        (name, value)
        for name, value in zip(option_names, values, strict=False)
        if value is not None
    )
    is_tracked = tracked.get(variant.inventory_item_id)
    if is_tracked is None:  # the item was not found: fall back to the older variant field
        is_tracked = variant.inventory_management == "shopify"
    return Variant(
        id=str(variant.id),
        sku=blank_to_none(variant.sku),
        barcode=blank_to_none(variant.barcode),
        price=Money(variant.price, currency),
        options=options,
        stock_key=str(variant.inventory_item_id),
        tracked=is_tracked,
        continue_selling=variant.inventory_policy == "continue",
        weight=_weight(variant),
        compare_at_price=(
            None if variant.compare_at_price is None else Money(variant.compare_at_price, currency)
        ),
        image_url=None if variant.image_id is None else image_urls.get(variant.image_id),
    )


def product_from_wire(product: ProductWire, tracked: Mapping[int, bool], currency: str) -> Product:
    names = _option_names(product)
    images = sorted(product.images, key=lambda image: image.position)
    urls = {image.id: image.src for image in images}
    variants = sorted(product.variants, key=lambda variant: variant.position)
    return Product(
        id=str(product.id),
        title=product.title,
        description_html=product.body_html or "",
        state=ProductState(product.status),
        updated_at=utc(product.updated_at),
        variants=tuple(variant_from_wire(v, names, tracked, currency, urls) for v in variants),
        images=tuple(
            Image(url=image.src, position=index, width=image.width, height=image.height)
            for index, image in enumerate(images, start=1)
        ),
        option_names=names,
        vendor=blank_to_none(product.vendor),
        product_type=blank_to_none(product.product_type),
        tags=frozenset(tag.strip() for tag in product.tags.split(",") if tag.strip()),
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
    wire: ProductWire | BadRecord, tracked: Mapping[int, bool], currency: str
) -> Product | BadRecord:
    if isinstance(wire, BadRecord):
        return wire
    try:
        return product_from_wire(wire, tracked, currency)
    except ValueError as exc:
        return BadRecord("product", str(wire.id), str(exc))


def location_from_wire(location: LocationWire) -> Location:
    return Location(id=str(location.id), name=location.name, active=location.active)


def stock_from_wire(level: InventoryLevelWire) -> StockLevel | None:
    """None when Shopify reports no count (``available: null``, e.g. an untracked item)."""
    if level.available is None:
        return None
    return StockLevel(str(level.inventory_item_id), str(level.location_id), level.available)
