"""Orders: creation (with Shopify's three inventory behaviours), edits and cancellation."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from simulators.shopify.context import Shop
from simulators.shopify.errors import ApiError, invalid
from simulators.shopify.fulfillment import open_fulfillment_orders
from simulators.shopify.inventory import adjust_available, connect
from simulators.shopify.order_input import (
    CANCEL_REASONS,
    CancelIn,
    LineItemIn,
    OrderIn,
    OrderUpdateIn,
    TaxLineIn,
)
from simulators.shopify.records import LineItemRec, OrderRec
from simulators.shopify.render_orders import render_order
from simulators.shopify.times import money


def _tax_lines(lines: list[TaxLineIn]) -> list[dict[str, Any]]:
    return [
        {
            "title": line.title,
            "price": money(line.price),
            "rate": float(line.rate) if line.rate is not None else 0.0,
            "channel_liable": False,
        }
        for line in lines
    ]


def _line(shop: Shop, given: LineItemIn) -> LineItemRec:
    state = shop.state
    if given.variant_id is None:
        if given.title is None or given.price is None:
            raise invalid("line_items", "a custom line item needs a title and a price")
        return LineItemRec(
            id=state.ids.take("line_item"),
            variant_id=None,
            product_id=None,
            inventory_item_id=None,
            title=given.title,
            variant_title=None,
            sku=given.sku,
            quantity=given.quantity,
            price=given.price,
            grams=given.grams or 0,
            requires_shipping=given.requires_shipping is not False,
            taxable=given.taxable,
            tax_lines=_tax_lines(given.tax_lines),
            location_id=None,
        )
    variant = state.variants.get(given.variant_id)
    if variant is None:
        raise invalid("line_items", f"variant {given.variant_id} does not exist")
    product = state.products[variant.product_id]
    return LineItemRec(
        id=state.ids.take("line_item"),
        variant_id=variant.id,
        product_id=product.id,
        inventory_item_id=variant.inventory_item_id,
        title=given.title or product.title,
        variant_title=None if variant.title == "Default Title" else variant.title,
        sku=variant.sku,
        quantity=given.quantity,
        price=variant.price if given.price is None else given.price,
        grams=given.grams if given.grams is not None else 0,
        requires_shipping=variant.requires_shipping,
        taxable=given.taxable,
        tax_lines=_tax_lines(given.tax_lines),
        location_id=None,
    )


def _place(shop: Shop, line: LineItemRec) -> int | None:
    """The location a line is served from: the first active one stocking enough, else the
    first active one stocking it at all, else the first active location."""
    active = shop.state.active_location_ids()
    levels = shop.state.levels.get(line.inventory_item_id or 0, {})
    for location in active:
        level = levels.get(location)
        if level is not None and level.available >= line.quantity:
            return location
    for location in active:
        if location in levels:
            return location
    return active[0] if active else None


def _reserve(shop: Shop, lines: list[LineItemRec], behaviour: str) -> list[LineItemRec]:
    """Place every line; return the lines whose units come out of stock."""
    state = shop.state
    taking: list[LineItemRec] = []
    demand: dict[tuple[int, int], int] = defaultdict(int)
    short: list[str] = []
    for line in lines:
        line.location_id = _place(shop, line)
        item = state.items.get(line.inventory_item_id or 0)
        if item is None or not item.tracked or behaviour == "bypass":
            continue
        if line.location_id is None:
            raise invalid("line_items", "the shop has no active location")
        taking.append(line)
        key = (item.id, line.location_id)
        demand[key] += line.quantity
        variant = state.variants[item.variant_id]
        level = state.levels.get(item.id, {}).get(line.location_id)
        available = 0 if level is None else level.available
        if (
            behaviour == "decrement_obeying_policy"
            and variant.inventory_policy == "deny"
            and available < demand[key]
        ):
            short.append(f"{line.title} ({variant.sku or variant.id}) is out of stock")
    if short:
        raise ApiError(422, {"line_items": short})
    return taking


def _financial_status(given: OrderIn) -> str:
    if given.financial_status is not None:
        return given.financial_status
    succeeded = {t.kind for t in given.transactions if t.status == "success"}
    if succeeded & {"sale", "capture"}:
        return "paid"
    return "authorized" if "authorization" in succeeded else "pending"


def _tags(raw: list[str] | str) -> list[str]:
    parts = raw.split(",") if isinstance(raw, str) else raw
    return [part.strip() for part in parts if part.strip()]


def _customer(shop: Shop, given: OrderIn) -> dict[str, Any] | None:
    if given.customer is None:
        return None
    body = given.customer.model_dump()
    body["id"] = body["id"] or shop.state.ids.take("customer")
    return body


def create_order(shop: Shop, given: OrderIn) -> OrderRec:
    state = shop.state
    lines = [_line(shop, line) for line in given.line_items]
    taking = _reserve(shop, lines, given.inventory_behaviour)
    now = shop.now()
    order_id = state.ids.take("order")
    order = OrderRec(
        id=order_id,
        number=state.next_order_number,
        email=given.email or (given.customer.email if given.customer else None),
        phone=given.phone,
        currency=given.currency or shop.config.currency,
        customer=_customer(shop, given),
        billing_address=given.billing_address,
        shipping_address=given.shipping_address,
        tags=_tags(given.tags),
        note=given.note,
        note_attributes=[{"name": a.name, "value": a.value} for a in given.note_attributes],
        source_name=given.source_name or "api",
        source_identifier=given.source_identifier,
        financial_status=_financial_status(given),
        transactions=[
            {
                "id": state.ids.take("transaction"),
                "order_id": order_id,
                "kind": t.kind,
                "status": t.status,
                "amount": money(t.amount),
                "gateway": t.gateway or "manual",
            }
            for t in given.transactions
        ],
        tax_lines=_tax_lines(given.tax_lines),
        shipping_lines=[
            {
                "id": state.ids.take("line_item"),
                "title": s.title,
                "price": money(s.price),
                "code": s.code,
                "source": s.source or "shopify",
                "tax_lines": _tax_lines(s.tax_lines),
            }
            for s in given.shipping_lines
        ],
        discount_codes=[
            {"code": d.code, "amount": money(d.amount), "type": d.type}
            for d in given.discount_codes
        ],
        line_items=lines,
        inventory_behaviour=given.inventory_behaviour,
        created_at=now,
        updated_at=now,
        processed_at=now,
        test=given.test,
        taxes_included=given.taxes_included,
    )
    state.next_order_number += 1
    state.orders[order_id] = order
    state.order_order.add(order_id)
    for line in taking:
        assert line.inventory_item_id is not None
        assert line.location_id is not None
        connect(shop, line.inventory_item_id, line.location_id)
        adjust_available(shop, line.inventory_item_id, line.location_id, -line.quantity)
        line.decremented = line.quantity
    open_fulfillment_orders(shop, order)
    shop.webhooks.emit("orders/create", render_order(shop, order))
    return order


def update_order(shop: Shop, order: OrderRec, given: OrderUpdateIn) -> OrderRec:
    fields = given.model_fields_set
    if "note" in fields:
        order.note = given.note
    if given.tags is not None:
        order.tags = _tags(given.tags)
    if given.note_attributes is not None:
        order.note_attributes = [{"name": a.name, "value": a.value} for a in given.note_attributes]
    for name in ("email", "phone", "shipping_address"):
        if name in fields:
            setattr(order, name, getattr(given, name))
    order.updated_at = shop.now()
    shop.webhooks.emit("orders/updated", render_order(shop, order))
    return order


def _restock_plan(order: OrderRec, given: CancelIn) -> list[tuple[LineItemRec, int, int | None]]:
    """(line, units, location) to put back in stock."""
    if given.restock:
        return [(line, line.quantity - line.fulfilled, None) for line in order.line_items]
    if given.refund is None:
        return []
    by_id = {line.id: line for line in order.line_items}
    plan = []
    for refund in given.refund.refund_line_items:
        line = by_id.get(refund.line_item_id)
        if line is None:
            raise invalid("refund", f"line item {refund.line_item_id} is not on the order")
        if refund.restock_type in {"cancel", "return", "legacy_restock"}:
            plan.append((line, min(refund.quantity, line.quantity), refund.location_id))
    return plan


def check_cancel(shop: Shop, order: OrderRec, given: CancelIn) -> None:
    """Refuse a cancel as Shopify does (`ApiError`), changing nothing."""
    if order.cancelled_at is not None:
        raise ApiError(422, {"base": ["Order has already been cancelled"]})
    if order.cancelling:
        raise ApiError(422, {"base": ["Order is already being cancelled"]})
    if any(shop.state.fulfillments[f].status == "success" for f in order.fulfillment_ids):
        raise ApiError(422, {"base": ["Cannot cancel an order that has fulfillments"]})
    if given.reason not in CANCEL_REASONS:
        raise invalid("reason", "is not included in the list")


def cancel_order(shop: Shop, order: OrderRec, given: CancelIn) -> OrderRec:
    """Cancel as ``orders/{id}/cancel.json`` does, restocking what was asked for."""
    check_cancel(shop, order, given)
    now = shop.now()
    for line, units, location in _restock_plan(order, given):
        _restock(shop, line, units, location)
    for fo_id in order.fulfillment_order_ids:
        fulfillment_order = shop.state.fulfillment_orders[fo_id]
        fulfillment_order.status = "closed"
        fulfillment_order.updated_at = now
        for fo_line in fulfillment_order.line_items:
            fo_line.fulfillable_quantity = 0
    paid = order.financial_status in {"paid", "partially_paid", "partially_refunded"}
    order.financial_status = "refunded" if paid else "voided"
    order.cancelled_at = now
    order.cancel_reason = given.reason
    order.updated_at = now
    shop.webhooks.emit("orders/cancelled", render_order(shop, order))
    return order


def _restock(shop: Shop, line: LineItemRec, units: int, location: int | None) -> None:
    item = shop.state.items.get(line.inventory_item_id or 0)
    target = location or line.location_id
    if item is None or not item.tracked or target is None or units <= 0:
        return
    connect(shop, item.id, target)
    adjust_available(shop, item.id, target, units)
    line.decremented = max(0, line.decremented - units)
