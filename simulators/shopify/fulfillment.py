"""The fulfillment-order flow: orders get fulfillment orders per location; a fulfillment
takes (some of) their lines and carries the tracking company, number and URL."""

from __future__ import annotations

from collections import defaultdict

from simulators.shopify.context import Shop
from simulators.shopify.errors import ApiError, invalid
from simulators.shopify.order_input import (
    FulfillmentIn,
    FulfillmentOrderGroupIn,
    TrackingIn,
    TrackingUpdateIn,
)
from simulators.shopify.records import (
    FulfillmentOrderLineRec,
    FulfillmentOrderRec,
    FulfillmentRec,
    OrderRec,
)
from simulators.shopify.render_orders import render_fulfillment

FULFILLABLE = frozenset({"open", "in_progress"})


def open_fulfillment_orders(shop: Shop, order: OrderRec) -> None:
    """One fulfillment order per location holding the order's shippable lines."""
    state = shop.state
    groups: dict[int, list[FulfillmentOrderLineRec]] = defaultdict(list)
    fallback = min(state.active_location_ids(), default=None)
    for line in order.line_items:
        location = line.location_id or fallback
        if not line.requires_shipping or location is None:
            continue
        groups[location].append(
            FulfillmentOrderLineRec(
                id=state.ids.take("fulfillment_order_line"),
                line_item_id=line.id,
                variant_id=line.variant_id,
                inventory_item_id=line.inventory_item_id,
                quantity=line.quantity,
                fulfillable_quantity=line.quantity,
            )
        )
    for location, lines in sorted(groups.items()):
        fo_id = state.ids.take("fulfillment_order")
        state.fulfillment_orders[fo_id] = FulfillmentOrderRec(
            id=fo_id,
            order_id=order.id,
            location_id=location,
            status="open",
            request_status="unsubmitted",
            line_items=lines,
            created_at=order.created_at,
            updated_at=order.created_at,
        )
        order.fulfillment_order_ids.append(fo_id)


def _take(
    fulfillment_order: FulfillmentOrderRec, group: FulfillmentOrderGroupIn
) -> list[tuple[FulfillmentOrderLineRec, int]]:
    if group.fulfillment_order_line_items is None:
        return [(x, x.fulfillable_quantity) for x in fulfillment_order.line_items]
    by_id = {line.id: line for line in fulfillment_order.line_items}
    taken = []
    for wanted in group.fulfillment_order_line_items:
        line = by_id.get(wanted.id)
        if line is None:
            raise invalid("fulfillment_order_line_items", f"line {wanted.id} is not on the order")
        if wanted.quantity > line.fulfillable_quantity:
            raise invalid(
                "fulfillment_order_line_items",
                f"quantity {wanted.quantity} exceeds the fulfillable quantity "
                f"{line.fulfillable_quantity}",
            )
        taken.append((line, wanted.quantity))
    return taken


def fulfil(shop: Shop, given: FulfillmentIn) -> FulfillmentRec:
    """``POST fulfillments.json``: all fulfillment orders of one order and one location."""
    state = shop.state
    picked: list[tuple[FulfillmentOrderRec, FulfillmentOrderGroupIn]] = []
    for group in given.line_items_by_fulfillment_order:
        fulfillment_order = state.fulfillment_orders.get(group.fulfillment_order_id)
        if fulfillment_order is None:
            raise ApiError(404, "Not Found")
        if fulfillment_order.status not in FULFILLABLE:
            message = (
                f"Fulfillment order {fulfillment_order.id} has an unfulfillable status= "
                f"{fulfillment_order.status}."
            )
            raise ApiError(422, [message])
        picked.append((fulfillment_order, group))
    if len({(fo.order_id, fo.location_id) for fo, _ in picked}) != 1:
        raise ApiError(422, ["All fulfillment orders must belong to one order and one location"])
    takes = [(fo, _take(fo, group)) for fo, group in picked]
    if not any(units for _, taken in takes for _, units in taken):
        raise ApiError(422, ["Nothing left to fulfill"])
    order = state.orders[picked[0][0].order_id]
    return _record(shop, order, picked[0][0].location_id, takes, given.tracking_info)


def _record(
    shop: Shop,
    order: OrderRec,
    location_id: int,
    takes: list[tuple[FulfillmentOrderRec, list[tuple[FulfillmentOrderLineRec, int]]]],
    tracking: TrackingIn | None,
) -> FulfillmentRec:
    state = shop.state
    now = shop.now()
    lines_by_id = {line.id: line for line in order.line_items}
    fulfilled: list[tuple[int, int]] = []
    for fulfillment_order, taken in takes:
        for fo_line, units in taken:
            fo_line.fulfillable_quantity -= units
            lines_by_id[fo_line.line_item_id].fulfilled += units
            fulfilled.append((fo_line.line_item_id, units))
        done = all(line.fulfillable_quantity == 0 for line in fulfillment_order.line_items)
        fulfillment_order.status = "closed" if done else "in_progress"
        fulfillment_order.updated_at = now
    fulfillment_id = state.ids.take("fulfillment")
    record = FulfillmentRec(
        id=fulfillment_id,
        order_id=order.id,
        name=f"{order.name}.{len(order.fulfillment_ids) + 1}",
        location_id=location_id,
        status="success",
        tracking_company=tracking.company if tracking else None,
        tracking_numbers=[tracking.number] if tracking and tracking.number else [],
        tracking_urls=[tracking.url] if tracking and tracking.url else [],
        line_items=fulfilled,
        created_at=now,
        updated_at=now,
    )
    state.fulfillments[fulfillment_id] = record
    order.fulfillment_ids.append(fulfillment_id)
    order.updated_at = now
    shop.webhooks.emit("fulfillments/create", render_fulfillment(shop, record))
    return record


def merchant_fulfil(shop: Shop, order: OrderRec, tracking: TrackingIn) -> list[FulfillmentRec]:
    """Fulfil everything still open on the order, one fulfillment per location."""
    open_orders = [
        shop.state.fulfillment_orders[fo_id]
        for fo_id in order.fulfillment_order_ids
        if shop.state.fulfillment_orders[fo_id].status in FULFILLABLE
    ]
    if order.cancelled_at is not None or not open_orders:
        raise ApiError(422, ["The order has nothing left to fulfill"])
    return [
        fulfil(
            shop,
            FulfillmentIn(
                line_items_by_fulfillment_order=[
                    FulfillmentOrderGroupIn(fulfillment_order_id=fo.id)
                ],
                tracking_info=tracking,
            ),
        )
        for fo in open_orders
    ]


def update_tracking(
    shop: Shop, fulfillment: FulfillmentRec, given: TrackingUpdateIn
) -> FulfillmentRec:
    tracking = given.tracking_info
    fields = tracking.model_fields_set
    if "company" in fields:
        fulfillment.tracking_company = tracking.company
    if "number" in fields:
        fulfillment.tracking_numbers = [tracking.number] if tracking.number else []
    if "url" in fields:
        fulfillment.tracking_urls = [tracking.url] if tracking.url else []
    now = shop.now()
    fulfillment.updated_at = now
    shop.state.orders[fulfillment.order_id].updated_at = now
    shop.webhooks.emit("fulfillments/update", render_fulfillment(shop, fulfillment))
    return fulfillment
