"""Catalog changes: load products, edit them as a merchant would, delete them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from simulators.shopify.catalog_spec import (
    CatalogSpec,
    ImageSpec,
    ProductEdit,
    ProductSpec,
    VariantEdit,
    VariantSpec,
)
from simulators.shopify.context import Shop
from simulators.shopify.errors import invalid, not_found
from simulators.shopify.inventory import connect
from simulators.shopify.records import (
    EventRec,
    ImageRec,
    InventoryItemRec,
    OptionRec,
    ProductRec,
    VariantRec,
)
from simulators.shopify.render_catalog import render_product

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _tags(raw: list[str] | str) -> list[str]:
    parts = raw.split(",") if isinstance(raw, str) else raw
    return [tag.strip() for tag in parts if tag.strip()]


def _handle(shop: Shop, wanted: str | None, title: str) -> str:
    base = _NOT_SLUG.sub("-", (wanted or title).lower()).strip("-") or "product"
    handle, suffix = base, 1
    while handle in shop.state.handles:
        handle, suffix = f"{base}-{suffix}", suffix + 1
    shop.state.handles.add(handle)
    return handle


def _images(shop: Shop, specs: list[ImageSpec], now: datetime) -> list[ImageRec]:
    return [
        ImageRec(
            id=shop.state.ids.take("image"),
            position=position,
            src=spec.src,
            alt=spec.alt,
            width=spec.width,
            height=spec.height,
            variant_ids=[],
            created_at=now,
            updated_at=now,
        )
        for position, spec in enumerate(specs, start=1)
    ]


def _options(shop: Shop, spec: ProductSpec) -> list[OptionRec]:
    names = [option.name for option in spec.options]
    width = max(len(variant.options) for variant in spec.variants)
    if not names:
        names = ["Title"] if width == 0 else [f"Option{index + 1}" for index in range(width)]
    options = []
    for index, name in enumerate(names):
        given = spec.options[index].values if index < len(spec.options) else []
        values = list(given)
        for variant in spec.variants:
            value = variant.options[index] if index < len(variant.options) else "Default Title"
            if value not in values:
                values.append(value)
        options.append(OptionRec(shop.state.ids.take("option"), name, index + 1, values))
    return options


def _variant(
    shop: Shop, product: ProductRec, spec: VariantSpec, position: int, now: datetime
) -> VariantRec:
    ids = shop.state.ids
    variant_id = ids.take("variant") if spec.id is None else ids.claim("variant", spec.id)
    item_id = (
        ids.take("inventory_item")
        if spec.inventory_item_id is None
        else ids.claim("inventory_item", spec.inventory_item_id)
    )
    if variant_id in shop.state.variants or item_id in shop.state.items:
        raise invalid("variants", f"variant {variant_id} or item {item_id} exists already")
    values = [spec.options[i] if i < len(spec.options) else None for i in range(3)]
    if not spec.options:
        values[0] = "Default Title"
    image_id = None
    if spec.image is not None:
        if not 0 <= spec.image < len(product.images):
            raise invalid("variants", f"image index {spec.image} is out of range")
        image = product.images[spec.image]
        image.variant_ids.append(variant_id)
        image_id = image.id
    variant = VariantRec(
        id=variant_id,
        product_id=product.id,
        inventory_item_id=item_id,
        title=" / ".join(value for value in values if value is not None),
        price=spec.price,
        compare_at_price=spec.compare_at_price,
        sku=spec.sku,
        barcode=spec.barcode,
        position=position,
        inventory_policy=spec.inventory_policy,
        options=(values[0], values[1], values[2]),
        weight=spec.weight,
        weight_unit=spec.weight_unit,
        requires_shipping=spec.requires_shipping,
        taxable=spec.taxable,
        image_id=image_id,
        created_at=now,
        updated_at=now,
    )
    shop.state.variants[variant_id] = variant
    item = InventoryItemRec(
        item_id, variant_id, spec.sku, spec.tracked, spec.requires_shipping, spec.cost, now, now
    )
    shop.state.items[item_id] = item
    shop.state.item_order.add(item_id)
    _stock(shop, item_id, spec, now)
    return variant


def _stock(shop: Shop, item_id: int, spec: VariantSpec, now: datetime) -> None:
    first = min(shop.state.locations) if shop.state.locations else None
    entries = (
        [(first, spec.stock)]
        if isinstance(spec.stock, int)
        else [(entry.location_id or first, entry.available) for entry in spec.stock]
    )
    for location_id, available in entries:
        if location_id is None:
            raise invalid("stock", "the shop has no location to stock")
        connect(shop, item_id, location_id, now).available = available


def create_product(shop: Shop, spec: ProductSpec, *, notify: bool = True) -> ProductRec:
    now = shop.now()
    state = shop.state
    ids = state.ids
    product_id = ids.take("product") if spec.id is None else ids.claim("product", spec.id)
    if product_id in state.products:
        raise invalid("id", f"product {product_id} exists already")
    product = ProductRec(
        id=product_id,
        title=spec.title,
        body_html=spec.body_html,
        vendor=spec.vendor,
        product_type=spec.product_type,
        handle=_handle(shop, spec.handle, spec.title),
        status=spec.status,
        tags=_tags(spec.tags),
        options=_options(shop, spec),
        images=_images(shop, spec.images, now),
        variants=[],
        created_at=now,
        updated_at=now,
        published_at=now if spec.status == "active" else None,
    )
    for position, variant_spec in enumerate(spec.variants, start=1):
        product.variants.append(_variant(shop, product, variant_spec, position, now))
    state.products[product_id] = product
    state.product_order.add(product_id)
    if notify:
        shop.webhooks.emit("products/create", render_product(state, product, shop.zone))
    return product


def load_catalog(shop: Shop, spec: CatalogSpec) -> list[dict[str, Any]]:
    """Add (or, with `replace`, swap in) products; answer their ids for the caller."""
    if spec.replace:
        clear_catalog(shop)
    created = [create_product(shop, product, notify=spec.webhooks) for product in spec.products]
    return [
        {
            "id": product.id,
            "handle": product.handle,
            "variants": [
                {"id": v.id, "sku": v.sku, "inventory_item_id": v.inventory_item_id}
                for v in product.variants
            ],
        }
        for product in created
    ]


def clear_catalog(shop: Shop) -> None:
    for product_id in list(shop.state.products):
        _remove(shop, product_id)


def _remove(shop: Shop, product_id: int) -> ProductRec:
    state = shop.state
    product = state.products.pop(product_id, None)
    if product is None:
        raise not_found()
    state.product_order.remove(product_id)
    state.handles.discard(product.handle)
    for variant in product.variants:
        state.variants.pop(variant.id, None)
        state.items.pop(variant.inventory_item_id, None)
        state.item_order.remove(variant.inventory_item_id)
        state.levels.pop(variant.inventory_item_id, None)
    return product


def delete_product(shop: Shop, product_id: int) -> None:
    """Delete as the admin does: the product goes and a ``destroy`` event is recorded."""
    product = _remove(shop, product_id)
    state = shop.state
    event_id = state.ids.take("event")
    state.events[event_id] = EventRec(
        id=event_id,
        subject_id=product_id,
        subject_type="Product",
        verb="destroy",
        arguments=[product.title],
        message=f"Product was deleted: <b>{product.title}</b>.",
        created_at=shop.now(),
    )
    state.event_order.add(event_id)
    shop.webhooks.emit("products/delete", {"id": product_id})


def _find_variant(product: ProductRec, edit: VariantEdit) -> VariantRec:
    for variant in product.variants:
        if (edit.id is not None and variant.id == edit.id) or (
            edit.id is None and edit.sku is not None and variant.sku == edit.sku
        ):
            return variant
    raise invalid("variants", f"no variant {edit.id or edit.sku!r} on product {product.id}")


def _edit_variant(shop: Shop, variant: VariantRec, edit: VariantEdit, now: datetime) -> None:
    given = edit.model_fields_set
    for name in ("barcode", "price", "inventory_policy", "weight", "weight_unit"):
        if name in given and getattr(edit, name) is not None:
            setattr(variant, name, getattr(edit, name))
    if "compare_at_price" in given:
        variant.compare_at_price = edit.compare_at_price
    item = shop.state.items[variant.inventory_item_id]
    if edit.new_sku is not None:
        variant.sku = item.sku = edit.new_sku
    if edit.tracked is not None:
        item.tracked = edit.tracked
        item.updated_at = now
    variant.updated_at = now


def edit_product(shop: Shop, product_id: int, edit: ProductEdit) -> ProductRec:
    """Change a product as the admin does: bumps ``updated_at`` and fires products/update."""
    product = shop.state.products.get(product_id)
    if product is None:
        raise not_found()
    now = shop.now()
    for name in ("title", "body_html", "vendor", "product_type"):
        if name in edit.model_fields_set:
            setattr(product, name, getattr(edit, name))
    if edit.status is not None:
        product.status = edit.status
        if edit.status == "active" and product.published_at is None:
            product.published_at = now
    if edit.tags is not None:
        product.tags = _tags(edit.tags)
    if edit.images is not None:
        product.images = _images(shop, edit.images, now)
        for variant in product.variants:
            variant.image_id = None
    for variant_edit in edit.variants:
        _edit_variant(shop, _find_variant(product, variant_edit), variant_edit, now)
    product.updated_at = now
    shop.webhooks.emit("products/update", render_product(shop.state, product, shop.zone))
    return product


def corrupt_product(
    shop: Shop, product_id: int, product_patch: dict[str, Any], variant_patch: dict[str, Any]
) -> None:
    """Make the product's JSON malformed on purpose (tests of per-record failure)."""
    product = shop.state.products.get(product_id)
    if product is None:
        raise not_found()
    product.wire_patch = dict(product_patch)
    product.variant_wire_patch = dict(variant_patch)
