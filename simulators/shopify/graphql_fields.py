"""The Admin GraphQL fields of Shopify's objects (products, variants, inventory items and
levels, locations, media), read from the simulated shop's records."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from simulators.kit.cdn import absolute
from simulators.shopify.context import Shop
from simulators.shopify.graphql_common import (
    QUANTITY_NAMES,
    WEIGHT_UNITS,
    Resolver,
    gid,
    require,
    search,
    shop_of_info,
    stamp,
)
from simulators.shopify.graphql_connections import connection
from simulators.shopify.records import (
    ImageRec,
    InventoryItemRec,
    LevelRec,
    LocationRec,
    ProductRec,
    VariantRec,
)
from simulators.shopify.times import money


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
            "unit": WEIGHT_UNITS.get(variant.weight_unit, "KILOGRAMS"),
            "value": float(variant.weight),
        }
    return {"id": gid("InventoryItemMeasurement", item.id), "weight": weight}


def _item_levels(item: InventoryItemRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    require(info, "read_inventory")
    levels = shop_of_info(info).state.levels.get(item.id, {})
    test = _levelsearch(info, args.get("query"))
    chosen = sorted((lv for lv in levels.values() if test(lv)), key=lambda lv: lv.location_id)
    return connection(info, chosen, lambda lv: (lv.location_id,), args)


def _location_levels(location: LocationRec, info: GraphQLResolveInfo, **args: Any) -> Any:
    require(info, "read_inventory")
    state = shop_of_info(info).state
    test = _levelsearch(info, args.get("query"))
    chosen = [
        level
        for item_id in state.item_order.after(None)
        if (level := state.levels.get(item_id, {}).get(location.id)) is not None and test(level)
    ]
    return connection(info, chosen, lambda lv: (lv.inventory_item_id,), args)


def _levelsearch(info: GraphQLResolveInfo, query: str | None) -> Any:
    return search(
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


def _state(shop: Shop, kind: str, number: int) -> Any:
    tables: dict[str, dict[int, Any]] = {
        "Product": shop.state.products,
        "ProductVariant": shop.state.variants,
    }
    return tables[kind][number]


FIELDS: dict[tuple[str, str], Resolver] = {
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
