"""Reading catalog and delta catalog feeds: each ``<product>`` element as the fields it
carries (a delta carries only what changed), and merging those into what earlier feeds said.

A record keeps the feed's own words: names and descriptions per locale, online flags per site,
image groups by view type, identifiers, custom attributes, and, for a master, its variation
attributes and the ids of its variants (each variant is a product element of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from daemon.connectors.sfcc.validation import Feed, elements, required, tag

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_LOCALE = "x-default"


def _t(name: str) -> str:
    return tag(Feed.CATALOG, name)


@dataclass(frozen=True)
class ProductElement:
    product_id: str
    delete: bool
    fields: dict[str, Any]  # only the fields the element carries
    line: int


def read_products(path: Path) -> Iterator[ProductElement]:
    """Every product element of a checked catalog file, in order, in flat memory."""
    others = ("category", "category-assignment", "recommendation", "product-option")
    for element in elements(path, Feed.CATALOG, ["product"], others):
        yield ProductElement(
            product_id=required(element, "product-id"),
            delete=element.get("mode") == "delete",
            fields=_fields(element),
            line=element.sourceline or 0,
        )


def _localized(element: etree._Element, name: str) -> dict[str, str] | None:
    found = element.findall(_t(name))
    if not found:
        return None
    return {node.get(_XML_LANG, DEFAULT_LOCALE): (node.text or "").strip() for node in found}


def _site_flags(element: etree._Element, name: str) -> dict[str, bool] | None:
    found = element.findall(_t(name))
    if not found:
        return None
    return {node.get("site-id", ""): (node.text or "").strip() in {"true", "1"} for node in found}


def _text(element: etree._Element, name: str) -> str | None:
    node = element.find(_t(name))
    return None if node is None else (node.text or "").strip()


def _custom(element: etree._Element) -> dict[str, dict[str, list[str]]] | None:
    """Custom attributes as ``{attribute-id: {locale: [values]}}``: a multi-value attribute
    lists its ``<value>``s, a single one its text; no ``xml:lang`` is ``x-default``. An empty
    attribute has no values (a delta clears it so)."""
    holder = element.find(_t("custom-attributes"))
    if holder is None:
        return None
    found: dict[str, dict[str, list[str]]] = {}
    for node in holder.findall(_t("custom-attribute")):
        listed = node.findall(_t("value"))
        values = [(v.text or "").strip() for v in listed] if listed else [(node.text or "").strip()]
        locales = found.setdefault(required(node, "attribute-id"), {})
        locales[node.get(_XML_LANG, DEFAULT_LOCALE)] = [value for value in values if value]
    return found


def _images(element: etree._Element) -> list[dict[str, Any]] | None:
    holder = element.find(_t("images"))
    if holder is None:
        return None
    groups: list[dict[str, Any]] = []
    for group in holder.findall(_t("image-group")):
        variation = {
            node.get("attribute-id"): node.get("value") for node in group.findall(_t("variation"))
        }
        value = group.get("variation-value")
        groups.append(
            {
                "view_type": group.get("view-type"),
                "variation": variation or ({"*": value} if value else {}),
                "paths": [image.get("path") for image in group.findall(_t("image"))],
            }
        )
    return groups


def _variations(element: etree._Element) -> tuple[list[dict[str, Any]], list[str]] | None:
    holder = element.find(_t("variations"))
    if holder is None:
        return None
    attributes: list[dict[str, Any]] = []
    for attribute in holder.iterfind(f"{_t('attributes')}/{_t('variation-attribute')}"):
        values = {
            value.get("value"): _localized(value, "display-value") or {}
            for value in attribute.iterfind(
                f"{_t('variation-attribute-values')}/{_t('variation-attribute-value')}"
            )
        }
        attributes.append(
            {
                "id": attribute.get("attribute-id"),
                "names": _localized(attribute, "display-name") or {},
                "values": values,
            }
        )
    variants = [
        required(v, "product-id") for v in holder.iterfind(f"{_t('variants')}/{_t('variant')}")
    ]
    return attributes, variants


def _fields(element: etree._Element) -> dict[str, Any]:
    category = element.find(_t("classification-category"))
    found: dict[str, Any] = {
        "ean": _text(element, "ean"),
        "upc": _text(element, "upc"),
        "brand": _text(element, "brand"),
        "names": _localized(element, "display-name"),
        "short_descriptions": _localized(element, "short-description"),
        "descriptions": _localized(element, "long-description"),
        "online": _site_flags(element, "online-flag"),
        "category": None if category is None else (category.text or "").strip(),
        "images": _images(element),
        "custom": _custom(element),
    }
    variations = _variations(element)
    if variations is not None:
        found["variation_attributes"], found["variants"] = variations
    # Only what the element carries: a delta's missing fields keep what earlier feeds said.
    return {key: value for key, value in found.items() if value is not None}


def merged(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """A delta's fields over what the product was: a field given replaces, others stay; custom
    attributes merge one by one and locale by locale, as the platform's import merges them."""
    both = {**(old or {}), **new}
    kept = (old or {}).get("custom")
    if isinstance(kept, dict) and "custom" in new:
        given = new["custom"]
        both["custom"] = {
            attribute: {**_locales(kept.get(attribute)), **_locales(given.get(attribute))}
            for attribute in dict.fromkeys([*kept, *given])
        }
    return both


def _locales(kept: Any) -> dict[str, Any]:
    # A value kept before custom attributes were read per locale is a plain string.
    return kept if isinstance(kept, dict) else {DEFAULT_LOCALE: [kept]} if kept else {}
