"""Orders as Magento keeps them: saved through the order repository (``POST /V1/orders``),
invoiced, shipped (one new shipment per call, deducting its MSI source), cancelled, and
commented. Every function here is what a route and the neutral store control share."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from simulators.magento.errors import MagentoError, bad_request, required
from simulators.magento.records import (
    HistoryRec,
    InvoiceRec,
    OrderItemRec,
    OrderRec,
    ShipmentRec,
    TrackRec,
)
from simulators.magento.state import MagentoStore

MAX_INCREMENT_ID = 50  # sales_order.increment_id is varchar(50)
MAX_EXT_ORDER_ID = 32  # sales_order.ext_order_id is varchar(32)
CANNOT_INVOICE = "The order does not allow an invoice to be created."
CANNOT_SHIP = (
    "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created."
    "\nYou can't create a shipment without products."
)


def _decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise bad_request('The "%fieldName" value is invalid.', {"fieldName": name})
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise bad_request('The "%fieldName" value is invalid.', {"fieldName": name}) from None


def _text(entity: dict[str, Any], name: str, limit: int | None = None) -> str | None:
    value = entity.get(name)
    if value is None:
        return None
    text = str(value)
    if limit is not None and len(text) > limit:
        raise bad_request('The "%fieldName" value is too long.', {"fieldName": name})
    return text


def _items(store: MagentoStore, raw: Any) -> list[OrderItemRec]:
    if not isinstance(raw, list) or not raw:
        raise required("items")
    items = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("sku"):
            raise required("sku")
        sku = str(entry["sku"])
        product = store.by_sku(sku)
        items.append(
            OrderItemRec(
                id=store.take("order_item"),
                sku=sku,
                name=str(entry.get("name") or (product.name if product else sku)),
                product_id=entry.get("product_id") or (product.id if product else None),
                qty_ordered=_decimal(entry.get("qty_ordered"), "qty_ordered"),
                price=_decimal(entry.get("price", 0), "price"),
                tax_amount=_decimal(entry.get("tax_amount", 0), "tax_amount"),
                discount_amount=_decimal(entry.get("discount_amount", 0), "discount_amount"),
            )
        )
    return items


def _shipping_address(entity: dict[str, Any]) -> dict[str, Any] | None:
    assignments = (entity.get("extension_attributes") or {}).get("shipping_assignments") or []
    for assignment in assignments:
        address = (assignment.get("shipping") or {}).get("address")
        if isinstance(address, dict):
            return address
    return None


def save_order(store: MagentoStore, entity: Any) -> OrderRec:
    """``POST /V1/orders``: a raw save of the order entity. The store's unique key on
    (``increment_id``, ``store_id``) refuses a second order with the same increment id."""
    if not isinstance(entity, dict):
        raise required("entity")
    if "entity_id" in entity:
        raise bad_request("Updating an order through this simulator is not supported.")
    items = _items(store, entity.get("items"))
    billing = entity.get("billing_address")
    if not isinstance(billing, dict):
        raise required("billing_address")
    payment = entity.get("payment")
    if not isinstance(payment, dict) or not payment.get("method"):
        raise required("payment")
    increment_id = _text(entity, "increment_id", MAX_INCREMENT_ID) or store.next_increment_id()
    store_id = int(entity.get("store_id", 1))
    if any(
        o.increment_id == increment_id and o.store_id == store_id for o in store.orders.values()
    ):
        raise MagentoError(400, "Unique constraint violation found")
    subtotal = sum((i.price * i.qty_ordered for i in items), Decimal(0))
    shipping = _decimal(entity.get("shipping_amount", 0), "shipping_amount")
    tax = _decimal(entity.get("tax_amount", 0), "tax_amount")
    discount = _decimal(entity.get("discount_amount", 0), "discount_amount")
    given_total = entity.get("grand_total")
    total = (
        subtotal + shipping + tax - abs(discount)
        if given_total is None
        else _decimal(given_total, "grand_total")
    )
    now = store.now()
    order = OrderRec(
        id=store.take("order"),
        increment_id=increment_id,
        store_id=store_id,
        ext_order_id=_text(entity, "ext_order_id", MAX_EXT_ORDER_ID),
        state=str(entity.get("state") or "new"),
        status=str(entity.get("status") or "pending"),
        currency=str(entity.get("order_currency_code") or store.config.currency),
        items=items,
        grand_total=total,
        subtotal=subtotal,
        shipping_amount=shipping,
        tax_amount=tax,
        discount_amount=discount,
        customer_email=_text(entity, "customer_email"),
        customer_firstname=_text(entity, "customer_firstname"),
        customer_lastname=_text(entity, "customer_lastname"),
        billing_address=billing,
        shipping_address=_shipping_address(entity),
        shipping_description=_text(entity, "shipping_description"),
        payment=payment,
        created_at=now,
        updated_at=now,
    )
    for history in entity.get("status_histories") or []:
        if isinstance(history, dict):
            order.histories.append(_history(store, order, history.get("comment"), None))
    store.orders[order.id] = order
    return order


def _history(
    store: MagentoStore, order: OrderRec, comment: Any, status: Any, *, notified: int = 0
) -> HistoryRec:
    return HistoryRec(
        id=store.take("history"),
        comment=None if comment is None else str(comment),
        status=str(status or order.status),
        created_at=store.now(),
        is_customer_notified=notified,
    )


def add_comment(store: MagentoStore, order: OrderRec, history: Any) -> None:
    """``POST /V1/orders/{id}/comments``: a status-history entry; the order is saved."""
    if not isinstance(history, dict):
        raise required("statusHistory")
    order.histories.append(_history(store, order, history.get("comment"), history.get("status")))
    order.updated_at = store.now()


def invoice(store: MagentoStore, order: OrderRec) -> InvoiceRec:
    """``POST /V1/order/{id}/invoice`` with ``capture``: everything not yet invoiced, paid."""
    open_items = [i for i in order.items if i.qty_ordered - i.qty_invoiced - i.qty_canceled > 0]
    if order.state in {"canceled", "closed", "holded"} or not open_items:
        raise bad_request(CANNOT_INVOICE)
    amount = order.grand_total - order.total_invoiced
    for item in open_items:
        item.qty_invoiced = item.qty_ordered - item.qty_canceled
    order.total_invoiced += amount
    order.total_paid += amount
    if order.state == "new":
        order.state, order.status = "processing", "processing"
    order.updated_at = store.now()
    number = store.take("invoice")
    rec = InvoiceRec(number, f"{number:09d}", order.id, amount, store.now())
    store.invoices[rec.id] = rec
    return rec


def ship(
    store: MagentoStore,
    order: OrderRec,
    wanted: list[tuple[int, Decimal]] | None,
    tracks: list[dict[str, Any]],
    source_code: str | None,
) -> ShipmentRec:
    """``POST /V1/order/{id}/ship``: a NEW shipment on every call (all that is left when no
    items are named), deducting the quantities from its MSI source."""
    by_id = {item.id: item for item in order.items}
    lines = wanted or [(i.id, i.qty_to_ship) for i in order.items if i.qty_to_ship > 0]
    if order.state in {"canceled", "closed", "holded"} or not lines:
        raise bad_request(CANNOT_SHIP)
    for item_id, qty in lines:
        item = by_id.get(item_id)
        if item is None or qty <= 0 or qty > item.qty_to_ship:
            raise bad_request(CANNOT_SHIP)
    code = source_code or next(iter(store.sources))
    if code not in store.sources:
        raise bad_request('Source item not found by source code "%1".', [code])
    now = store.now()
    for item_id, qty in lines:
        by_id[item_id].qty_shipped += qty
        store.deduct(by_id[item_id].sku, code, qty)
    number = store.take("shipment")
    shipment = ShipmentRec(
        id=number,
        increment_id=f"{number:09d}",
        order_id=order.id,
        source_code=code,
        items=list(lines),
        tracks=[
            TrackRec(
                id=store.take("track"),
                track_number=str(t.get("track_number") or ""),
                title=str(t.get("title") or ""),
                carrier_code=str(t.get("carrier_code") or "custom"),
                created_at=now,
            )
            for t in tracks
        ],
        created_at=now,
        updated_at=now,
    )
    store.shipments[shipment.id] = shipment
    if all(i.qty_to_ship <= 0 for i in order.items) and order.total_paid >= order.grand_total:
        order.state, order.status = "complete", "complete"
    order.updated_at = now
    return shipment


def can_cancel(order: OrderRec) -> bool:
    return order.state not in {"canceled", "complete", "closed", "holded"} and any(
        item.qty_to_ship > 0 for item in order.items
    )


def cancel(store: MagentoStore, order: OrderRec) -> bool:
    """``POST /V1/orders/{id}/cancel``: True when cancelled, False when the order cannot be
    (already cancelled, complete, closed, on hold), as ``OrderManagement::cancel`` answers."""
    if not can_cancel(order):
        return False
    for item in order.items:
        item.qty_canceled = item.qty_ordered - item.qty_shipped
    order.state, order.status = "canceled", "canceled"
    order.updated_at = store.now()
    return True
