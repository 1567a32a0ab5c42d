"""Pure translation between the HTTP API's catalog and inventory shapes and the daemon's
types. No I/O.

A product projection is one `Product`; its master variant and variants are its variants,
with ids ``{product id}/{variant id}`` and the SKU as stock key (inventory entries are kept by
SKU). The price is the one selected for the shop's market (``price``), its discounted value
when a product discount applies (the undiscounted one is the compare-at price). A variant
with inventory entries is tracked (``availability`` present); one whose entries may be
restocked (``restockableInDays``) keeps selling when out of stock. Options are the
configured attributes, or those whose values differ between the variants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from daemon.connectors.commercetools.models import Channel, InventoryEntry, Projection
from daemon.connectors.commercetools.models import Money as WireMoney
from daemon.connectors.commercetools.models import Variant as WireVariant
from daemon.connectors.http import validation_summary
from daemon.domain.models import (
    BadRecord,
    Image,
    Location,
    Money,
    Product,
    ProductState,
    StockLevel,
    Variant,
    Weight,
    WeightUnit,
)

SUPPLY = "InventorySupply"
#: Inventory entries without a supply channel count at this location.
NO_CHANNEL = "no-channel"


@dataclass(frozen=True)
class CatalogContext:
    currency: str
    locale: str
    categories: Mapping[str, str]  # id -> name
    option_attributes: tuple[str, ...]
    barcode_attribute: str | None
    weight_attribute: str | None


def localized(value: Mapping[str, str] | None, locale: str) -> str | None:
    """The text in `locale`, else its language, else English, else any."""
    if not value:
        return None
    language = locale.split("-", maxsplit=1)[0]
    for wanted in (locale, language, "en"):
        if value.get(wanted):
            return value[wanted]
    matching = [v for k, v in value.items() if k.split("-")[0] == language and v]
    return matching[0] if matching else next((v for v in value.values() if v), None)


def attribute_text(value: Any, locale: str) -> str | None:
    """An attribute value as text: enums by label, localized values in `locale`."""
    if isinstance(value, dict):
        if "label" in value:
            return attribute_text(value["label"], locale)
        if "key" in value and len(value) <= 2:  # noqa: PLR2004 an enum without a label
            return str(value["key"])
        return localized({str(k): str(v) for k, v in value.items()}, locale)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | str):
        return str(value).strip() or None
    return None


def money(wire: WireMoney) -> Money:
    amount = Decimal(wire.cents).scaleb(-wire.fraction_digits)
    return Money(amount, wire.currency.upper())


def raw_id(raw: object) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
        return str(raw["id"])
    return "unknown"


def parse_projection(raw: object) -> Projection | BadRecord:
    try:
        return Projection.model_validate(raw)
    except ValidationError as exc:
        return BadRecord("product", raw_id(raw), validation_summary(exc))


def _attributes(variant: WireVariant, locale: str) -> dict[str, str]:
    found = {}
    for attribute in variant.attributes:
        text = attribute_text(attribute.value, locale)
        if text is not None:
            found[attribute.name] = text
    return found


def _option_names(variants: Sequence[WireVariant], ctx: CatalogContext) -> tuple[str, ...]:
    if ctx.option_attributes:
        return ctx.option_attributes if len(variants) > 1 else ()
    values = [_attributes(v, ctx.locale) for v in variants]
    names: list[str] = []
    skip = {ctx.barcode_attribute, ctx.weight_attribute}
    for attrs in values:
        for name in attrs:
            if name in names or name in skip:
                continue
            if len({v.get(name) for v in values}) > 1:
                names.append(name)
    return tuple(names)


def _flags(variant: WireVariant) -> tuple[bool, bool]:
    availability = variant.availability
    if availability is None or not variant.sku:
        return False, False
    views = [availability, *availability.channels.values()]
    return True, any(v.restockable_in_days is not None for v in views)


def _variant(
    product_id: str, variant: WireVariant, names: tuple[str, ...], ctx: CatalogContext
) -> Variant:
    label = variant.sku or f"variant {variant.id}"
    if variant.price is None:
        raise ValueError(f"{label} has no price in {ctx.currency}")
    price = variant.price
    value = money(price.value)
    if value.currency != ctx.currency:
        raise ValueError(f"{label}: the selected price is in {value.currency}, not {ctx.currency}")
    attrs = _attributes(variant, ctx.locale)
    missing = [name for name in names if name not in attrs]
    if missing:
        raise ValueError(f"{label} has no value for the option {missing[0]!r}")
    weight_text = attrs.get(ctx.weight_attribute or "")
    weight = None
    if weight_text:
        try:
            kilograms = Decimal(weight_text)
        except ArithmeticError:
            raise ValueError(f"{label}: the weight {weight_text!r} is not a number") from None
        weight = Weight(kilograms, WeightUnit.KILOGRAM) if kilograms > 0 else None
    tracked, continue_selling = _flags(variant)
    discounted = price.discounted
    return Variant(
        id=f"{product_id}/{variant.id}",
        sku=variant.sku,
        barcode=attrs.get(ctx.barcode_attribute or ""),
        price=money(discounted.value) if discounted else value,
        options=tuple((name, attrs[name]) for name in names),
        stock_key=variant.sku,
        tracked=tracked,
        continue_selling=continue_selling,
        weight=weight,
        compare_at_price=value if discounted else None,
        image_url=variant.images[0].url if variant.images else None,
    )


def product_from_wire(product: Projection, ctx: CatalogContext) -> Product:
    variants = [product.master_variant, *product.variants]
    names = _option_names(variants, ctx)
    categories = [ctx.categories[c.id] for c in product.categories if c.id in ctx.categories]
    images = [i.url for v in variants for i in v.images]
    return Product(
        id=product.id,
        title=localized(product.name, ctx.locale) or "",
        description_html=localized(product.description, ctx.locale) or "",
        state=ProductState.ACTIVE if product.published else ProductState.DRAFT,
        updated_at=product.last_modified_at,
        variants=tuple(_variant(product.id, v, names, ctx) for v in variants),
        images=tuple(Image(url=url, position=n) for n, url in enumerate(dict.fromkeys(images), 1)),
        option_names=names,
        product_type=categories[0] if categories else None,
        collections=frozenset(categories),
        published=product.published,
    )


def product_or_bad(raw: object, ctx: CatalogContext) -> Product | BadRecord:
    parsed = parse_projection(raw)
    if isinstance(parsed, BadRecord):
        return parsed
    try:
        return product_from_wire(parsed, ctx)
    except ValueError as exc:
        return BadRecord("product", parsed.id, str(exc))


def location_from_wire(channel: Channel, locale: str) -> Location:
    """A channel without the InventorySupply role supplies nothing: an inactive location."""
    name = localized(channel.name, locale) or channel.key
    return Location(id=channel.key, name=name, active=SUPPLY in channel.roles)


def level_from_wire(
    entry: InventoryEntry, channel_keys: Mapping[str, str], *, on_stock: bool
) -> StockLevel:
    channel = entry.supply_channel
    location = NO_CHANNEL if channel is None else channel_keys.get(channel.id, channel.id)
    return StockLevel(entry.sku, location, entry.on_stock if on_stock else entry.available)
