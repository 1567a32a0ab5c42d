"""What the feeds said about one product, as the daemon's `Product`.

A master and its variants (each its own product element) become one product whose variants
carry the master's variation attributes as options; a product without variants is one with a
single variant of itself. Names and descriptions are taken in the shop's locale, else in
``x-default``; the online flag for the site, else the default one, says whether it is
published. Prices come from the sale book when it has one, else the list book; stock records
say whether a variant is perpetual (untracked) or sells on backorder. Custom attributes named
in the settings' attribute map give the fields the catalog has no element for; a value that is
not what its field takes fails the product with the field and the attribute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from daemon.connectors.feeds import FeedRecord
from daemon.connectors.sfcc.apply import key_of
from daemon.connectors.sfcc.catalog import DEFAULT_LOCALE
from daemon.connectors.sfcc.settings import AttributeMap
from daemon.domain.models import (
    BadRecord,
    Dimensions,
    Image,
    Money,
    Product,
    ProductState,
    Variant,
    Weight,
)


@dataclass(frozen=True)
class View:
    """How this shop reads the feeds (from its settings)."""

    locale: str
    site_id: str
    currency: str
    list_book: str
    sale_book: str | None
    view_type: str
    image_base_url: str | None
    attributes: AttributeMap

    @property
    def books(self) -> tuple[str, ...]:
        return (self.list_book,) if self.sale_book is None else (self.list_book, self.sale_book)


class Unreadable(Exception):  # noqa: N818 it names the outcome
    """One product cannot be made from what the feeds said (the message says why)."""


@dataclass(frozen=True)
class Parts:
    """What one product is made of, read from the feed state."""

    master: FeedRecord
    variants: Mapping[str, FeedRecord]  # live variant records by id
    prices: Mapping[str, FeedRecord]  # by `key_of(book, product)`
    stock: Mapping[str, Sequence[Mapping[str, Any]]]  # stock record bodies by product id


def product_of(view: View, parts: Parts) -> Product | BadRecord:
    try:
        return _product(view, parts)
    except Unreadable as exc:
        return BadRecord("product", parts.master.key, str(exc))


def variant_ids(body: Mapping[str, Any]) -> list[str]:
    return [str(v) for v in body.get("variants", [])]


def _pick(localized: Mapping[str, str] | None, locale: str) -> str | None:
    if not localized:
        return None
    return localized.get(locale) or localized.get(DEFAULT_LOCALE) or None


def _product(view: View, parts: Parts) -> Product:
    body = parts.master.body
    title = _pick(body.get("names"), view.locale)
    if title is None:
        raise Unreadable(f"display-name: none in {view.locale} or {DEFAULT_LOCALE}")
    names = view.attributes
    custom = body.get("custom", {})
    description = (
        _one(view, custom, "description", names.description)
        or _pick(body.get("descriptions"), view.locale)
        or _pick(body.get("short_descriptions"), view.locale)
        or ""
    )
    online = body.get("online", {})
    published = bool(online.get(view.site_id, online.get("", False)))
    attributes = list(body.get("variation_attributes", []))
    ids = variant_ids(body)
    if ids:
        variants = tuple(_variant(view, parts, vid, attributes) for vid in ids)
    else:
        variants = (_variant(view, parts, parts.master.key, []),)
    return Product(
        id=parts.master.key,
        title=title,
        description_html=description,
        state=ProductState.ACTIVE,
        updated_at=parts.master.updated_at,
        variants=variants,
        images=tuple(Image(url, n) for n, url in enumerate(_images(view, body, None), start=1)),
        option_names=tuple(_pick(a.get("names"), view.locale) or a["id"] for a in attributes),
        vendor=_one(view, custom, "vendor", names.vendor) or body.get("brand") or None,
        product_type=_one(view, custom, "product_type", names.product_type)
        or body.get("category")
        or None,
        tags=frozenset(values(custom, names.tags, view.locale)),
        collections=frozenset(values(custom, names.collections, view.locale)),
        dimensions=_dimensions(view, custom),
        published=published,
    )


def _variant(
    view: View, parts: Parts, variant_id: str, attributes: list[dict[str, Any]]
) -> Variant:
    own = parts.master if variant_id == parts.master.key else parts.variants.get(variant_id)
    if own is None:
        raise Unreadable(f"variants: {variant_id!r} is named but in no catalog feed")
    body = own.body
    custom = body.get("custom", {})
    options: list[tuple[str, str]] = []
    chosen: dict[str, str] = {}
    for attribute in attributes:
        value = next(iter(values(custom, attribute["id"], view.locale)), None)
        if not value:
            raise Unreadable(
                f"variants: {variant_id!r} has no value for variation attribute {attribute['id']!r}"
            )
        chosen[attribute["id"]] = value
        shown = _pick(attribute.get("values", {}).get(value), view.locale) or value
        options.append((_pick(attribute.get("names"), view.locale) or attribute["id"], shown))
    price, compare_at = _prices(view, parts, variant_id)
    levels = parts.stock.get(variant_id, ())
    images = _images(view, parts.master.body, dict(options) | chosen) or _images(view, body, None)
    names = view.attributes
    weight = _number(view, custom, "weight", names.weight)
    if weight is None and own is not parts.master:
        weight = _number(view, parts.master.body.get("custom", {}), "weight", names.weight)
    return Variant(
        id=variant_id,
        sku=variant_id,
        barcode=_one(view, custom, "barcode", names.barcode)
        or body.get("ean")
        or body.get("upc")
        or None,
        price=price,
        options=tuple(options),
        stock_key=variant_id,
        tracked=not any(level.get("perpetual") for level in levels),
        continue_selling=any(level.get("backorder") for level in levels),
        weight=None if weight is None else Weight(weight, names.weight_unit),
        compare_at_price=compare_at,
        image_url=images[0] if images and variant_id != parts.master.key else None,
    )


def values(custom: Mapping[str, Any], attribute: str | None, locale: str) -> list[str]:
    """A custom attribute's values in `locale`, else in ``x-default``; none when absent."""
    found = custom.get(attribute) if attribute else None
    if isinstance(found, str):  # kept before custom attributes were read per locale
        return [found] if found else []
    if not isinstance(found, Mapping):
        return []
    for lang in (locale, DEFAULT_LOCALE):
        if lang in found:
            return [str(value) for value in found[lang] if value]
    return []


def _one(view: View, custom: Mapping[str, Any], field: str, attribute: str | None) -> str | None:
    found = values(custom, attribute, view.locale)
    if len(found) > 1:
        raise Unreadable(
            f"{field}: custom attribute {attribute!r} has {len(found)} values; the field takes one"
        )
    return found[0] if found else None


def _number(
    view: View, custom: Mapping[str, Any], field: str, attribute: str | None
) -> Decimal | None:
    text = _one(view, custom, field, attribute)
    if text is None:
        return None
    unit = view.attributes.weight_unit if field == "weight" else view.attributes.dimension_unit
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise Unreadable(
            f"{field}: custom attribute {attribute!r} is {text!r}, not a number of {unit}"
        )
    return number


def _dimensions(view: View, custom: Mapping[str, Any]) -> Dimensions | None:
    names = view.attributes
    length = _number(view, custom, "length", names.length)
    width = _number(view, custom, "width", names.width)
    height = _number(view, custom, "height", names.height)
    if length is None or width is None or height is None:
        return None  # a package is whole or not given
    return Dimensions(length, width, height, names.dimension_unit)


def _amount(parts: Parts, book: str | None, product_id: str) -> Decimal | None:
    record = parts.prices.get(key_of(book, product_id)) if book else None
    return None if record is None else Decimal(str(record.body["amount"]))


def _prices(view: View, parts: Parts, variant_id: str) -> tuple[Money, Money | None]:
    listed = _amount(parts, view.list_book, variant_id)
    sale = _amount(parts, view.sale_book, variant_id)
    if listed is None and sale is None:
        raise Unreadable(f"price: {variant_id!r} has no price in price book {view.list_book!r}")
    if sale is None or (listed is not None and sale >= listed):
        return Money(listed if listed is not None else sale, view.currency), None  # type: ignore[arg-type]
    return Money(sale, view.currency), None if listed is None else Money(listed, view.currency)


def _images(view: View, body: Mapping[str, Any], variation: Mapping[str, str] | None) -> list[str]:
    """Image URLs of the view type: the product's own groups (no variation) when `variation`
    is None, else the group whose variation values all match."""
    found: list[str] = []
    for group in body.get("images", []):
        if group.get("view_type") != view.view_type:
            continue
        wanted: Mapping[str, str] = group.get("variation", {})
        if variation is None and wanted:
            continue
        if variation is not None and (
            not wanted or any(variation.get(k) != v for k, v in wanted.items() if k != "*")
        ):
            continue
        found.extend(_url(view, path) for path in group.get("paths", []) if path)
    return found


def _url(view: View, path: str) -> str:
    if path.startswith(("http://", "https://")) or view.image_base_url is None:
        return path
    return view.image_base_url.rstrip("/") + "/" + path.lstrip("/")
