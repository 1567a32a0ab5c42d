"""Catalog records as the Admin REST API 2024-04 renders them (money as strings, numeric ids)."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from simulators.kit.cdn import absolute
from simulators.shopify.catalog_spec import REST_VARIANTS
from simulators.shopify.records import (
    EventRec,
    ImageRec,
    InventoryItemRec,
    LevelRec,
    LocationRec,
    ProductRec,
    VariantRec,
)
from simulators.shopify.state import ShopState
from simulators.shopify.times import fmt_time, money

_GRAMS_PER_UNIT = {"g": 1.0, "kg": 1000.0, "lb": 453.59237, "oz": 28.349523125}


def gid(kind: str, value: int) -> str:
    return f"gid://shopify/{kind}/{value}"


def render_variant(
    state: ShopState, variant: VariantRec, zone: timezone, patch: dict[str, Any] | None = None
) -> dict[str, Any]:
    item = state.items[variant.inventory_item_id]
    grams = round(float(variant.weight) * _GRAMS_PER_UNIT.get(variant.weight_unit, 1.0))
    quantity = state.available_total(item.id)
    body: dict[str, Any] = {
        "id": variant.id,
        "product_id": variant.product_id,
        "title": variant.title,
        "price": money(variant.price),
        "sku": variant.sku or "",
        "position": variant.position,
        "inventory_policy": variant.inventory_policy,
        "compare_at_price": (
            None if variant.compare_at_price is None else money(variant.compare_at_price)
        ),
        "fulfillment_service": "manual",
        "inventory_management": "shopify" if item.tracked else None,
        "option1": variant.options[0],
        "option2": variant.options[1],
        "option3": variant.options[2],
        "created_at": fmt_time(variant.created_at, zone),
        "updated_at": fmt_time(variant.updated_at, zone),
        "taxable": variant.taxable,
        "barcode": variant.barcode,
        "grams": grams,
        "image_id": variant.image_id,
        "weight": float(variant.weight),
        "weight_unit": variant.weight_unit,
        "inventory_item_id": item.id,
        "inventory_quantity": quantity,
        "old_inventory_quantity": quantity,
        "tax_code": None,
        "requires_shipping": variant.requires_shipping,
        "presentment_prices": [],
        "admin_graphql_api_id": gid("ProductVariant", variant.id),
    }
    if patch:
        body.update(patch)
    return body


def render_image(
    product_id: int, image: ImageRec, zone: timezone, base_url: str | None = None
) -> dict[str, Any]:
    return {
        "id": image.id,
        "product_id": product_id,
        "position": image.position,
        "created_at": fmt_time(image.created_at, zone),
        "updated_at": fmt_time(image.updated_at, zone),
        "alt": image.alt,
        "width": image.width,
        "height": image.height,
        "src": absolute(image.src, base_url),
        "variant_ids": list(image.variant_ids),
        "admin_graphql_api_id": gid("ProductImage", image.id),
    }


def render_product(state: ShopState, product: ProductRec, zone: timezone) -> dict[str, Any]:
    images = [render_image(product.id, image, zone, state.base_url) for image in product.images]
    body: dict[str, Any] = {
        "id": product.id,
        "title": product.title,
        "body_html": product.body_html,
        "vendor": product.vendor,
        "product_type": product.product_type,
        "created_at": fmt_time(product.created_at, zone),
        "handle": product.handle,
        "updated_at": fmt_time(product.updated_at, zone),
        "published_at": fmt_time(product.published_at, zone),
        "template_suffix": None,
        "published_scope": "global",
        "tags": ", ".join(product.tags),
        "status": product.status,
        "admin_graphql_api_id": gid("Product", product.id),
        "variants": [
            render_variant(state, variant, zone, product.variant_wire_patch)
            for variant in product.variants[:REST_VARIANTS]
        ],
        "options": [
            {
                "id": option.id,
                "product_id": product.id,
                "name": option.name,
                "position": option.position,
                "values": list(option.values),
            }
            for option in product.options
        ],
        "images": images,
        "image": images[0] if images else None,
    }
    body.update(product.wire_patch)
    return body


def render_inventory_item(item: InventoryItemRec, zone: timezone) -> dict[str, Any]:
    return {
        "id": item.id,
        "sku": item.sku or "",
        "created_at": fmt_time(item.created_at, zone),
        "updated_at": fmt_time(item.updated_at, zone),
        "requires_shipping": item.requires_shipping,
        "cost": None if item.cost is None else money(item.cost),
        "country_code_of_origin": None,
        "province_code_of_origin": None,
        "harmonized_system_code": None,
        "tracked": item.tracked,
        "country_harmonized_system_codes": [],
        "admin_graphql_api_id": gid("InventoryItem", item.id),
    }


def render_level(level: LevelRec, zone: timezone) -> dict[str, Any]:
    return {
        "inventory_item_id": level.inventory_item_id,
        "location_id": level.location_id,
        "available": level.available,
        "updated_at": fmt_time(level.updated_at, zone),
        "admin_graphql_api_id": (
            f"gid://shopify/InventoryLevel/{level.location_id}"
            f"?inventory_item_id={level.inventory_item_id}"
        ),
    }


def render_location(location: LocationRec, zone: timezone) -> dict[str, Any]:
    return {
        "id": location.id,
        "name": location.name,
        "address1": location.address1,
        "address2": None,
        "city": location.city,
        "zip": location.zip,
        "province": None,
        "country": location.country_code,
        "phone": None,
        "created_at": fmt_time(location.created_at, zone),
        "updated_at": fmt_time(location.updated_at, zone),
        "country_code": location.country_code,
        "country_name": location.country_code,
        "province_code": None,
        "legacy": False,
        "active": location.active,
        "admin_graphql_api_id": gid("Location", location.id),
        "localized_country_name": location.country_code,
        "localized_province_name": None,
    }


def render_event(event: EventRec, zone: timezone) -> dict[str, Any]:
    return {
        "id": event.id,
        "subject_id": event.subject_id,
        "created_at": fmt_time(event.created_at, zone),
        "subject_type": event.subject_type,
        "verb": event.verb,
        "arguments": list(event.arguments),
        "body": None,
        "message": event.message,
        "author": "Shopify",
        "description": event.message,
        "path": f"/admin/{event.subject_type.lower()}s/{event.subject_id}",
    }
