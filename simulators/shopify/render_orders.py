"""Orders, fulfillment orders and fulfillments as the Admin REST API 2024-04 renders them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.shopify.context import Shop
from simulators.shopify.records import (
    FulfillmentOrderRec,
    FulfillmentRec,
    LineItemRec,
    OrderRec,
)
from simulators.shopify.render_catalog import gid
from simulators.shopify.times import money

_CENT = Decimal("0.01")
_ORDER_NUMBER_OFFSET = 1000


def order_totals(order: OrderRec) -> dict[str, Decimal]:
    """The order's money figures, from its lines, discounts, shipping and taxes."""
    lines = sum((line.price * line.quantity for line in order.line_items), Decimal(0))
    shipping = sum((Decimal(s["price"]) for s in order.shipping_lines), Decimal(0))
    line_discounts = Decimal(0)
    shipping_discounts = Decimal(0)
    for code in order.discount_codes:
        amount = Decimal(code["amount"])
        if code["type"] == "percentage":
            line_discounts += (lines * amount / 100).quantize(_CENT)
        elif code["type"] == "shipping":
            shipping_discounts += min(amount, shipping)
        else:
            line_discounts += amount
    taxes = [*order.tax_lines]
    for line in order.line_items:
        taxes.extend(line.tax_lines)
    for shipping_line in order.shipping_lines:
        taxes.extend(shipping_line["tax_lines"])
    tax = sum((Decimal(t["price"]) for t in taxes), Decimal(0))
    subtotal = lines - line_discounts
    total = subtotal + shipping - shipping_discounts + (0 if order.taxes_included else tax)
    return {
        "total_line_items_price": lines,
        "total_discounts": line_discounts + shipping_discounts,
        "subtotal_price": subtotal,
        "total_tax": tax,
        "total_price": total,
    }


def _line_status(line: LineItemRec) -> str | None:
    if line.fulfilled == 0:
        return None
    return "fulfilled" if line.fulfilled >= line.quantity else "partial"


def render_line_item(shop: Shop, line: LineItemRec, quantity: int | None = None) -> dict[str, Any]:
    item = shop.state.items.get(line.inventory_item_id or 0)
    open_units = 0 if line.fulfilled >= line.quantity else line.quantity - line.fulfilled
    return {
        "id": line.id,
        "admin_graphql_api_id": gid("LineItem", line.id),
        "variant_id": line.variant_id,
        "product_id": line.product_id,
        "title": line.title,
        "variant_title": line.variant_title,
        "name": line.title if not line.variant_title else f"{line.title} - {line.variant_title}",
        "sku": line.sku,
        "quantity": line.quantity if quantity is None else quantity,
        "price": money(line.price),
        "grams": line.grams,
        "fulfillable_quantity": open_units,
        "fulfillment_service": "manual",
        "fulfillment_status": _line_status(line),
        "requires_shipping": line.requires_shipping,
        "taxable": line.taxable,
        "gift_card": False,
        "product_exists": line.product_id in shop.state.products,
        "variant_inventory_management": "shopify" if item and item.tracked else None,
        "properties": [],
        "total_discount": "0.00",
        "discount_allocations": [],
        "tax_lines": line.tax_lines,
        "vendor": None,
    }


def fulfillment_status(order: OrderRec) -> str | None:
    units = sum(line.quantity for line in order.line_items if line.requires_shipping)
    done = sum(line.fulfilled for line in order.line_items if line.requires_shipping)
    if done == 0:
        return None
    return "fulfilled" if done >= units else "partial"


def render_order(shop: Shop, order: OrderRec) -> dict[str, Any]:
    totals = {name: money(value) for name, value in order_totals(order).items()}
    fulfillments = [
        render_fulfillment(shop, shop.state.fulfillments[f]) for f in order.fulfillment_ids
    ]
    return {
        "id": order.id,
        "admin_graphql_api_id": gid("Order", order.id),
        "name": order.name,
        "number": order.number - _ORDER_NUMBER_OFFSET,
        "order_number": order.number,
        "email": order.email,
        "contact_email": order.email,
        "phone": order.phone,
        "currency": order.currency,
        "presentment_currency": order.currency,
        "financial_status": order.financial_status,
        "fulfillment_status": fulfillment_status(order),
        "confirmed": True,
        "test": order.test,
        "taxes_included": order.taxes_included,
        **totals,
        "tags": ", ".join(order.tags),
        "note": order.note,
        "note_attributes": [dict(attribute) for attribute in order.note_attributes],
        "source_name": order.source_name,
        "source_identifier": order.source_identifier,
        "source_url": None,
        "customer": order.customer,
        "billing_address": order.billing_address,
        "shipping_address": order.shipping_address,
        "line_items": [render_line_item(shop, line) for line in order.line_items],
        "shipping_lines": order.shipping_lines,
        "tax_lines": order.tax_lines,
        "discount_codes": order.discount_codes,
        "fulfillments": fulfillments,
        "refunds": [],
        "cancel_reason": order.cancel_reason,
        "cancelled_at": shop.fmt(order.cancelled_at),
        "closed_at": shop.fmt(order.closed_at),
        "processed_at": shop.fmt(order.processed_at),
        "created_at": shop.fmt(order.created_at),
        "updated_at": shop.fmt(order.updated_at),
    }


def render_fulfillment(shop: Shop, fulfillment: FulfillmentRec) -> dict[str, Any]:
    order = shop.state.orders[fulfillment.order_id]
    lines = {line.id: line for line in order.line_items}
    return {
        "id": fulfillment.id,
        "admin_graphql_api_id": gid("Fulfillment", fulfillment.id),
        "order_id": fulfillment.order_id,
        "name": fulfillment.name,
        "status": fulfillment.status,
        "service": "manual",
        "location_id": fulfillment.location_id,
        "shipment_status": None,
        "tracking_company": fulfillment.tracking_company,
        "tracking_number": fulfillment.tracking_numbers[0]
        if fulfillment.tracking_numbers
        else None,
        "tracking_numbers": list(fulfillment.tracking_numbers),
        "tracking_url": fulfillment.tracking_urls[0] if fulfillment.tracking_urls else None,
        "tracking_urls": list(fulfillment.tracking_urls),
        "line_items": [
            render_line_item(shop, lines[line_id], units)
            for line_id, units in fulfillment.line_items
        ],
        "origin_address": None,
        "receipt": {},
        "created_at": shop.fmt(fulfillment.created_at),
        "updated_at": shop.fmt(fulfillment.updated_at),
    }


def render_fulfillment_order(shop: Shop, fulfillment_order: FulfillmentOrderRec) -> dict[str, Any]:
    location = shop.state.locations.get(fulfillment_order.location_id)
    order = shop.state.orders[fulfillment_order.order_id]
    actions = (
        ["create_fulfillment", "move", "hold"]
        if fulfillment_order.status in {"open", "in_progress"}
        else []
    )
    return {
        "id": fulfillment_order.id,
        "shop_id": 548380009,
        "order_id": fulfillment_order.order_id,
        "assigned_location_id": fulfillment_order.location_id,
        "assigned_location": {
            "address1": location.address1 if location else None,
            "address2": None,
            "city": location.city if location else None,
            "country_code": location.country_code if location else None,
            "location_id": fulfillment_order.location_id,
            "name": location.name if location else None,
            "phone": None,
            "province": None,
            "zip": location.zip if location else None,
        },
        "destination": order.shipping_address,
        "delivery_method": {"method_type": "shipping"},
        "fulfill_at": shop.fmt(fulfillment_order.created_at),
        "fulfill_by": None,
        "fulfillment_holds": [],
        "international_duties": None,
        "merchant_requests": [],
        "request_status": fulfillment_order.request_status,
        "status": fulfillment_order.status,
        "supported_actions": actions,
        "line_items": [
            {
                "id": line.id,
                "shop_id": 548380009,
                "fulfillment_order_id": fulfillment_order.id,
                "quantity": line.quantity,
                "line_item_id": line.line_item_id,
                "inventory_item_id": line.inventory_item_id,
                "fulfillable_quantity": line.fulfillable_quantity,
                "variant_id": line.variant_id,
            }
            for line in fulfillment_order.line_items
        ],
        "created_at": shop.fmt(fulfillment_order.created_at),
        "updated_at": shop.fmt(fulfillment_order.updated_at),
    }
