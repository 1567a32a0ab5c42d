"""The order state machine: placement, payment, the ON_HOLD window, shipping scans.

UNPAID -> ON_HOLD (paid; buyer's remorse window) -> AWAITING_SHIPMENT (automatically when the
hold ends) -> [PARTIALLY_SHIPPING] -> AWAITING_COLLECTION -> IN_TRANSIT -> DELIVERED -> COMPLETED,
and CANCELLED once every line item is cancelled. Each change sends webhook type 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from simulators.tiktok.errors import ApiError, business_error
from simulators.tiktok.model import (
    JsonObject,
    LineItem,
    Order,
    OrderStatus,
    ProductStatus,
    Shop,
)
from simulators.tiktok.product_view import image_url
from simulators.tiktok.state import SimState
from simulators.tiktok.timeline import Due, DueKind

WEBHOOK_ORDER_STATUS = 1
#: The order status webhook documents ``CANCEL`` where the APIs say ``CANCELLED``.
WEBHOOK_STATUS_NAMES = {OrderStatus.CANCELLED: "CANCEL"}
MAIN_PATH: tuple[OrderStatus, ...] = (
    OrderStatus.UNPAID,
    OrderStatus.ON_HOLD,
    OrderStatus.AWAITING_SHIPMENT,
    OrderStatus.AWAITING_COLLECTION,
    OrderStatus.IN_TRANSIT,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)
LINE_STATUS = {OrderStatus.ON_HOLD: "AWAITING_SHIPMENT", OrderStatus.PARTIALLY_SHIPPING: None}
PLACEABLE = frozenset({OrderStatus.UNPAID, OrderStatus.ON_HOLD, OrderStatus.AWAITING_SHIPMENT})


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """What a buyer orders (from the control API)."""

    items: tuple[tuple[str, int], ...]
    status: OrderStatus = OrderStatus.ON_HOLD
    shipping_fee: Decimal = Decimal("0.00")
    warehouse_id: str | None = None
    address: JsonObject | None = None
    buyer_message: str = ""
    shipping_type: str = "SELLER"
    force: bool = False


def default_address() -> JsonObject:
    return {
        "name": "Alex Smith",
        "first_name": "Alex",
        "last_name": "Smith",
        "phone_number": "(+44)77****1234",
        "address_line1": "1 High Street",
        "address_line2": "",
        "address_line3": "",
        "address_line4": "",
        "address_detail": "",
        "post_town": "London",
        "postal_code": "SW1A 1AA",
        "region_code": "GB",
        "full_address": "1 High Street, London, SW1A 1AA, United Kingdom",
        "district_info": [
            {
                "address_level": "L0",
                "address_level_name": "Country",
                "address_name": "United Kingdom",
            },
            {
                "address_level": "L1",
                "address_level_name": "County",
                "address_name": "Greater London",
            },
            {"address_level": "L3", "address_level_name": "Post town", "address_name": "London"},
        ],
        "delivery_preferences": {"drop_off_location": ""},
    }


def place_order(state: SimState, shop: Shop, request: OrderRequest) -> Order:
    """Create an order with one line item per unit and reserve the stock."""
    if request.status not in PLACEABLE:
        raise business_error(36009004, "orders are placed UNPAID, ON_HOLD or AWAITING_SHIPMENT")
    now = state.now()
    warehouse_id = request.warehouse_id or _default_warehouse(shop)
    if warehouse_id not in shop.warehouses:
        raise business_error(11005004, "warehouse not exist")
    line_items: list[LineItem] = []
    for sku_id, quantity in request.items:
        line_items.extend(
            _reserve(state, shop, sku_id, quantity, warehouse_id, force=request.force)
        )
    option_id = shop.warehouses[warehouse_id].delivery_option_ids[0]
    order = Order(
        order_id=state.ids.order.next(),
        shop_id=shop.shop_id,
        status=OrderStatus.UNPAID,
        create_time=now,
        update_time=now,
        user_id=f"749484526730{now % 10_000_000:07d}",
        buyer_email=f"v2b{now % 100_000:05d}@chat.seller.tiktok.com",
        buyer_message=request.buyer_message,
        currency=shop.currency,
        shipping_fee=request.shipping_fee,
        line_items=line_items,
        address=request.address or default_address(),
        warehouse_id=warehouse_id,
        delivery_option_id=option_id,
        delivery_option_name=state.delivery_options[option_id].name,
        shipping_type=request.shipping_type,
    )
    state.add_order(order)
    _notify(state, order)
    if request.status is not OrderStatus.UNPAID:
        pay(state, order)
    if request.status is OrderStatus.AWAITING_SHIPMENT and order.status is OrderStatus.ON_HOLD:
        release_hold(state, order, force=True)
    return order


def _default_warehouse(shop: Shop) -> str:
    for warehouse in shop.warehouses.values():
        if warehouse.is_default:
            return warehouse.warehouse_id
    return next(iter(shop.warehouses))


def _reserve(
    state: SimState, shop: Shop, sku_id: str, quantity: int, warehouse_id: str, *, force: bool
) -> list[LineItem]:
    owner = state.sku_owner.get(sku_id)
    product = state.shop_product(shop.shop_id, owner) if owner else None
    if product is None:
        raise business_error(12052557, f"SKU {sku_id} does not exist in this shop")
    if product.status is not ProductStatus.ACTIVATE and not force:
        raise business_error(12019113, f"product {product.product_id} is not ACTIVATE")
    sku = product.skus[sku_id]
    available = sku.inventory.get(warehouse_id, 0)
    if available < quantity and not force:
        raise business_error(12019024, f"SKU {sku_id} has {available} in stock, not {quantity}")
    if warehouse_id in sku.inventory:
        sku.inventory[warehouse_id] = max(0, available - quantity)
    sku.committed[warehouse_id] = sku.committed.get(warehouse_id, 0) + quantity
    names = [str(a["value_name"]) for a in sku.sales_attributes]
    images = product.content.get("main_images") or [{}]
    return [
        LineItem(
            line_item_id=state.ids.line_item.next(),
            sku_id=sku_id,
            product_id=product.product_id,
            product_name=product.title,
            sku_name=", ".join(names) or "Default",
            seller_sku=sku.seller_sku,
            sku_image=image_url(str(images[0].get("uri", ""))),
            original_price=sku.price,
            sale_price=sku.price,
            currency=sku.currency,
            warehouse_id=warehouse_id,
            display_status=OrderStatus.UNPAID.value,
        )
        for _ in range(quantity)
    ]


def release_stock(state: SimState, item: LineItem) -> None:
    """Put a cancelled unit back on sale."""
    owner = state.sku_owner.get(item.sku_id)
    product = state.products.get(owner) if owner else None
    sku = product.skus.get(item.sku_id) if product else None
    if sku is None:
        return
    if item.warehouse_id in sku.inventory:
        maximum = state.config.max_quantity
        sku.inventory[item.warehouse_id] = min(maximum, sku.inventory[item.warehouse_id] + 1)
    sku.committed[item.warehouse_id] = max(0, sku.committed.get(item.warehouse_id, 0) - 1)


def set_status(state: SimState, order: Order, status: OrderStatus) -> None:
    order.status = status
    order.update_time = state.now()
    line_status = LINE_STATUS.get(status, status.value)
    for item in order.line_items:
        if not item.cancelled and line_status is not None:
            item.display_status = line_status
    if status is OrderStatus.AWAITING_COLLECTION and order.rts_time is None:
        order.rts_time = order.update_time
    elif status is OrderStatus.IN_TRANSIT:
        order.collection_time = order.update_time
    elif status is OrderStatus.DELIVERED:
        order.delivery_time = order.update_time
    _notify(state, order)


def _notify(state: SimState, order: Order) -> None:
    data: dict[str, object] = {
        "order_id": order.order_id,
        "order_status": WEBHOOK_STATUS_NAMES.get(order.status, order.status.value),
        "is_on_hold_order": order.status is OrderStatus.ON_HOLD,
        "update_time": order.update_time,
    }
    state.notify(order.shop_id, WEBHOOK_ORDER_STATUS, data)


def pay(state: SimState, order: Order) -> None:
    if order.status is not OrderStatus.UNPAID:
        raise business_error(36009004, f"order {order.order_id} is {order.status}, not UNPAID")
    order.paid_time = state.now()
    hold = state.config.on_hold_seconds
    if hold <= 0:
        set_status(state, order, OrderStatus.AWAITING_SHIPMENT)
        return
    order.hold_until = state.clock.now() + hold
    set_status(state, order, OrderStatus.ON_HOLD)
    state.schedule(order.hold_until, Due(DueKind.RELEASE_HOLD, order.order_id))


def release_hold(state: SimState, order: Order, *, force: bool = False) -> None:
    """End the remorse window (when it is over, or at once with `force`)."""
    if order.status is not OrderStatus.ON_HOLD:
        return
    if not force and order.hold_until is not None and order.hold_until > state.clock.now():
        return
    order.hold_until = None
    set_status(state, order, OrderStatus.AWAITING_SHIPMENT)


def _position(status: OrderStatus) -> int:
    if status is OrderStatus.PARTIALLY_SHIPPING:
        return MAIN_PATH.index(OrderStatus.AWAITING_SHIPMENT)
    return MAIN_PATH.index(status)


def advance(state: SimState, order: Order, target: OrderStatus | None) -> None:
    """Move along the main path, one step or up to `target` (e.g. a carrier's scans)."""
    if order.status is OrderStatus.CANCELLED or order.status is OrderStatus.COMPLETED:
        raise ApiError(36009004, f"order {order.order_id} is {order.status} and cannot advance")
    if target is not None and target not in MAIN_PATH:
        raise ApiError(36009004, f"{target} is not on the order's main path")
    current = _position(order.status)
    goal = current + 1 if target is None else MAIN_PATH.index(target)
    if goal <= current:
        raise ApiError(36009004, f"order {order.order_id} is already at or past {target}")
    while _position(order.status) < goal:
        _step(state, order)


def _step(state: SimState, order: Order) -> None:
    if order.status is OrderStatus.UNPAID:
        pay(state, order)
    elif order.status is OrderStatus.ON_HOLD:
        release_hold(state, order, force=True)
    elif order.status in {OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SHIPPING}:
        _settle_committed(state, order, OrderStatus.AWAITING_COLLECTION)
        set_status(state, order, OrderStatus.AWAITING_COLLECTION)
    else:
        set_status(state, order, MAIN_PATH[_position(order.status) + 1])


def _settle_committed(state: SimState, order: Order, status: OrderStatus) -> None:
    """Stock reserved by the order leaves the warehouse when the parcel is collected."""
    if status is not OrderStatus.AWAITING_COLLECTION:
        return
    for item in order.line_items:
        if item.cancelled or item.package_id is not None:
            continue
        owner = state.sku_owner.get(item.sku_id)
        product = state.products.get(owner) if owner else None
        sku = product.skus.get(item.sku_id) if product else None
        if sku is not None:
            sku.committed[item.warehouse_id] = max(0, sku.committed.get(item.warehouse_id, 0) - 1)


def cancel_items(
    state: SimState, order: Order, line_item_ids: list[str] | None, role: str, reason: str
) -> list[LineItem]:
    """Cancel line items (all when None); the order is CANCELLED once none is left."""
    wanted = None if line_item_ids is None else set(line_item_ids)
    cancelled: list[LineItem] = []
    for item in order.line_items:
        if item.cancelled or (wanted is not None and item.line_item_id not in wanted):
            continue
        item.cancelled = True
        item.cancel_user = role
        item.cancel_reason = reason
        item.display_status = OrderStatus.CANCELLED.value
        release_stock(state, item)
        cancelled.append(item)
    order.update_time = state.now()
    if all(item.cancelled for item in order.line_items):
        order.cancel_time = state.now()
        order.cancel_reason = reason
        order.cancellation_initiator = role
        order.hold_until = None
        set_status(state, order, OrderStatus.CANCELLED)
    return cancelled
