"""What each Admin GraphQL field answers, read from the simulated shop's records.

One field resolver serves every field: a table entry when the field needs work (connections,
GIDs, renamed or computed fields: the root fields here, the objects' in `graphql_fields`),
else the record's attribute or dict key of the same name. Access scopes are checked where
Shopify checks them, on the root fields and on inventory levels, with Shopify's
``ACCESS_DENIED`` error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema

from simulators.shopify.context import Shop
from simulators.shopify.graphql_common import (
    GID_TYPES,
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
from simulators.shopify.graphql_fields import FIELDS
from simulators.shopify.graphql_order_mutations import ORDER_MUTATIONS
from simulators.shopify.graphql_orders import ORDER_FIELDS
from simulators.shopify.records import (
    InventoryItemRec,
    LocationRec,
    OrderRec,
    ProductRec,
    VariantRec,
)

# --- root fields ---------------------------------------------------------------------------


def _products(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    products = _matching_products(info, args.get("query"))
    sort = args.get("sortKey") or "ID"
    key: Callable[[ProductRec], tuple[Any, ...]]
    if sort == "UPDATED_AT":
        key = lambda p: (utc_key(p.updated_at), p.id)  # noqa: E731 a sort key
    elif sort == "CREATED_AT":
        key = lambda p: (utc_key(p.created_at), p.id)  # noqa: E731
    elif sort == "TITLE":
        key = lambda p: (p.title, p.id)  # noqa: E731
    else:
        key = lambda p: (p.id,)  # noqa: E731
    products.sort(key=key)
    return connection(info, products, key, args, reverse=bool(args.get("reverse")))


def _products_count(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """``productsCount``: exact up to `limit` (10,000 by default), else AT_LEAST."""
    found = len(_matching_products(info, args.get("query")))
    limit = args.get("limit") or 10_000
    if found > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": found, "precision": "EXACT"}


def _matching_products(info: GraphQLResolveInfo, query: str | None) -> list[ProductRec]:
    require(info, "read_products")
    shop = shop_of_info(info)
    test = search(
        info,
        query,
        {
            "id": lambda p: p.id,
            "updated_at": lambda p: p.updated_at,
            "created_at": lambda p: p.created_at,
            "status": lambda p: p.status,
            "handle": lambda p: p.handle,
            "title": lambda p: p.title,
            "vendor": lambda p: p.vendor,
            "product_type": lambda p: p.product_type,
        },
    )
    return [p for p in shop.state.products.values() if test(p)]


def _variants_root(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "read_products")
    shop = shop_of_info(info)
    test = search(
        info,
        args.get("query"),
        {
            "id": lambda v: v.id,
            "product_id": lambda v: v.product_id,
            "sku": lambda v: v.sku,
            "updated_at": lambda v: v.updated_at,
        },
    )
    variants = sorted((v for v in shop.state.variants.values() if test(v)), key=lambda v: v.id)
    return connection(info, variants, lambda v: (v.id,), args, reverse=bool(args.get("reverse")))


def _items_root(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "read_inventory")
    shop = shop_of_info(info)
    test = search(
        info,
        args.get("query"),
        {
            "id": lambda i: i.id,
            "sku": lambda i: i.sku,
            "updated_at": lambda i: i.updated_at,
            "created_at": lambda i: i.created_at,
        },
    )
    items = [shop.state.items[i] for i in shop.state.item_order.after(None)]
    chosen = [item for item in items if test(item)]
    return connection(info, chosen, lambda i: (i.id,), args, reverse=bool(args.get("reverse")))


def _locations(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "read_locations")
    shop = shop_of_info(info)
    every = sorted(shop.state.locations.values(), key=lambda loc: loc.id)
    chosen = [loc for loc in every if loc.active or args.get("includeInactive")]
    return connection(info, chosen, lambda loc: (loc.id,), args, reverse=bool(args.get("reverse")))


def _deletion_events(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    require(info, "read_products")
    shop = shop_of_info(info)
    kinds = set(args.get("subjectTypes") or ["PRODUCT", "COLLECTION"])
    test = search(info, args.get("query"), {"occurred_at": lambda e: e.created_at})
    state = shop.state
    events = [
        state.events[event_id]
        for event_id in state.event_order.after(None)
        if state.events[event_id].verb == "destroy"
    ]
    chosen = [
        {
            "occurredAt": stamp(event.created_at),
            "subjectId": gid(event.subject_type, event.subject_id),
            "subjectType": event.subject_type.upper(),
            "_id": event.id,
        }
        for event in events
        if event.subject_type.upper() in kinds and test(event)
    ]
    return connection(info, chosen, lambda e: (e["_id"],), args, reverse=bool(args.get("reverse")))


def lookup(shop: Shop, value: str) -> Any:
    """The record a GID names, or None."""
    parsed = parse_gid(value)
    if parsed is None:
        return None
    kind, number = parsed
    state = shop.state
    tables: dict[str, dict[int, Any]] = {
        "Product": state.products,
        "ProductVariant": state.variants,
        "InventoryItem": state.items,
        "Location": state.locations,
        "Order": state.orders,
    }
    if kind == "BulkOperation":
        return shop.bulk.operations.get(number)
    table = tables.get(kind)
    return None if table is None else table.get(number)


def _scope_of(record: Any) -> str | None:
    if isinstance(record, ProductRec | VariantRec):
        return "read_products"
    if isinstance(record, InventoryItemRec):
        return "read_inventory"
    if isinstance(record, LocationRec):
        return "read_locations"
    if isinstance(record, OrderRec):
        return "read_orders"
    return None


def _node(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    record = lookup(shop_of_info(info), args["id"])
    scope = _scope_of(record)
    if scope is not None:
        require(info, scope)
    return record


def _nodes(_: Any, info: GraphQLResolveInfo, **args: Any) -> list[Any]:
    ids: list[str] = args["ids"]
    if len(ids) > 250:  # noqa: PLR2004 Shopify's cap on input arrays
        raise GraphQLError("The input array size of 251 is greater than the maximum of 250.")
    return [_node(None, info, id=value) for value in ids]


def _product(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    require(info, "read_products")
    parsed = parse_gid(args["id"], "Product")
    return None if parsed is None else shop_of_info(info).state.products.get(parsed[1])


def _shop(_: Any, info: GraphQLResolveInfo) -> dict[str, Any]:
    config = shop_of_info(info).config
    return {
        "id": gid("Shop", 548380009),
        "name": config.shop_name,
        "email": f"owner@{config.shop_domain}",
        "myshopifyDomain": config.shop_domain,
        "currencyCode": config.currency,
        "ianaTimezone": "Etc/UTC",
    }


TABLE: dict[tuple[str, str], Resolver] = {
    ("QueryRoot", "shop"): _shop,
    ("QueryRoot", "products"): _products,
    ("QueryRoot", "product"): _product,
    ("QueryRoot", "productsCount"): _products_count,
    ("QueryRoot", "productVariants"): _variants_root,
    ("QueryRoot", "inventoryItems"): _items_root,
    ("QueryRoot", "locations"): _locations,
    ("QueryRoot", "deletionEvents"): _deletion_events,
    ("QueryRoot", "node"): _node,
    ("QueryRoot", "nodes"): _nodes,
    **FIELDS,
    **ORDER_FIELDS,
    **ORDER_MUTATIONS,
}


def resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """The one field resolver: the table's entry, else the attribute or key of that name."""
    definition = info.parent_type.fields[info.field_name]
    if definition.deprecation_reason is not None:
        info.context["deprecated"] = True
    patch = getattr(source, "graphql_patch", None)
    if patch and info.field_name in patch:  # a test corrupted this record's answer
        return patch[info.field_name]
    entry = TABLE.get((info.parent_type.name, info.field_name))
    if entry is not None:
        return entry(source, info, **args)
    if isinstance(source, dict):
        return source.get(info.field_name)
    return getattr(source, info.field_name, None)


def install_types(schema: GraphQLSchema, extra: dict[type, str]) -> None:
    """Tell the Node and Media interfaces which object type each record is."""
    kinds = {**GID_TYPES, **extra}

    def resolve_type(value: Any, *_: Any) -> str | None:
        return kinds.get(type(value))

    for name in ("Node", "Media"):
        interface = schema.get_type(name)
        interface.resolve_type = resolve_type  # type: ignore[union-attr]
