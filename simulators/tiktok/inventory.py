"""Update Inventory, Update Price and Inventory Search (ACTIVATE products only for updates)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from simulators.tiktok.context import RequestContext, str_list
from simulators.tiktok.errors import business_error, invalid_param
from simulators.tiktok.model import JsonObject, Product, ProductStatus, Shop, Sku
from simulators.tiktok.product_rules import check_price_value, quantity_in_range
from simulators.tiktok.products import product_or_error

CHECK_FAILED = 12052990
MAX_PRODUCT_IDS = 100
MAX_SKU_IDS = 600


def _updatable(ctx: RequestContext) -> Product:
    product = product_or_error(ctx)
    if product.status is not ProductStatus.ACTIVATE:
        raise business_error(12019113, "product status is invalid")
    return product


def _sku_entries(product: Product, payload: JsonObject) -> list[tuple[Sku, JsonObject]]:
    """The body's ``skus`` resolved against the product: all must belong to it, once each."""
    raw = payload.get("skus")
    if not isinstance(raw, list) or not raw:
        raise business_error(12052036, "The SKU ID is necessary")
    entries: list[tuple[Sku, JsonObject]] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        sku_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(sku_id, str) or not sku_id:
            raise business_error(12052036, "The SKU ID is necessary")
        if sku_id in seen:
            raise business_error(12052553, "Sku id duplicate")
        sku = product.skus.get(sku_id)
        if sku is None:
            message = f"The SKU ID does not belong to the product. (field: skus[{index}].id)"
            raise business_error(12052557, message)
        seen.add(sku_id)
        entries.append((sku, entry))
    return entries


def _warehouse_levels(entry: JsonObject, sku: Sku) -> list[tuple[Any, Any]]:
    """(warehouse id, quantity) pairs; a SKU in one warehouse may leave its id out."""
    sole = next(iter(sku.inventory)) if len(sku.inventory) == 1 else None
    inventory = entry.get("inventory")
    if not isinstance(inventory, list) or not inventory:
        raise invalid_param("skus[].inventory is required")
    levels: list[tuple[Any, Any]] = []
    for level in inventory:
        if not isinstance(level, dict):
            raise invalid_param("skus[].inventory[] must be objects")
        levels.append((level.get("warehouse_id", sole), level.get("quantity")))
    return levels


def _level_errors(
    ctx: RequestContext, shop: Shop, sku: Sku, levels: list[tuple[Any, Any]]
) -> list[JsonObject]:
    errors: list[JsonObject] = []
    seen: set[str] = set()
    for warehouse_id, quantity in levels:
        if warehouse_id not in shop.warehouses:
            errors.append(_extra(warehouse_id, 12052097, "The warehouse does not exist"))
        elif warehouse_id in seen:
            errors.append(_extra(warehouse_id, 12052555, "The warehouse id is duplicate"))
        elif warehouse_id not in sku.inventory:
            message = (
                "Removal, addition, and change of warehouses are not permitted. Please specify "
                "the original warehouses for the SKUs."
            )
            errors.append(_extra(warehouse_id, 12052533, message))
        elif isinstance(quantity, bool) or not isinstance(quantity, int):
            errors.append(_extra(warehouse_id, 12019024, "stock count is invalid"))
        elif not quantity_in_range(ctx.state, quantity):
            message = "The SKU inventory quantity for the warehouse must be within allowed limits."
            errors.append(_extra(warehouse_id, 12052055, message))
        if isinstance(warehouse_id, str):
            seen.add(warehouse_id)
    return errors


def _extra(warehouse_id: Any, code: int, message: str) -> JsonObject:
    return {"warehouse_id": str(warehouse_id), "code": code, "message": message}


def update_inventory(ctx: RequestContext) -> JsonObject:
    """Every warehouse of each SKU must be listed (12019028, whole call); bad values fail
    per SKU inside ``data.errors`` (12052990) while the other SKUs are applied."""
    product = _updatable(ctx)
    entries = [
        (sku, _warehouse_levels(entry, sku)) for sku, entry in _sku_entries(product, ctx.json())
    ]
    for sku, levels in entries:
        listed = {warehouse_id for warehouse_id, _ in levels}
        if not set(sku.inventory) <= listed:
            raise business_error(
                12019028,
                "Multiple warehouses detected. Include all warehouse IDs and the corresponding "
                "details and try again.",
            )
    errors: list[JsonObject] = []
    for sku, levels in entries:
        extra = _level_errors(ctx, ctx.shop, sku, levels)
        if extra:
            detail = {"sku_id": sku.sku_id, "extra_errors": extra}
            errors.append({"code": CHECK_FAILED, "message": "The check failed.", "detail": detail})
            continue
        for warehouse_id, quantity in levels:
            sku.inventory[str(warehouse_id)] = int(quantity)
    if len(errors) < len(entries):
        product.update_time = ctx.now()
    return {"errors": errors} if errors else {}


def update_price(ctx: RequestContext) -> JsonObject:
    """All-or-nothing; ``data`` is always empty on success."""
    product = _updatable(ctx)
    entries = _sku_entries(product, ctx.json())
    prices: list[tuple[Sku, Decimal]] = []
    for index, (sku, entry) in enumerate(entries):
        problems = check_price_value(
            ctx.state, ctx.shop, entry.get("price"), f"skus[{index}].price"
        )
        if problems:
            raise business_error(problems[0].code, problems[0].text())
        prices.append((sku, Decimal(entry["price"]["amount"])))
    for sku, price in prices:
        sku.price = price
    product.update_time = ctx.now()
    return {}


def _sku_inventory(sku: Sku) -> JsonObject:
    return {
        "id": sku.sku_id,
        "seller_sku": sku.seller_sku,
        "total_available_quantity": sum(sku.inventory.values()),
        "total_committed_quantity": sum(sku.committed.values()),
        "warehouse_inventory": [
            {
                "warehouse_id": warehouse_id,
                "available_quantity": quantity,
                "committed_quantity": sku.committed.get(warehouse_id, 0),
            }
            for warehouse_id, quantity in sku.inventory.items()
        ],
    }


def search_inventory(ctx: RequestContext) -> JsonObject:
    payload = ctx.json()
    product_ids = str_list(payload, "product_ids", limit=MAX_PRODUCT_IDS)
    sku_ids = str_list(payload, "sku_ids", limit=MAX_SKU_IDS)
    if not product_ids and not sku_ids:
        raise invalid_param("product_ids or sku_ids is required")
    partial: dict[str, set[str]] = {}
    for sku_id in sku_ids:
        owner = ctx.state.sku_owner.get(sku_id)
        if owner is not None and owner not in product_ids:
            partial.setdefault(owner, set()).add(sku_id)
    inventory: list[JsonObject] = []
    for product_id in [*dict.fromkeys(product_ids), *partial]:
        product = ctx.state.shop_product(ctx.shop.shop_id, product_id)
        if product is None:
            continue
        only = partial.get(product_id)
        skus = [s for s in product.skus.values() if only is None or s.sku_id in only]
        inventory.append({"product_id": product_id, "skus": [_sku_inventory(s) for s in skus]})
    return {"inventory": inventory}
