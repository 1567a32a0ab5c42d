"""The XML the merchant's export jobs write: catalog (and delta) feeds, price books,
inventory lists and shipping-order status feeds, in the public schemas' namespaces and order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from lxml import etree

CATALOG = "http://www.demandware.com/xml/impex/catalog/2006-10-31"
PRICEBOOK = "http://www.demandware.com/xml/impex/pricebook/2006-10-31"
INVENTORY = "http://www.demandware.com/xml/impex/inventory/2007-05-31"
STATUS = "urn:demandware.com:oms:shipping_order_status_feed:99.9"
ORDER = "http://www.demandware.com/xml/impex/order/2006-10-31"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _el(
    parent: etree._Element, ns: str, name: str, text: object = None, **attrs: str
) -> etree._Element:
    node = etree.SubElement(
        parent, f"{{{ns}}}{name}", {k.replace("_", "-"): v for k, v in attrs.items()}
    )
    if text is not None:
        node.text = str(text)
    return node


def _bytes(root: etree._Element) -> bytes:
    content: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return content


@dataclass(frozen=True)
class CatalogProduct:
    """One product element: a master (with `variation` and `variants`), a variant (with
    `values`) or a simple product."""

    product_id: str
    name: str | None = None
    description: str | None = None
    ean: str | None = None
    online: bool | None = None
    images: Sequence[str] = ()
    brand: str | None = None
    category: str | None = None
    custom: Mapping[str, str] | None = None
    variation: Mapping[str, Sequence[str]] | None = None  # attribute id -> values
    variants: Sequence[str] = ()
    delete: bool = False


def catalog(catalog_id: str, products: Iterable[CatalogProduct]) -> bytes:
    root = etree.Element(f"{{{CATALOG}}}catalog", {"catalog-id": catalog_id}, nsmap={None: CATALOG})
    for item in products:
        _product(root, item)
    return _bytes(root)


def _product(root: etree._Element, item: CatalogProduct) -> None:
    attrs = {"product_id": item.product_id} | ({"mode": "delete"} if item.delete else {})
    node = _el(root, CATALOG, "product", **attrs)
    if item.delete:
        return
    if item.ean is not None:
        _el(node, CATALOG, "ean", item.ean)
    for name, text in (("display-name", item.name), ("long-description", item.description)):
        if text is not None:
            _el(node, CATALOG, name, text).set(XML_LANG, "x-default")
    if item.online is not None:
        _el(node, CATALOG, "online-flag", "true" if item.online else "false")
    if item.images:
        group = _el(_el(node, CATALOG, "images"), CATALOG, "image-group", view_type="large")
        for path in item.images:
            _el(group, CATALOG, "image", path=path)
    _rest(node, item)


def _rest(node: etree._Element, item: CatalogProduct) -> None:
    if item.brand is not None:
        _el(node, CATALOG, "brand", item.brand)
    if item.custom:
        holder = _el(node, CATALOG, "custom-attributes")
        for key, value in item.custom.items():
            _el(holder, CATALOG, "custom-attribute", value, attribute_id=key)
    if item.variation is not None:
        _variations(node, item)
    if item.category:
        _el(
            node, CATALOG, "classification-category", item.category, catalog_id="storefront-catalog"
        )


def _variations(node: etree._Element, item: CatalogProduct) -> None:
    assert item.variation is not None
    variations = _el(node, CATALOG, "variations")
    attributes = _el(variations, CATALOG, "attributes")
    for attribute, values in item.variation.items():
        va = _el(
            attributes,
            CATALOG,
            "variation-attribute",
            attribute_id=attribute,
            variation_attribute_id=attribute,
        )
        _el(va, CATALOG, "display-name", attribute).set(XML_LANG, "x-default")
        holder = _el(va, CATALOG, "variation-attribute-values")
        for value in values:
            shown = _el(holder, CATALOG, "variation-attribute-value", value=value)
            _el(shown, CATALOG, "display-value", value).set(XML_LANG, "x-default")
    variants = _el(variations, CATALOG, "variants")
    for variant in item.variants:
        _el(variants, CATALOG, "variant", product_id=variant)


def pricebook(book: str, currency: str, prices: Mapping[str, Decimal]) -> bytes:
    root = etree.Element(f"{{{PRICEBOOK}}}pricebooks", nsmap={None: PRICEBOOK})
    node = _el(root, PRICEBOOK, "pricebook")
    header = _el(node, PRICEBOOK, "header", pricebook_id=book)
    _el(header, PRICEBOOK, "currency", currency)
    _el(header, PRICEBOOK, "online-flag", "true")
    tables = _el(node, PRICEBOOK, "price-tables")
    for product_id, amount in prices.items():
        table = _el(tables, PRICEBOOK, "price-table", product_id=product_id)
        _el(table, PRICEBOOK, "amount", f"{amount:.2f}", quantity="1")
    return _bytes(root)


@dataclass(frozen=True)
class StockRecord:
    product_id: str
    allocation: int
    perpetual: bool = False
    backorder: bool = False


def inventory(lists: Mapping[str, tuple[str, bool, Sequence[StockRecord]]]) -> bytes:
    """Lists by id: (description, deleted, records)."""
    root = etree.Element(f"{{{INVENTORY}}}inventory", nsmap={None: INVENTORY})
    for list_id, (description, deleted, records) in lists.items():
        node = _el(root, INVENTORY, "inventory-list")
        header = _el(
            node, INVENTORY, "header", list_id=list_id, **({"mode": "delete"} if deleted else {})
        )
        _el(header, INVENTORY, "default-instock", "false")
        _el(header, INVENTORY, "description", description)
        if not records:
            continue
        holder = _el(node, INVENTORY, "records")
        for record in records:
            rec = _el(holder, INVENTORY, "record", product_id=record.product_id)
            _el(rec, INVENTORY, "allocation", record.allocation)
            _el(rec, INVENTORY, "perpetual", "true" if record.perpetual else "false")
            _el(
                rec,
                INVENTORY,
                "preorder-backorder-handling",
                "backorder" if record.backorder else "none",
            )
    return _bytes(root)


@dataclass(frozen=True)
class StatusUpdate:
    order_no: str
    status: str  # shipped | cancelled
    items: Sequence[tuple[str, int]] = ()
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_id: str | None = None


def status_feed(updates: Sequence[StatusUpdate], when: datetime) -> bytes:
    root = etree.Element(f"{{{STATUS}}}shipping_order_status_feed", nsmap={None: STATUS})
    orders = _el(root, STATUS, "shipping_orders")
    for update in updates:
        node = _el(orders, STATUS, "shipping_order")
        _el(node, STATUS, "shipping_order_number", update.order_no)
        _el(node, STATUS, "ship_date", when.isoformat(timespec="seconds"))
        _el(node, STATUS, "status", update.status)
        if update.items:
            items = _el(node, STATUS, "items")
            for product_id, quantity in update.items:
                item = _el(items, STATUS, "item")
                _el(item, STATUS, "product_id", product_id)
                _el(item, STATUS, "quantity", quantity)
                _el(item, STATUS, "status", update.status)
        if update.tracking_id is not None:
            info = _el(_el(node, STATUS, "tracking_infos"), STATUS, "tracking_info")
            if update.carrier:
                _el(info, STATUS, "carrier", update.carrier)
            _el(info, STATUS, "id", update.tracking_id)
            _el(info, STATUS, "ship_date", when.isoformat(timespec="seconds"))
            if update.tracking_number:
                _el(info, STATUS, "tracking_number", update.tracking_number)
    return _bytes(root)
