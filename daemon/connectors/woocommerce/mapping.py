"""Pure translation between WooCommerce's catalog shapes and the daemon's types. No I/O.

A ``simple`` product is one variant whose id (and stock key) is the product's; a ``variable``
product's variants are its variations, each its own stock key. Only status ``publish`` is for
sale; ``draft``, ``pending`` and ``private`` are drafts to the domain. ``manage_stock`` false
means untracked; ``backorders`` other than ``no`` means it sells when out of stock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from daemon.connectors.woocommerce.models import ProductWire, StockFields, VariationWire
from daemon.connectors.woocommerce.rest import validation_summary
from daemon.domain.models import (
    BadRecord,
    Image,
    Money,
    Product,
    ProductState,
    StockLevel,
    Variant,
    Weight,
    WeightUnit,
)

SELLABLE_TYPES = frozenset({"simple", "variable"})


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def wc_time(moment: datetime) -> str:
    """A ``modified_after``/``after`` value, UTC with ``dates_are_gmt``. WooCommerce's filters
    are strictly after and its dates whole seconds, so one second earlier means "at or after"."""
    return (utc(moment) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S")


def raw_id(raw: Any) -> str:
    """The id of a payload that failed validation, as well as can be told."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return str(value) if value is not None else "?"


def parse_product(raw: Any) -> ProductWire | BadRecord:
    try:
        return ProductWire.model_validate(raw)
    except ValidationError as exc:
        return BadRecord("product", raw_id(raw), validation_summary(exc))


def parse_variation(raw: Any, product_id: str) -> VariationWire | BadRecord:
    try:
        return VariationWire.model_validate(raw)
    except ValidationError as exc:
        reason = f"variation {raw_id(raw)}: {validation_summary(exc)}"
        return BadRecord("product", product_id, reason)


def tracked(item: StockFields) -> bool:
    return item.manage_stock is True


def _price(item: StockFields, currency: str) -> tuple[Money, Money | None]:
    """The price in effect (``price``: the sale price while a sale runs), and the regular
    price when it is higher."""
    regular = item.regular_price
    selling = item.price if item.price is not None else (item.sale_price or regular)
    if selling is None:
        raise ValueError(f"item {item.id} has no price")
    compare = Money(regular, currency) if regular is not None and regular > selling else None
    return Money(selling, currency), compare


def _weight(
    item: StockFields, unit: WeightUnit, parent: StockFields | None = None
) -> Weight | None:
    """The item's weight; a variation without one has its product's (as WooCommerce ships it)."""
    value = item.weight if item.weight is not None else (parent.weight if parent else None)
    return None if value is None or value <= 0 else Weight(value, unit)


def _variant(
    item: StockFields,
    currency: str,
    unit: WeightUnit,
    options: tuple[tuple[str, str], ...],
    image: str | None,
    *,
    parent: StockFields | None = None,
) -> Variant:
    price, compare = _price(item, currency)
    return Variant(
        id=str(item.id),
        sku=item.sku or None,
        barcode=item.global_unique_id or None,
        price=price,
        options=options,
        stock_key=str(item.id),
        tracked=tracked(item),
        continue_selling=item.backorders != "no",
        weight=_weight(item, unit, parent),
        compare_at_price=compare,
        image_url=image,
    )


def _state(status: str) -> ProductState:
    return ProductState.ACTIVE if status == "publish" else ProductState.DRAFT


def product_from_wire(
    product: ProductWire,
    variations: list[VariationWire],
    currency: str,
    unit: WeightUnit = WeightUnit.KILOGRAM,
) -> Product | BadRecord:
    """The domain product; a product WooCommerce cannot sell as a SKU (grouped, external) is
    a `BadRecord` saying so, as is one whose price is missing."""
    product_id = str(product.id)
    if product.type not in SELLABLE_TYPES:
        return BadRecord("product", product_id, f"a {product.type} product has no SKU of its own")
    try:
        if product.type == "simple":
            variants: tuple[Variant, ...] = (_variant(product, currency, unit, (), None),)
            option_names: tuple[str, ...] = ()
        else:
            option_names = tuple(a.name for a in product.attributes if a.variation)
            variants = tuple(
                _variant(
                    v,
                    currency,
                    unit,
                    tuple((a.name, a.option or "") for a in v.attributes),
                    v.image.src if v.image else None,
                    parent=product,
                )
                for v in variations
                if v.status == "publish"  # a disabled variation ("private") is not for sale
            )
    except ValueError as exc:
        return BadRecord("product", product_id, str(exc))
    if not variants:
        return BadRecord("product", product_id, "a variable product without enabled variations")
    modified = max(
        [utc(product.date_modified_gmt), *(utc(v.date_modified_gmt) for v in variations)]
    )
    return Product(
        id=product_id,
        title=product.name,
        description_html=product.description,
        state=_state(product.status),
        updated_at=modified,
        variants=variants,
        images=tuple(Image(image.src, n + 1) for n, image in enumerate(product.images)),
        option_names=option_names,
        product_type=product.categories[0].name if product.categories else None,
        collections=frozenset(c.name for c in product.categories),
        published=product.status == "publish",
    )


def level_of(item: StockFields, location_id: str) -> StockLevel | None:
    """The item's one stock level, when WooCommerce counts its stock."""
    if not tracked(item) or item.stock_quantity is None:
        return None
    return StockLevel(str(item.id), location_id, item.stock_quantity)


def price_text(amount: Decimal) -> str:
    return f"{amount:.2f}"
