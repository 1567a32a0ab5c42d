"""The order side of the Admin GraphQL schema, read: the ``order``/``orders`` root fields
(``orders`` searched by ``created_at``, ``updated_at``, ``processed_at``, ``source_name``,
``source_identifier`` and ``status``) and the fields of Order, LineItem, Fulfillment and
FulfillmentOrder over the simulated shop's records. Reading orders needs ``read_orders``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from graphql import GraphQLResolveInfo

from simulators.shopify.graphql_common import (
    Resolver,
    gid,
    parse_gid,
    require,
    search,
    shop_of_info,
    stamp,
    utc_key,
)
from simulators.shopify.graphql_connections import connection
from simulators.shopify.records import (
    FulfillmentOrderLineRec,
    FulfillmentOrderRec,
    FulfillmentRec,
    OrderRec,
)
from simulators.shopify.render_orders import fulfillment_status, order_totals
from simulators.shopify.times import money

_FULFILLMENT_DISPLAY = {None: "UNFULFILLED", "partial": "PARTIALLY_FULFILLED"}


class Seen:
    """A line record seen from its order (a line's money is in the order's currency)."""

    def __init__(self, record: Any, order: OrderRec) -> None:
        self.record = record
        self.order = order

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)


def _status(order: OrderRec) -> str:
    if order.cancelled_at is not None:
        return "cancelled"
    return "closed" if order.closed_at is not None else "open"


def _sort_key(sort: str) -> Callable[[OrderRec], tuple[Any, ...]]:
    if sort == "UPDATED_AT":
        return lambda o: (utc_key(o.updated_at), o.id)
    if sort == "CREATED_AT":
        return lambda o: (utc_key(o.created_at), o.id)
    if sort == "PROCESSED_AT":
        return lambda o: (utc_key(o.processed_at), o.id)
    if sort == "NUMBER":
        return lambda o: (o.number, o.id)
    return lambda o: (o.id,)


def _orders(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "read_orders")
    test = search(
        info,
        args.get("query"),
        {
            "id": lambda o: o.id,
            "name": lambda o: o.name,
            "created_at": lambda o: o.created_at,
            "updated_at": lambda o: o.updated_at,
            "processed_at": lambda o: o.processed_at,
            "source_name": lambda o: o.source_name,
            "source_identifier": lambda o: o.source_identifier or "",
            "status": _status,
        },
    )
    orders = [order for order in shop_of_info(info).state.orders.values() if test(order)]
    key = _sort_key(args.get("sortKey") or "ID")
    orders.sort(key=key)
    return connection(info, orders, key, args, reverse=bool(args.get("reverse")))


def _order(_: Any, info: GraphQLResolveInfo, **args: Any) -> OrderRec | None:
    require(info, "read_orders")
    parsed = parse_gid(args["id"], "Order")
    return None if parsed is None else shop_of_info(info).state.orders.get(parsed[1])


def _fulfillment(_: Any, info: GraphQLResolveInfo, **args: Any) -> FulfillmentRec | None:
    require(info, "read_orders")
    parsed = parse_gid(args["id"], "Fulfillment")
    return None if parsed is None else shop_of_info(info).state.fulfillments.get(parsed[1])


def money_bag(amount: Decimal, currency: str) -> dict[str, Any]:
    value = {"amount": money(amount), "currencyCode": currency}
    return {"shopMoney": value, "presentmentMoney": value}


def _lines(order: OrderRec, info: GraphQLResolveInfo, args: dict[str, Any]) -> dict[str, Any]:
    lines = [Seen(line, order) for line in order.line_items]
    return connection(info, lines, lambda line: (line.id,), args)


def _fulfillments(order: OrderRec, info: GraphQLResolveInfo, **args: Any) -> list[Any]:
    records = shop_of_info(info).state.fulfillments
    chosen = [records[f] for f in order.fulfillment_ids]
    first = args.get("first")
    return chosen if first is None else chosen[:first]


def _fulfillment_orders(order: OrderRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    require(info, "read_merchant_managed_fulfillment_orders")
    records = shop_of_info(info).state.fulfillment_orders
    chosen = [records[f] for f in order.fulfillment_order_ids]
    return connection(info, chosen, lambda fo: (fo.id,), args, reverse=bool(args.get("reverse")))


def _line_of(info: GraphQLResolveInfo, order_id: int, line_id: int) -> Seen:
    order = shop_of_info(info).state.orders[order_id]
    return Seen(next(line for line in order.line_items if line.id == line_id), order)


def _variant(info: GraphQLResolveInfo, variant_id: int | None) -> Any:
    return shop_of_info(info).state.variants.get(variant_id or 0)


def _fulfillment_lines(record: FulfillmentRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    lines = [
        {
            "id": gid("FulfillmentLineItem", line_id),
            "quantity": units,
            "lineItem": _line_of(info, record.order_id, line_id),
            "_line": line_id,
        }
        for line_id, units in record.line_items
    ]
    return connection(info, lines, lambda line: (line["_line"],), args)


def _tracking(record: FulfillmentRec, _: GraphQLResolveInfo, **args: Any) -> list[Any]:
    numbers: list[str | None] = [*record.tracking_numbers] or [None]
    urls = record.tracking_urls
    found = [
        {
            "company": record.tracking_company,
            "number": number,
            "url": urls[n] if n < len(urls) else None,
        }
        for n, number in enumerate(numbers)
    ]
    if found == [{"company": None, "number": None, "url": None}]:
        return []
    first = args.get("first")
    return found if first is None else found[:first]


def _actions(record: FulfillmentOrderRec, _: GraphQLResolveInfo) -> list[dict[str, str]]:
    if record.status not in {"open", "in_progress"}:
        return []
    return [{"action": name} for name in ("CREATE_FULFILLMENT", "MOVE", "HOLD")]


def _assigned(record: FulfillmentOrderRec, info: GraphQLResolveInfo) -> dict[str, Any]:
    location = shop_of_info(info).state.locations.get(record.location_id)
    return {"name": location.name if location else "", "location": location}


def _fo_lines(record: FulfillmentOrderRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    order = shop_of_info(info).state.orders[record.order_id]
    lines = [Seen(line, order) for line in record.line_items]
    return connection(info, lines, lambda line: (line.id,), args)


def _fo_line_item(line: Seen, info: GraphQLResolveInfo) -> Seen:
    record: FulfillmentOrderLineRec = line.record
    return _line_of(info, line.order.id, record.line_item_id)


ORDER_FIELDS: dict[tuple[str, str], Resolver] = {
    ("QueryRoot", "orders"): _orders,
    ("QueryRoot", "order"): _order,
    ("QueryRoot", "fulfillment"): _fulfillment,
    ("Order", "id"): lambda o, _: gid("Order", o.id),
    ("Order", "legacyResourceId"): lambda o, _: str(o.id),
    ("Order", "createdAt"): lambda o, _: stamp(o.created_at),
    ("Order", "updatedAt"): lambda o, _: stamp(o.updated_at),
    ("Order", "processedAt"): lambda o, _: stamp(o.processed_at),
    ("Order", "cancelledAt"): lambda o, _: stamp(o.cancelled_at),
    ("Order", "closedAt"): lambda o, _: stamp(o.closed_at),
    ("Order", "cancelReason"): lambda o, _: o.cancel_reason.upper() if o.cancel_reason else None,
    ("Order", "currencyCode"): lambda o, _: o.currency,
    ("Order", "sourceName"): lambda o, _: o.source_name,
    ("Order", "sourceIdentifier"): lambda o, _: o.source_identifier,
    ("Order", "totalPriceSet"): lambda o, _: money_bag(order_totals(o)["total_price"], o.currency),
    ("Order", "displayFinancialStatus"): lambda o, _: o.financial_status.upper(),
    ("Order", "displayFulfillmentStatus"): lambda o, _: _FULFILLMENT_DISPLAY.get(
        fulfillment_status(o), "FULFILLED"
    ),
    ("Order", "customAttributes"): lambda o, _: [
        {"key": a["name"], "value": a.get("value")} for a in o.note_attributes
    ],
    ("Order", "lineItems"): lambda o, info, **args: _lines(o, info, args),
    ("Order", "fulfillments"): _fulfillments,
    ("Order", "fulfillmentOrders"): _fulfillment_orders,
    ("LineItem", "id"): lambda line, _: gid("LineItem", line.id),
    ("LineItem", "name"): lambda line, _: (
        f"{line.title} - {line.variant_title}" if line.variant_title else line.title
    ),
    ("LineItem", "variantTitle"): lambda line, _: line.variant_title,
    ("LineItem", "currentQuantity"): lambda line, _: line.quantity,
    ("LineItem", "unfulfilledQuantity"): lambda line, _: max(0, line.quantity - line.fulfilled),
    ("LineItem", "originalUnitPriceSet"): lambda line, _: money_bag(
        line.price, line.order.currency
    ),
    ("LineItem", "variant"): lambda line, info: _variant(info, line.variant_id),
    ("LineItem", "requiresShipping"): lambda line, _: line.requires_shipping,
    ("Fulfillment", "id"): lambda f, _: gid("Fulfillment", f.id),
    ("Fulfillment", "legacyResourceId"): lambda f, _: str(f.id),
    ("Fulfillment", "status"): lambda f, _: f.status.upper(),
    ("Fulfillment", "createdAt"): lambda f, _: stamp(f.created_at),
    ("Fulfillment", "updatedAt"): lambda f, _: stamp(f.updated_at),
    ("Fulfillment", "order"): lambda f, info: shop_of_info(info).state.orders[f.order_id],
    ("Fulfillment", "location"): lambda f, info: shop_of_info(info).state.locations.get(
        f.location_id
    ),
    ("Fulfillment", "trackingInfo"): _tracking,
    ("Fulfillment", "fulfillmentLineItems"): _fulfillment_lines,
    ("FulfillmentOrder", "id"): lambda fo, _: gid("FulfillmentOrder", fo.id),
    ("FulfillmentOrder", "orderId"): lambda fo, _: gid("Order", fo.order_id),
    ("FulfillmentOrder", "status"): lambda fo, _: fo.status.upper(),
    ("FulfillmentOrder", "supportedActions"): _actions,
    ("FulfillmentOrder", "assignedLocation"): _assigned,
    ("FulfillmentOrder", "createdAt"): lambda fo, _: stamp(fo.created_at),
    ("FulfillmentOrder", "updatedAt"): lambda fo, _: stamp(fo.updated_at),
    ("FulfillmentOrder", "lineItems"): _fo_lines,
    ("FulfillmentOrderLineItem", "id"): lambda x, _: gid("FulfillmentOrderLineItem", x.id),
    ("FulfillmentOrderLineItem", "totalQuantity"): lambda x, _: x.quantity,
    ("FulfillmentOrderLineItem", "remainingQuantity"): lambda x, _: x.fulfillable_quantity,
    ("FulfillmentOrderLineItem", "lineItem"): _fo_line_item,
    ("FulfillmentOrderLineItem", "variant"): lambda x, info: _variant(info, x.variant_id),
}
