"""Orders as Get Order List / Get Order Detail return them (money as strings)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.tiktok.context import money
from simulators.tiktok.model import JsonObject, LineItem, Order, OrderStatus
from simulators.tiktok.state import SimState

ZERO = Decimal(0)
#: Under these statuses the buyer's address is withheld.
ADDRESS_WITHHELD = frozenset({OrderStatus.UNPAID, OrderStatus.ON_HOLD})
PACKAGE_STATUS = {
    OrderStatus.UNPAID: "TO_FULFILL",
    OrderStatus.ON_HOLD: "TO_FULFILL",
    OrderStatus.AWAITING_SHIPMENT: "TO_FULFILL",
    OrderStatus.PARTIALLY_SHIPPING: "PROCESSING",
    OrderStatus.AWAITING_COLLECTION: "PROCESSING",
    OrderStatus.IN_TRANSIT: "FULFILLING",
    OrderStatus.DELIVERED: "COMPLETED",
    OrderStatus.COMPLETED: "COMPLETED",
    OrderStatus.CANCELLED: "CANCELLED",
}


def withheld_address(address: JsonObject) -> JsonObject:
    """Same keys, nothing in them: what a client sees before the hold ends."""
    empty: JsonObject = {key: "" for key, value in address.items() if isinstance(value, str)}
    empty["district_info"] = []
    empty["delivery_preferences"] = {}
    return empty


def _line_item(state: SimState, order: Order, item: LineItem) -> JsonObject:
    package = state.packages.get(item.package_id) if item.package_id else None
    status = OrderStatus.CANCELLED if item.cancelled else order.status
    return {
        "id": item.line_item_id,
        "sku_id": item.sku_id,
        "product_id": item.product_id,
        "product_name": item.product_name,
        "sku_name": item.sku_name,
        "sku_image": item.sku_image,
        "seller_sku": item.seller_sku,
        "original_price": money(item.original_price),
        "sale_price": money(item.sale_price),
        "platform_discount": "0.00",
        "seller_discount": "0.00",
        "currency": item.currency,
        "display_status": item.display_status,
        "package_id": item.package_id or "",
        "package_status": "PROCESSING"
        if package and not item.cancelled
        else PACKAGE_STATUS[status],
        "shipping_provider_id": package.provider_id if package else "",
        "shipping_provider_name": package.provider_name if package else "",
        "tracking_number": package.tracking_number if package else "",
        "cancel_user": item.cancel_user,
        "cancel_reason": item.cancel_reason,
        "sku_type": "NORMAL",
        "is_gift": False,
        "item_tax": [],
        "rts_time": package.shipped_at if package else 0,
    }


def payment(order: Order) -> JsonObject:
    live = [item for item in order.line_items if not item.cancelled]
    items = live or order.line_items
    subtotal = sum((item.sale_price for item in items), ZERO)
    original = sum((item.original_price for item in items), ZERO)
    return {
        "currency": order.currency,
        "sub_total": money(subtotal),
        "shipping_fee": money(order.shipping_fee),
        "seller_discount": "0.00",
        "platform_discount": "0.00",
        "total_amount": money(subtotal + order.shipping_fee),
        "original_total_product_price": money(original),
        "original_shipping_fee": money(order.shipping_fee),
        "shipping_fee_seller_discount": "0.00",
        "shipping_fee_platform_discount": "0.00",
        "tax": "0.00",
        "product_tax": "0.00",
        "shipping_fee_tax": "0.00",
    }


def order_json(state: SimState, order: Order) -> JsonObject:
    withheld = order.status in ADDRESS_WITHHELD
    data: dict[str, Any] = {
        "id": order.order_id,
        "status": order.status.value,
        "create_time": order.create_time,
        "update_time": order.update_time,
        "paid_time": order.paid_time or 0,
        "rts_time": order.rts_time or 0,
        "collection_time": order.collection_time or 0,
        "delivery_time": order.delivery_time or 0,
        "cancel_time": order.cancel_time or 0,
        "cancel_reason": order.cancel_reason,
        "cancellation_initiator": order.cancellation_initiator,
        "is_buyer_request_cancel": order.is_buyer_request_cancel,
        "request_cancel_time": order.request_cancel_time or 0,
        "user_id": order.user_id,
        "buyer_email": order.buyer_email,
        "buyer_message": order.buyer_message,
        "seller_note": "",
        "shipping_type": order.shipping_type,
        "fulfillment_type": "FULFILLMENT_BY_SELLER",
        "delivery_type": "HOME_DELIVERY",
        "delivery_option_id": order.delivery_option_id,
        "delivery_option_name": order.delivery_option_name,
        "warehouse_id": order.warehouse_id,
        "shipping_provider": order.shipping_provider,
        "shipping_provider_id": order.shipping_provider_id,
        "tracking_number": order.tracking_number,
        "packages": [{"id": package_id} for package_id in order.package_ids],
        "is_on_hold_order": order.status is OrderStatus.ON_HOLD,
        "is_cod": False,
        "is_sample_order": False,
        "is_replacement_order": False,
        "order_type": "NORMAL",
        "split_or_combine_tag": "",
        "has_updated_recipient_address": False,
        "commerce_platform": "TIKTOK_SHOP",
        "payment": payment(order),
        "recipient_address": withheld_address(order.address) if withheld else order.address,
        "line_items": [_line_item(state, order, item) for item in order.line_items],
    }
    if order.hold_until is not None:
        data["rts_sla_time"] = int(order.hold_until) + 2 * 86_400
    return data
