"""Logistics endpoints: warehouses, their delivery options, and each option's carriers."""

from __future__ import annotations

from simulators.tiktok.context import RequestContext
from simulators.tiktok.errors import business_error
from simulators.tiktok.model import JsonObject, Shop, Warehouse

WAREHOUSE_NOT_FOUND = 11005004


def warehouse_json(shop: Shop, warehouse: Warehouse) -> JsonObject:
    return {
        "id": warehouse.warehouse_id,
        "name": warehouse.name,
        "is_default": warehouse.is_default,
        "effect_status": warehouse.effect_status,
        "type": warehouse.warehouse_type,
        "sub_type": "DOMESTIC_WAREHOUSE",
        "address": {
            "region_code": shop.region,
            "postal_code": warehouse.postal_code,
            "city": warehouse.city,
            "full_address": f"1 Depot Road, {warehouse.city}, {warehouse.postal_code}",
            "contact_person": "Warehouse Manager",
            "phone_number": "(+44)20****0000",
        },
    }


def get_warehouses(ctx: RequestContext) -> JsonObject:
    shop = ctx.shop
    return {"warehouses": [warehouse_json(shop, w) for w in shop.warehouses.values()]}


def get_delivery_options(ctx: RequestContext) -> JsonObject:
    warehouse = ctx.shop.warehouses.get(ctx.params["warehouse_id"])
    if warehouse is None:
        raise business_error(WAREHOUSE_NOT_FOUND, "warehouse not exist")
    options: list[JsonObject] = []
    for option_id in warehouse.delivery_option_ids:
        option = ctx.state.delivery_options[option_id]
        options.append(
            {
                "id": option.option_id,
                "name": option.name,
                "type": option.option_type,
                "description": f"{option.name} from {warehouse.name}",
                "platform": ["TIKTOK_SHOP"],
                "weight_limit": {"max_weight": 30_000, "min_weight": 1, "unit": "GRAM"},
                "dimension_limit": {
                    "max_height": 100,
                    "max_length": 100,
                    "max_width": 100,
                    "unit": "CENTIMETER",
                },
            }
        )
    return {"delivery_options": options}


def shop_option_ids(shop: Shop) -> set[str]:
    return {oid for w in shop.warehouses.values() for oid in w.delivery_option_ids}


def get_shipping_providers(ctx: RequestContext) -> JsonObject:
    option_id = ctx.params["delivery_option_id"]
    option = ctx.state.delivery_options.get(option_id)
    if option is None or option_id not in shop_option_ids(ctx.shop):
        raise business_error(21001001, "Invalid parameters. Unknown delivery_option_id.")
    providers = [ctx.state.providers[pid] for pid in option.provider_ids]
    return {"shipping_providers": [{"id": p.provider_id, "name": p.name} for p in providers]}
