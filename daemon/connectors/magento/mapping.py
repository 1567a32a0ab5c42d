"""Pure translation between Magento's catalog and inventory wire shapes and the daemon's
types. No I/O.

A configurable product is one `Product` whose variants are its enabled children (simple
products); a simple product visible on its own is a `Product` with one variant. Only an
enabled product visible in the catalog or search (``status`` 1, ``visibility`` 2 to 4) is
published; the domain decides what goes to TikTok. The stock key is the SKU: MSI keys source
items by SKU.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import ValidationError

from daemon.connectors.magento.models import (
    AttributeWire,
    ProductWire,
    SourceItemWire,
    SourceWire,
    StoreConfigWire,
)
from daemon.connectors.magento.rest import validation_summary
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

STATUS_ENABLED = 1
VISIBILITY_NOT_VISIBLE = 1
SOURCE_IN_STOCK = 1
SIMPLE, CONFIGURABLE = "simple", "configurable"
_WEIGHT_UNITS = {"kgs": WeightUnit.KILOGRAM, "lbs": WeightUnit.POUND}


@dataclass(frozen=True)
class CatalogContext:
    """What reading products needs beyond the products: the store's currency, media URL and
    weight unit, the attributes configurables vary by, category names, the barcode attribute."""

    currency: str
    media_url: str
    weight_unit: str
    attributes: Mapping[int, AttributeWire]
    categories: Mapping[int, str]
    barcode_attribute: str | None


def store_info(config: StoreConfigWire, name: str) -> StoreInfo:
    return StoreInfo(
        name=name,
        currency=config.base_currency_code.upper(),
        domain=urlsplit(config.base_url).hostname or "",
    )


def raw_id(raw: object) -> str:
    """The id of an unreadable record, as far as it can be told."""
    if isinstance(raw, Mapping):
        for key in ("id", "entity_id"):
            value = raw.get(key)
            if isinstance(value, int | str) and not isinstance(value, bool):
                return str(value)
    return "unknown"


def parse_product(raw: object) -> ProductWire | BadRecord:
    try:
        return ProductWire.model_validate(raw)
    except ValidationError as exc:
        return BadRecord("product", raw_id(raw), validation_summary(exc))


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _weight(product: ProductWire, unit: str) -> Weight | None:
    if product.weight is None or product.weight <= 0 or unit not in _WEIGHT_UNITS:
        return None
    return Weight(product.weight, _WEIGHT_UNITS[unit])


def _images(product: ProductWire, media_url: str) -> list[str]:
    entries = sorted(product.media_gallery_entries or [], key=lambda e: e.position)
    base = media_url.rstrip("/") + "/catalog/product"
    return [base + e.file for e in entries if not e.disabled and e.media_type == "image"]


def _options(
    child: ProductWire, parent: ProductWire, ctx: CatalogContext
) -> tuple[tuple[str, str], ...]:
    found = []
    options = parent.extension_attributes.configurable_product_options
    for option in sorted(options, key=lambda o: o.position):
        attribute = ctx.attributes.get(option.attribute_id)
        if attribute is None:
            raise ValueError(
                f"attribute {option.attribute_id} of option {option.label!r} is unknown"
            )
        value = child.attribute(attribute.attribute_code)
        labels = {o.value: o.label for o in attribute.options}
        label = labels.get(str(value)) if value is not None else None
        if label is None:
            raise ValueError(f"variant {child.sku} has no {option.label!r} value")
        found.append((option.label, label))
    return tuple(found)


def _variant(
    product: ProductWire, options: tuple[tuple[str, str], ...], ctx: CatalogContext
) -> Variant:
    if product.price is None:
        raise ValueError(f"variant {product.sku} has no price")
    stock = product.extension_attributes.stock_item
    images = _images(product, ctx.media_url)
    barcode = product.attribute(ctx.barcode_attribute) if ctx.barcode_attribute else None
    return Variant(
        id=str(product.id),
        sku=product.sku.strip() or None,
        barcode=_text(barcode),
        price=Money(product.price, ctx.currency),
        options=options,
        stock_key=product.sku,
        tracked=True if stock is None else stock.manage_stock,
        continue_selling=stock is not None and stock.backorders != 0,
        weight=_weight(product, ctx.weight_unit),
        image_url=images[0] if images else None,
    )


def _published(product: ProductWire) -> bool:
    return product.status == STATUS_ENABLED and product.visibility != VISIBILITY_NOT_VISIBLE


def product_from_wire(
    product: ProductWire, children: Sequence[ProductWire], ctx: CatalogContext
) -> Product:
    """`children` are a configurable's children (any order); a simple product has none."""
    if product.type_id == CONFIGURABLE:
        order = {
            child_id: n
            for n, child_id in enumerate(product.extension_attributes.configurable_product_links)
        }
        kids = sorted(children, key=lambda c: order.get(c.id, len(order)))
        selling = [kid for kid in kids if kid.status == STATUS_ENABLED] or kids
        if not selling:
            raise ValueError("a configurable product without children")
        variants = tuple(_variant(kid, _options(kid, product, ctx), ctx) for kid in selling)
        names = tuple(
            o.label
            for o in sorted(
                product.extension_attributes.configurable_product_options, key=lambda o: o.position
            )
        )
        updated = max([product.updated_at, *(kid.updated_at for kid in kids)])
    else:
        variants, names, updated = (_variant(product, (), ctx),), (), product.updated_at
    category_ids = product.attribute("category_ids") or []
    categories = [
        ctx.categories[int(c)]
        for c in category_ids
        if str(c).isdigit() and int(c) in ctx.categories
    ]
    return Product(
        id=str(product.id),
        title=product.name,
        description_html=_text(product.attribute("description")) or "",
        state=ProductState.ACTIVE if product.status == STATUS_ENABLED else ProductState.DRAFT,
        updated_at=updated,
        variants=variants,
        images=tuple(
            Image(url=url, position=n) for n, url in enumerate(_images(product, ctx.media_url), 1)
        ),
        option_names=names,
        product_type=categories[0] if categories else None,
        collections=frozenset(categories),
        published=_published(product),
    )


def product_or_bad(
    product: ProductWire, children: Sequence[ProductWire], ctx: CatalogContext
) -> Product | BadRecord:
    try:
        return product_from_wire(product, children, ctx)
    except ValueError as exc:
        return BadRecord("product", str(product.id), str(exc))


def location_from_wire(source: SourceWire) -> Location:
    return Location(id=source.source_code, name=source.name, active=source.enabled)


def level_from_wire(item: SourceItemWire) -> StockLevel:
    """An out-of-stock source item sells nothing there, whatever its quantity."""
    available = int(item.quantity) if item.status == SOURCE_IN_STOCK else 0
    return StockLevel(item.sku, item.source_code, available)
