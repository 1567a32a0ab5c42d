"""What each Admin GraphQL field answers, read from the simulated shop's records.

One field resolver serves every field: a table entry when the field needs work (connections,
GIDs, renamed or computed fields), else the record's attribute or dict key of the same name.
Access scopes are checked where Shopify checks them, on the root fields and on inventory
levels, with Shopify's ``ACCESS_DENIED`` error.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema

from simulators.kit.cdn import absolute
from simulators.shopify.context import Shop
from simulators.shopify.graphql_connections import connection
from simulators.shopify.graphql_search import SearchFields, SearchSyntaxError, matcher
from simulators.shopify.records import (
    ImageRec,
    InventoryItemRec,
    LevelRec,
    LocationRec,
    ProductRec,
    VariantRec,
)
from simulators.shopify.times import money

Resolver = Callable[..., Any]
GID = "gid://shopify/"
QUANTITY_NAMES = frozenset(
    {
        "available",
        "committed",
        "damaged",
        "incoming",
        "on_hand",
        "quality_control",
        "reserved",
        "safety_stock",
    }
)
_WEIGHT_UNITS = {"g": "GRAMS", "kg": "KILOGRAMS", "oz": "OUNCES", "lb": "POUNDS"}
_GID_TYPES = {
    ProductRec: "Product",
    VariantRec: "ProductVariant",
    InventoryItemRec: "InventoryItem",
    LocationRec: "Location",
    ImageRec: "MediaImage",
}


def gid(kind: str, number: int) -> str:
    return f"{GID}{kind}/{number}"


def parse_gid(value: str, kind: str | None = None) -> tuple[str, int] | None:
    """``gid://shopify/Product/7`` → ("Product", 7); None when it is not one (of `kind`)."""
    if not value.startswith(GID):
        return None
    found_kind, _, rest = value.removeprefix(GID).partition("/")
    number = rest.split("?", 1)[0]
    if not number.isdigit() or (kind is not None and found_kind != kind):
        return None
    return found_kind, int(number)


def stamp(moment: datetime | None) -> str | None:
    """GraphQL's DateTime: ISO 8601 in UTC with a ``Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc_key(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def shop_of_info(info: GraphQLResolveInfo) -> Shop:
    shop: Shop = info.context["shop"]
    return shop


def require(info: GraphQLResolveInfo, scope: str) -> None:
    """Shopify's access-denied error unless the token holds `scope` (a write scope implies
    the read one)."""
    held: frozenset[str] = info.context["scopes"]
    if scope in held or scope.replace("read_", "write_") in held:
        return
    raise GraphQLError(
        f"Access denied for {info.field_name} field. Required access: `{scope}` access scope.",
        extensions={
            "code": "ACCESS_DENIED",
            "documentation": "https://shopify.dev/api/usage/access-scopes",
            "requiredAccess": f"`{scope}` access scope.",
        },
    )


def _search(info: GraphQLResolveInfo, query: str | None, getters: dict[str, Any]) -> Any:
    fields = SearchFields(getters, shop_of_info(info).zone)
    try:
        test = matcher(query, fields)
    except SearchSyntaxError as exc:
        raise GraphQLError(f"Invalid search query: {exc}") from None
    info.context.setdefault("search_warnings", []).extend(fields.warnings)
    return test


# --- root fields ---------------------------------------------------------------------------


def _products(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    products = _matching_products(info, args.get("query"))
    sort = args.get("sortKey") or "ID"
    key: Callable[[ProductRec], tuple[Any, ...]]
    if sort == "UPDATED_AT":
        key = lambda p: (_utc_key(p.updated_at), p.id)  # noqa: E731 a sort key
    elif sort == "CREATED_AT":
        key = lambda p: (_utc_key(p.created_at), p.id)  # noqa: E731
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
    test = _search(
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
    test = _search(
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
    test = _search(
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
    test = _search(info, args.get("query"), {"occurred_at": lambda e: e.created_at})
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


# --- object fields -------------------------------------------------------------------------


def _product_variants(product: ProductRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    ordered = sorted(product.variants, key=lambda v: v.position)
    return connection(info, ordered, lambda v: (v.position,), args)


def _product_media(product: ProductRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    images = sorted(product.images, key=lambda image: image.position)
    return connection(info, images, lambda image: (image.position,), args)


def _variant_media(variant: VariantRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    product = shop_of_info(info).state.products.get(variant.product_id)
    images = [] if product is None else [i for i in product.images if i.id == variant.image_id]
    return connection(info, images, lambda image: (image.position,), args)


def _variant_image(variant: VariantRec, info: GraphQLResolveInfo) -> Any:
    product = shop_of_info(info).state.products.get(variant.product_id)
    found = (
        None
        if product is None
        else next((i for i in product.images if i.id == variant.image_id), None)
    )
    return None if found is None else _image(found, info)


def _image(image: ImageRec, info: GraphQLResolveInfo) -> dict[str, Any]:
    return {
        "id": gid("ProductImage", image.id),
        "url": absolute(image.src, shop_of_info(info).state.base_url),
        "altText": image.alt,
        "width": image.width,
        "height": image.height,
    }


def _options(product: ProductRec, _: GraphQLResolveInfo, **__: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": gid("ProductOption", option.id),
            "name": option.name,
            "position": option.position,
            "values": option.values,
            "optionValues": [
                {"id": gid("ProductOptionValue", option.id * 1000 + n), "name": value}
                for n, value in enumerate(option.values)
            ],
        }
        for option in product.options
    ]


def _selected_options(variant: VariantRec, info: GraphQLResolveInfo) -> list[dict[str, str]]:
    product = shop_of_info(info).state.products.get(variant.product_id)
    names = [] if product is None else [option.name for option in product.options]
    return [
        {"name": name, "value": value}
        for name, value in zip(names, variant.options, strict=False)
        if value is not None
    ]


def _price(variant: VariantRec, info: GraphQLResolveInfo) -> Any:
    # A test hook: `corrupt_product` may have put a value of the wrong shape in its place.
    product = shop_of_info(info).state.products.get(variant.product_id)
    if product is not None and "price" in product.variant_wire_patch:
        return product.variant_wire_patch["price"]
    return money(variant.price)


def _measurement(item: InventoryItemRec, info: GraphQLResolveInfo) -> dict[str, Any]:
    variant = shop_of_info(info).state.variants.get(item.variant_id)
    weight = None
    if variant is not None:
        weight = {
            "unit": _WEIGHT_UNITS.get(variant.weight_unit, "KILOGRAMS"),
            "value": float(variant.weight),
        }
    return {"id": gid("InventoryItemMeasurement", item.id), "weight": weight}


def _item_levels(item: InventoryItemRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    require(info, "read_inventory")
    levels = shop_of_info(info).state.levels.get(item.id, {})
    test = _level_search(info, args.get("query"))
    chosen = sorted((lv for lv in levels.values() if test(lv)), key=lambda lv: lv.location_id)
    return connection(info, chosen, lambda lv: (lv.location_id,), args)


def _location_levels(location: LocationRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    require(info, "read_inventory")
    state = shop_of_info(info).state
    test = _level_search(info, args.get("query"))
    chosen = [
        level
        for item_id in state.item_order.after(None)
        if (level := state.levels.get(item_id, {}).get(location.id)) is not None and test(level)
    ]
    return connection(info, chosen, lambda lv: (lv.inventory_item_id,), args)


def _level_search(info: GraphQLResolveInfo, query: str | None) -> Any:
    return _search(
        info,
        query,
        {
            "updated_at": lambda lv: lv.updated_at,
            "inventory_item_id": lambda lv: lv.inventory_item_id,
        },
    )


def _quantities(level: LevelRec, _: GraphQLResolveInfo, **args: Any) -> list[dict[str, Any]]:
    names: list[str] = args["names"]
    unknown = [name for name in names if name not in QUANTITY_NAMES]
    if unknown:
        raise GraphQLError(f"The quantity name {unknown[0]!r} is not valid.")
    values = {"available": level.available, "on_hand": level.available}
    return [
        {
            "id": gid("InventoryQuantity", level.inventory_item_id) + f"?name={name}",
            "name": name,
            "quantity": values.get(name, 0),
            "updatedAt": stamp(level.updated_at),
        }
        for name in names
    ]


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


def _state(shop: Shop, kind: str, number: int) -> Any:
    tables: dict[str, dict[int, Any]] = {
        "Product": shop.state.products,
        "ProductVariant": shop.state.variants,
    }
    return tables[kind][number]


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
    ("Product", "id"): lambda p, _: gid("Product", p.id),
    ("Product", "legacyResourceId"): lambda p, _: str(p.id),
    ("Product", "descriptionHtml"): lambda p, _: p.body_html or "",
    ("Product", "vendor"): lambda p, _: p.vendor or "",
    ("Product", "productType"): lambda p, _: p.product_type or "",
    ("Product", "status"): lambda p, _: p.status.upper(),
    ("Product", "createdAt"): lambda p, _: stamp(p.created_at),
    ("Product", "updatedAt"): lambda p, _: stamp(p.updated_at),
    ("Product", "publishedAt"): lambda p, _: stamp(p.published_at),
    ("Product", "options"): _options,
    ("Product", "media"): _product_media,
    ("Product", "variants"): _product_variants,
    ("Product", "variantsCount"): lambda p, _: {"count": len(p.variants), "precision": "EXACT"},
    ("Product", "totalInventory"): lambda p, info: sum(
        shop_of_info(info).state.available_total(v.inventory_item_id) for v in p.variants
    ),
    ("ProductVariant", "id"): lambda v, _: gid("ProductVariant", v.id),
    ("ProductVariant", "legacyResourceId"): lambda v, _: str(v.id),
    ("ProductVariant", "displayName"): lambda v, _: v.title,
    ("ProductVariant", "price"): _price,
    ("ProductVariant", "compareAtPrice"): lambda v, _: (
        None if v.compare_at_price is None else money(v.compare_at_price)
    ),
    ("ProductVariant", "inventoryPolicy"): lambda v, _: v.inventory_policy.upper(),
    ("ProductVariant", "inventoryQuantity"): lambda v, info: shop_of_info(
        info
    ).state.available_total(v.inventory_item_id),
    ("ProductVariant", "selectedOptions"): _selected_options,
    ("ProductVariant", "createdAt"): lambda v, _: stamp(v.created_at),
    ("ProductVariant", "updatedAt"): lambda v, _: stamp(v.updated_at),
    ("ProductVariant", "product"): lambda v, info: _state(
        shop_of_info(info), "Product", v.product_id
    ),
    ("ProductVariant", "inventoryItem"): lambda v, info: shop_of_info(info).state.items[
        v.inventory_item_id
    ],
    ("ProductVariant", "image"): _variant_image,
    ("ProductVariant", "media"): _variant_media,
    ("InventoryItem", "id"): lambda i, _: gid("InventoryItem", i.id),
    ("InventoryItem", "legacyResourceId"): lambda i, _: str(i.id),
    ("InventoryItem", "requiresShipping"): lambda i, _: i.requires_shipping,
    ("InventoryItem", "createdAt"): lambda i, _: stamp(i.created_at),
    ("InventoryItem", "updatedAt"): lambda i, _: stamp(i.updated_at),
    ("InventoryItem", "measurement"): _measurement,
    ("InventoryItem", "variant"): lambda i, info: _state(
        shop_of_info(info), "ProductVariant", i.variant_id
    ),
    ("InventoryItem", "inventoryLevels"): _item_levels,
    ("InventoryLevel", "id"): lambda lv, _: (
        gid("InventoryLevel", lv.location_id) + f"?inventory_item_id={lv.inventory_item_id}"
    ),
    ("InventoryLevel", "item"): lambda lv, info: shop_of_info(info).state.items[
        lv.inventory_item_id
    ],
    ("InventoryLevel", "location"): lambda lv, info: shop_of_info(info).state.locations[
        lv.location_id
    ],
    ("InventoryLevel", "quantities"): _quantities,
    ("InventoryLevel", "createdAt"): lambda lv, _: stamp(lv.updated_at),
    ("InventoryLevel", "updatedAt"): lambda lv, _: stamp(lv.updated_at),
    ("Location", "id"): lambda loc, _: gid("Location", loc.id),
    ("Location", "legacyResourceId"): lambda loc, _: str(loc.id),
    ("Location", "isActive"): lambda loc, _: loc.active,
    ("Location", "fulfillsOnlineOrders"): lambda loc, _: loc.active,
    ("Location", "inventoryLevels"): _location_levels,
    ("MediaImage", "id"): lambda image, _: gid("MediaImage", image.id),
    ("MediaImage", "alt"): lambda image, _: image.alt,
    ("MediaImage", "mediaContentType"): lambda _, __: "IMAGE",
    ("MediaImage", "image"): _image,
}


def resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """The one field resolver: the table's entry, else the attribute or key of that name."""
    definition = info.parent_type.fields[info.field_name]
    if definition.deprecation_reason is not None:
        info.context["deprecated"] = True
    entry = TABLE.get((info.parent_type.name, info.field_name))
    if entry is not None:
        return entry(source, info, **args)
    if isinstance(source, dict):
        return source.get(info.field_name)
    return getattr(source, info.field_name, None)


def install_types(schema: GraphQLSchema, extra: dict[type, str]) -> None:
    """Tell the Node and Media interfaces which object type each record is."""
    kinds = {**_GID_TYPES, **extra}

    def resolve_type(value: Any, *_: Any) -> str | None:
        return kinds.get(type(value))

    for name in ("Node", "Media"):
        interface = schema.get_type(name)
        interface.resolve_type = resolve_type  # type: ignore[union-attr]
