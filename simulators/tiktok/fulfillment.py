"""Seller shipping: Mark Package As Shipped and the 72-hour tracking corrections."""

from __future__ import annotations

import re

from simulators.tiktok.context import RequestContext, optional_str, str_list
from simulators.tiktok.errors import business_error
from simulators.tiktok.model import (
    JsonObject,
    LineItem,
    Order,
    OrderStatus,
    Package,
    ShippingProvider,
)
from simulators.tiktok.order_flow import set_status
from simulators.tiktok.state import SimState

_TRACKING = re.compile(r"^[A-Za-z0-9-]{4,64}$")
SHIPPABLE = frozenset({OrderStatus.AWAITING_SHIPMENT, OrderStatus.PARTIALLY_SHIPPING})
SHIPPED = frozenset(
    {
        OrderStatus.AWAITING_COLLECTION,
        OrderStatus.IN_TRANSIT,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    }
)
DELIVERED = frozenset({OrderStatus.DELIVERED, OrderStatus.COMPLETED})
PACKAGE_STATUS = {
    OrderStatus.IN_TRANSIT: "FULFILLING",
    OrderStatus.DELIVERED: "COMPLETED",
    OrderStatus.COMPLETED: "COMPLETED",
    OrderStatus.CANCELLED: "CANCELLED",
}
NOT_OWNED_MESSAGE = "The order or package does not belong to the current seller."


def _order(ctx: RequestContext) -> Order:
    order = ctx.state.shop_order(ctx.shop.shop_id, ctx.params["order_id"])
    if order is None:
        raise business_error(21008111, NOT_OWNED_MESSAGE)
    return order


def _tracking_and_provider(ctx: RequestContext, order: Order) -> tuple[str, ShippingProvider]:
    payload = ctx.json()
    tracking = optional_str(payload, "tracking_number")
    provider_id = optional_str(payload, "shipping_provider_id")
    if not tracking or not provider_id:
        raise business_error(
            21001001,
            "Invalid parameters. Please ensure you are passing the correct request parameter(s).",
        )
    if not _TRACKING.match(tracking):
        raise business_error(21004012, "Tracking number has special characters, verify failed.")
    option = ctx.state.delivery_options.get(order.delivery_option_id)
    allowed = set(option.provider_ids) if option else set()
    provider = ctx.state.providers.get(provider_id)
    if provider is None or provider_id not in allowed:
        raise business_error(
            21011022, "Invalid tracking number or provider ID. Please double check and try again."
        )
    return tracking, provider


def _check_shippable(order: Order) -> None:
    if order.shipping_type != "SELLER":
        raise business_error(
            21008025, "Seller cannot operate orders which are fulfilled by platform"
        )
    if order.status is OrderStatus.ON_HOLD:
        raise business_error(
            21011044,
            "The order is on hold. Wait until the on-hold period ends before fulfilling it.",
        )
    if order.status is OrderStatus.CANCELLED:
        raise business_error(21011041, "Cannot complete the operation when order is cancelled.")
    if order.status in SHIPPED:
        raise business_error(21011006, "These orders are already shipped.")
    if order.status not in SHIPPABLE:
        raise business_error(21011003, "fulfill_unit action not allowed")


def _items_to_ship(order: Order, wanted: list[str]) -> list[LineItem]:
    open_items = [i for i in order.line_items if not i.cancelled and i.package_id is None]
    if not wanted:
        return open_items
    by_id = {item.line_item_id: item for item in open_items}
    if any(line_item_id not in by_id for line_item_id in wanted):
        raise business_error(21011029, "order does not belong to fulfill unit")
    return [by_id[line_item_id] for line_item_id in dict.fromkeys(wanted)]


def _release_committed(state: SimState, items: list[LineItem]) -> None:
    for item in items:
        owner = state.sku_owner.get(item.sku_id)
        product = state.products.get(owner) if owner else None
        sku = product.skus.get(item.sku_id) if product else None
        if sku is not None:
            sku.committed[item.warehouse_id] = max(0, sku.committed.get(item.warehouse_id, 0) - 1)


def mark_package_shipped(ctx: RequestContext) -> JsonObject:
    order = _order(ctx)
    _check_shippable(order)
    tracking, provider = _tracking_and_provider(ctx, order)
    items = _items_to_ship(order, str_list(ctx.json(), "order_line_item_ids"))
    if not items:
        raise business_error(21011006, "These orders are already shipped.")
    state = ctx.state
    package = Package(
        package_id=state.ids.package.next(),
        order_id=order.order_id,
        shop_id=order.shop_id,
        line_item_ids=[item.line_item_id for item in items],
        tracking_number=tracking,
        provider_id=provider.provider_id,
        provider_name=provider.name,
        shipped_at=state.now(),
    )
    state.packages[package.package_id] = package
    order.package_ids.append(package.package_id)
    for item in items:
        item.package_id = package.package_id
        item.display_status = OrderStatus.AWAITING_COLLECTION.value
    _release_committed(state, items)
    order.tracking_number = tracking
    order.shipping_provider_id = provider.provider_id
    order.shipping_provider = provider.name
    remaining = [i for i in order.line_items if not i.cancelled and i.package_id is None]
    set_status(
        state,
        order,
        OrderStatus.PARTIALLY_SHIPPING if remaining else OrderStatus.AWAITING_COLLECTION,
    )
    return {
        "order_id": order.order_id,
        "order_line_item_ids": package.line_item_ids,
        "package_id": package.package_id,
    }


def _correct(ctx: RequestContext, order: Order, packages: list[Package]) -> JsonObject:
    if order.shipping_type != "SELLER":
        raise business_error(
            21011004,
            "This API cannot be used to update package shipping information for packages that "
            "are not shipped by sellers.",
        )
    if order.status is OrderStatus.CANCELLED:
        raise business_error(21011041, "Cannot complete the operation when order is cancelled.")
    if not packages:
        raise business_error(21011043, "The package has not been shipped yet.")
    if order.status in DELIVERED:
        raise business_error(
            21011030,
            "Package has already been delivered. If you would still like to update the tracking "
            "number, please contact the platform for assistance.",
        )
    window = ctx.state.config.shipping_info_update_window_seconds
    if any(ctx.now() - package.shipped_at > window for package in packages):
        raise business_error(
            21011050, "The tracking number can only be updated within a certain number of hours."
        )
    tracking, provider = _tracking_and_provider(ctx, order)
    for package in packages:
        package.tracking_number = tracking
        package.provider_id = provider.provider_id
        package.provider_name = provider.name
        package.tracking_updates += 1
    order.tracking_number = tracking
    order.shipping_provider_id = provider.provider_id
    order.shipping_provider = provider.name
    order.update_time = ctx.now()
    return {}


def update_shipping_info(ctx: RequestContext) -> JsonObject:
    order = _order(ctx)
    packages = [ctx.state.packages[pid] for pid in order.package_ids]
    return _correct(ctx, order, packages)


def update_package_shipping_info(ctx: RequestContext) -> JsonObject:
    package = ctx.state.packages.get(ctx.params["package_id"])
    if package is None or package.shop_id != ctx.shop.shop_id:
        raise business_error(21011028, "The package does not belong to the current shop.")
    return _correct(ctx, ctx.state.orders[package.order_id], [package])


def get_package_detail(ctx: RequestContext) -> JsonObject:
    package = ctx.state.packages.get(ctx.params["package_id"])
    if package is None or package.shop_id != ctx.shop.shop_id:
        raise business_error(21011028, "The package does not belong to the current shop.")
    order = ctx.state.orders[package.order_id]
    return {
        "package_id": package.package_id,
        "package_status": PACKAGE_STATUS.get(order.status, "PROCESSING"),
        "tracking_number": package.tracking_number,
        "shipping_provider_id": package.provider_id,
        "shipping_provider_name": package.provider_name,
        "orders": [{"id": order.order_id, "skus": []}],
        "create_time": package.shipped_at,
        "update_time": order.update_time,
    }
