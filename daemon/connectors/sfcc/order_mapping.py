"""Order XML (the public order schema) written for the storefront's order import job, read
back when an answer was lost, and the order record the daemon keeps of what it wrote.

An order is one file, ``order_<order-no>.xml``, whose order number is the prefix and the
TikTok order id, so a second write of the same order finds the first. Status changes and
cancellations are further files for the same order number (``order_<no>_status_<n>_<STATE>``
and ``order_<no>_cancel``), each holding an ``<order>`` with only what changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from daemon.connectors.sfcc.validation import FORMATS, Feed, FeedRefused, schema
from daemon.domain.models import Money
from daemon.domain.orders import (
    CancelReason,
    FulfilledLine,
    FulfillmentStatus,
    OrderDraft,
    PostalAddress,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
    StoreOrderLine,
    StoreOrderStatus,
)

NS = FORMATS[Feed.ORDER].namespace
_E = f"{{{NS}}}"
_SHIPMENT = "TT-1"


def _sub(parent: etree._Element, name: str, text: object = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, _E + name, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        node.text = str(text)
    return node


def _address(parent: etree._Element, name: str, address: PostalAddress) -> None:
    node = _sub(parent, name)
    for field, tag in (
        ("first_name", "first-name"),
        ("last_name", "last-name"),
        ("company", "company-name"),
        ("address1", "address1"),
        ("address2", "address2"),
        ("city", "city"),
        ("zip", "postal-code"),
        ("province", "state-code"),
        ("country_code", "country-code"),
        ("phone", "phone"),
    ):
        value = getattr(address, field, None)
        if value:
            _sub(node, tag, value)


def _custom(parent: etree._Element, values: Mapping[str, str]) -> None:
    holder = _sub(parent, "custom-attributes")
    for key, value in values.items():
        _sub(holder, "custom-attribute", value, attribute_id=key)


def _document(order: etree._Element) -> bytes:
    root = order.getparent()
    assert root is not None
    content: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return content


def order_xml(order_no: str, draft: OrderDraft, *, written_at: datetime) -> bytes:
    """The order as the storefront imports it, valid against the public order schema."""
    root = etree.Element(_E + "orders", nsmap={None: NS})
    order = _sub(root, "order", order_no=order_no)
    _sub(order, "order-date", written_at.isoformat(timespec="seconds"))
    _sub(order, "created-by", "ttsync")
    _sub(order, "original-order-no", order_no)
    _sub(order, "currency", draft.currency)
    _sub(order, "taxation", "gross" if draft.taxes_included else "net")
    _customer(order, draft)
    _sub(order, "customer-order-reference", draft.reference)
    status = _sub(order, "status")
    _sub(status, "order-status", "NEW")
    _sub(status, "shipping-status", "NOT_SHIPPED")
    _sub(status, "confirmation-status", "CONFIRMED")
    _sub(status, "payment-status", "PAID" if draft.paid else "NOT_PAID")
    _sub(order, "channel-type", "TikTok")
    _lines(order, draft)
    shipment = _sub(_sub(order, "shipments"), "shipment", shipment_id=_SHIPMENT)
    if draft.shipping_address is not None:
        _address(shipment, "shipping-address", draft.shipping_address)
    _totals(order, draft)
    _sub(order, "external-order-no", draft.reference)
    _sub(order, "external-order-status", draft.marketplace_status.value)
    _sub(order, "external-order-text", draft.label)
    _custom(order, {"tiktokOrderId": draft.reference, "stockOnCreate": draft.stock.value})
    return _document(order)


def _customer(order: etree._Element, draft: OrderDraft) -> None:
    customer = _sub(order, "customer")
    _sub(customer, "guest", "true")
    buyer = draft.buyer
    name = " ".join(p for p in (buyer.first_name, buyer.last_name) if p) if buyer else ""
    if name:
        _sub(customer, "customer-name", name)
    if draft.email:
        _sub(customer, "customer-email", draft.email)
    billing = draft.billing_address or draft.shipping_address
    if billing is not None:
        _address(customer, "billing-address", billing)


def _lines(order: etree._Element, draft: OrderDraft) -> None:
    lines = _sub(order, "product-lineitems")
    for position, line in enumerate(draft.lines, start=1):
        item = _sub(lines, "product-lineitem")
        _sub(item, "net-price", line.price.amount * line.quantity)
        _sub(item, "tax", sum((t.amount.amount for t in line.taxes), Decimal(0)))
        _sub(item, "base-price", line.price.amount)
        _sub(item, "position", position)
        _sub(item, "product-id", line.variant_id)
        _sub(item, "quantity", line.quantity, unit="")
        _sub(item, "tax-rate", "0.0")
        _sub(item, "shipment-id", _SHIPMENT)


def _totals(order: etree._Element, draft: OrderDraft) -> None:
    total = sum((p.amount.amount for p in draft.payments), Decimal(0)) or sum(
        (line.price.amount * line.quantity for line in draft.lines), Decimal(0)
    )
    order_total = _sub(_sub(order, "totals"), "order-total")
    _sub(order_total, "net-price", total)
    _sub(order_total, "tax", Decimal(0))
    _sub(order_total, "gross-price", total)
    if draft.payments:
        payments = _sub(order, "payments")
        for payment in draft.payments:
            node = _sub(payments, "payment")
            _sub(_sub(node, "custom-method"), "method-name", payment.gateway)
            _sub(node, "amount", payment.amount.amount)


def status_xml(order_no: str, marketplace_status: str) -> bytes:
    root = etree.Element(_E + "orders", nsmap={None: NS})
    order = _sub(root, "order", order_no=order_no)
    _sub(order, "external-order-status", marketplace_status)
    return _document(order)


def cancel_xml(order_no: str, reason: CancelReason, *, restock: bool) -> bytes:
    root = etree.Element(_E + "orders", nsmap={None: NS})
    order = _sub(root, "order", order_no=order_no)
    status = _sub(order, "status")
    _sub(status, "order-status", "CANCELLED")
    _sub(order, "cancel-code", reason.value)
    _sub(order, "cancel-description", "cancelled on TikTok Shop")
    _custom(order, {"restock": "true" if restock else "false"})
    return _document(order)


def valid(content: bytes) -> bytes:
    """`content` when it is valid against the order schema (what we write must be)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, schema=schema(Feed.ORDER))
    try:
        etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedRefused(f"order XML not valid against order.xsd: {exc}") from None
    return content


def record_of(order_no: str, draft: OrderDraft, created_at: datetime) -> dict[str, Any]:
    """What the daemon keeps of an order it wrote."""
    return {
        "order_no": order_no,
        "reference": draft.reference,
        "currency": draft.currency,
        "paid": draft.paid,
        "stock": draft.stock.value,
        "created_at": created_at.isoformat(),
        "marketplace_status": draft.marketplace_status.value,
        "status_files": 0,
        "cancelled_at": None,
        "cancel_reason": None,
        "lines": [
            {
                "id": str(n),
                "variant_id": line.variant_id,
                "quantity": line.quantity,
                "price": str(line.price.amount),
            }
            for n, line in enumerate(draft.lines, start=1)
        ],
        "shipments": [],
        "shipped": {},
    }


def record_from_file(content: bytes, created_at: datetime) -> dict[str, Any] | None:
    """The record of an order file found on the server (its answer was lost)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        order = etree.fromstring(content, parser).find(_E + "order")
    except etree.XMLSyntaxError:
        return None
    if order is None:
        return None
    custom = {
        node.get("attribute-id"): node.text or ""
        for node in order.iterfind(f"{_E}custom-attributes/{_E}custom-attribute")
    }
    lines = [
        {
            "id": item.findtext(_E + "position") or str(n),
            "variant_id": item.findtext(_E + "product-id") or "",
            "quantity": int(Decimal(item.findtext(_E + "quantity") or "0")),
            "price": item.findtext(_E + "base-price") or "0",
        }
        for n, item in enumerate(order.iterfind(f"{_E}product-lineitems/{_E}product-lineitem"), 1)
    ]
    return {
        "order_no": order.get("order-no"),
        "reference": order.findtext(_E + "external-order-no"),
        "currency": order.findtext(_E + "currency") or "",
        "paid": order.findtext(f"{_E}status/{_E}payment-status") == "PAID",
        "stock": custom.get("stockOnCreate", StockOnCreate.REDUCE.value),
        "created_at": created_at.isoformat(),
        "marketplace_status": order.findtext(_E + "external-order-status"),
        "status_files": 0,
        "cancelled_at": None,
        "cancel_reason": None,
        "lines": lines,
        "shipments": [],
        "shipped": {},
    }


def store_order(body: Mapping[str, Any], updated_at: datetime) -> StoreOrder:
    currency = str(body["currency"])
    lines = tuple(
        StoreOrderLine(
            id=line["id"],
            variant_id=line["variant_id"],
            sku=line["variant_id"],
            title=line["variant_id"],
            quantity=line["quantity"],
            price=Money(Decimal(line["price"]), currency),
            fulfillable_quantity=max(
                0, line["quantity"] - int(body["shipped"].get(line["variant_id"], 0))
            ),
        )
        for line in body["lines"]
    )
    cancelled_at = datetime.fromisoformat(body["cancelled_at"]) if body["cancelled_at"] else None
    left = sum(line.fulfillable_quantity for line in lines)
    if cancelled_at is not None:
        status = StoreOrderStatus.CANCELLED
    elif left == 0:
        status = StoreOrderStatus.FULFILLED
    elif left < sum(line.quantity for line in lines):
        status = StoreOrderStatus.PARTIALLY_FULFILLED
    else:
        status = StoreOrderStatus.OPEN
    total = sum((line.price.amount * line.quantity for line in lines), Decimal(0))
    return StoreOrder(
        id=body["order_no"],
        name=body["order_no"],
        reference=body["reference"],
        marketplace_status=body["marketplace_status"],
        currency=currency,
        total_price=Money(total, currency),
        status=status,
        paid=bool(body["paid"]),
        cancelled_at=cancelled_at,
        cancel_reason=CancelReason(body["cancel_reason"]) if body["cancel_reason"] else None,
        lines=lines,
        created_at=datetime.fromisoformat(body["created_at"]),
        updated_at=updated_at,
    )


def fulfillment(key: str, body: Mapping[str, Any], at: datetime) -> StoreFulfillment:
    return StoreFulfillment(
        id=key,
        order_id=body["order_no"],
        order_name=body["order_no"],
        status=FulfillmentStatus.SUCCESS,
        tracking_company=body.get("carrier"),
        tracking_numbers=tuple(n for n in [body.get("tracking_number")] if n),
        tracking_urls=(),
        lines=tuple(
            FulfilledLine(line_id, variant, variant, quantity)
            for line_id, variant, quantity in body["lines"]
        ),
        created_at=at,
        updated_at=at,
    )


def shipped_lines(
    order: Mapping[str, Any], items: Sequence[tuple[str, int]]
) -> list[tuple[str, str, int]]:
    """(line id, variant, quantity) shipped: the items named, else every unshipped unit."""
    lines = order["lines"]
    if not items:
        return [
            (
                line["id"],
                line["variant_id"],
                line["quantity"] - order["shipped"].get(line["variant_id"], 0),
            )
            for line in lines
            if line["quantity"] > order["shipped"].get(line["variant_id"], 0)
        ]
    by_variant = {line["variant_id"]: line["id"] for line in lines}
    return [(by_variant.get(variant, ""), variant, quantity) for variant, quantity in items]
