"""The order fields of the Admin GraphQL schema: the ``orders`` root connection (searched by
``created_at``, ``updated_at``, ``processed_at``, ``source_name``, ``source_identifier`` and
``status``) and the Order object's renamed fields. Reading orders needs ``read_orders``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from simulators.shopify.graphql_common import (
    Resolver,
    gid,
    require,
    search,
    shop_of_info,
    stamp,
    utc_key,
)
from simulators.shopify.graphql_connections import connection
from simulators.shopify.records import OrderRec


def _status(order: OrderRec) -> str:
    if order.cancelled_at is not None:
        return "cancelled"
    return "closed" if order.closed_at is not None else "open"


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
    sort = args.get("sortKey") or "ID"
    key: Callable[[OrderRec], tuple[Any, ...]]
    if sort == "UPDATED_AT":
        key = lambda o: (utc_key(o.updated_at), o.id)  # noqa: E731 a sort key
    elif sort == "CREATED_AT":
        key = lambda o: (utc_key(o.created_at), o.id)  # noqa: E731
    elif sort == "PROCESSED_AT":
        key = lambda o: (utc_key(o.processed_at), o.id)  # noqa: E731
    elif sort == "NUMBER":
        key = lambda o: (o.number, o.id)  # noqa: E731
    else:
        key = lambda o: (o.id,)  # noqa: E731
    orders.sort(key=key)
    return connection(info, orders, key, args, reverse=bool(args.get("reverse")))


ORDER_FIELDS: dict[tuple[str, str], Resolver] = {
    ("QueryRoot", "orders"): _orders,
    ("Order", "id"): lambda o, _: gid("Order", o.id),
    ("Order", "legacyResourceId"): lambda o, _: str(o.id),
    ("Order", "createdAt"): lambda o, _: stamp(o.created_at),
    ("Order", "updatedAt"): lambda o, _: stamp(o.updated_at),
    ("Order", "processedAt"): lambda o, _: stamp(o.processed_at),
    ("Order", "cancelledAt"): lambda o, _: stamp(o.cancelled_at),
    ("Order", "closedAt"): lambda o, _: stamp(o.closed_at),
    ("Order", "sourceName"): lambda o, _: o.source_name,
    ("Order", "sourceIdentifier"): lambda o, _: o.source_identifier,
    ("Order", "customAttributes"): lambda o, _: [
        {"key": a["name"], "value": a.get("value")} for a in o.note_attributes
    ],
}
