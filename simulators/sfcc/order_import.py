"""The storefront's order import job: reads each order file put in the orders folder, as
B2C Commerce imports order XML (valid against the public order schema, or refused whole).

A file with line items creates the order (taking its stock from the first inventory list
unless the order says ``stockOnCreate`` is ``leave``); a file for a known order number
updates it: ``external-order-status`` is the marketplace status shown, an order status of
CANCELLED cancels it (returning its stock when ``restock`` is true) unless it has shipped,
which the job refuses (logged; the order stays as it is). Stock changes are exported as the
inventory job would.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

import structlog
from lxml import etree

from simulators.sfcc.feeds import ORDER
from simulators.sfcc.merchant import Merchant, SimOrder

log = structlog.get_logger(__name__)
_E = f"{{{ORDER}}}"


@cache
def order_schema() -> etree.XMLSchema:
    """The public order schema, as shipped with the daemon's package data (read as a file,
    not imported: the platform's schema is the same for both sides)."""
    folder = resources.files("daemon").joinpath("connectors", "sfcc", "xsd")
    with resources.as_file(folder.joinpath("order.xsd")) as path:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.XMLSchema(etree.parse(str(path), parser))


def import_file(merchant: Merchant, path: Path) -> str | None:
    """Import one order file; the problem when it is refused (nothing of it is taken)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, schema=order_schema())
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        log.warning("sfcc_sim_order_refused", file=path.name, reason=str(exc))
        return str(exc)
    for order in root.iterfind(_E + "order"):
        _import(merchant, order)
    return None


def _custom(order: etree._Element) -> dict[str, str]:
    return {
        node.get("attribute-id", ""): (node.text or "")
        for node in order.iterfind(f"{_E}custom-attributes/{_E}custom-attribute")
    }


def _import(merchant: Merchant, order: etree._Element) -> None:
    number = order.get("order-no", "")
    custom = _custom(order)
    existing = merchant.orders.get(number)
    items = order.find(_E + "product-lineitems")
    if existing is None and items is not None:
        lines = [
            (
                item.findtext(_E + "product-id") or "",
                int(Decimal(item.findtext(_E + "quantity") or "0")),
            )
            for item in items.iterfind(_E + "product-lineitem")
        ]
        take = custom.get("stockOnCreate", "reduce") != "leave"
        created = SimOrder(
            number,
            order.findtext(_E + "external-order-no"),
            lines,
            took_stock=take,
            marketplace_status=order.findtext(_E + "external-order-status"),
        )
        merchant.orders[number] = created
        if take:
            merchant.move_stock(created, -1)
        return
    if existing is None:
        log.warning("sfcc_sim_update_for_unknown_order", order_no=number)
        return
    status = order.findtext(_E + "external-order-status")
    if status:
        existing.marketplace_status = status
    if order.findtext(f"{_E}status/{_E}order-status") == "CANCELLED" and not existing.cancelled:
        if existing.shipments:  # the platform cancels only an order not yet shipped
            log.warning("sfcc_sim_cancel_refused", order_no=number, reason="order is shipped")
            return
        existing.cancelled = True
        if existing.took_stock and custom.get("restock", "true") == "true":
            merchant.move_stock(existing, +1)
