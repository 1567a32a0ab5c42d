"""Creating shops (with warehouses and delivery options) for tests, demos and benchmarks."""

from __future__ import annotations

import secrets

from pydantic import BaseModel, ConfigDict, Field

from simulators.tiktok.model import DeliveryOption, JsonObject, Shop, Warehouse
from simulators.tiktok.state import SimState


class SeedWarehouse(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    warehouse_id: str | None = None
    name: str = "Main Warehouse"
    is_default: bool = False
    postal_code: str = "M1 1AA"
    city: str = "Manchester"


class SeedShop(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    shop_id: str | None = None
    cipher: str | None = None
    name: str = "ttsync Test Shop"
    seller_name: str = "ttsync Test Seller"
    region: str = Field(default="GB", min_length=2, max_length=2)
    currency: str = Field(default="GBP", min_length=3, max_length=3)
    code: str | None = None
    warehouses: list[SeedWarehouse] = Field(default_factory=lambda: [SeedWarehouse()])


def seed_shop(state: SimState, seed: SeedShop) -> Shop:
    """Add a shop; every warehouse gets one "Standard Shipping" option with all carriers."""
    shop_id = seed.shop_id or state.ids.shop.next()
    if shop_id in state.shops:
        raise ValueError(f"shop {shop_id} already exists")
    cipher = seed.cipher or f"GCP_{secrets.token_urlsafe(24)}"
    if cipher in state.shops_by_cipher:
        raise ValueError(f"cipher {cipher} already exists")
    warehouses: dict[str, Warehouse] = {}
    has_default = any(w.is_default for w in seed.warehouses)
    for index, spec in enumerate(seed.warehouses or [SeedWarehouse()]):
        option = DeliveryOption(
            option_id=state.ids.delivery_option.next(),
            name="Standard Shipping",
            provider_ids=list(state.providers),
        )
        state.delivery_options[option.option_id] = option
        warehouse = Warehouse(
            warehouse_id=spec.warehouse_id or state.ids.warehouse.next(),
            name=spec.name,
            is_default=spec.is_default or (not has_default and index == 0),
            postal_code=spec.postal_code,
            city=spec.city,
            delivery_option_ids=[option.option_id],
        )
        warehouses[warehouse.warehouse_id] = warehouse
    shop = Shop(
        shop_id=shop_id,
        cipher=cipher,
        name=seed.name,
        region=seed.region,
        currency=seed.currency,
        code=seed.code or f"{seed.region}LCTT{shop_id[-6:]}",
        seller_name=seed.seller_name,
        open_id=f"70107360571{shop_id[-8:]}",
        warehouses=warehouses,
        authorization_expires_at=state.clock.now() + state.config.authorization_lifetime_seconds,
    )
    state.add_shop(shop)
    return shop


def shop_json(state: SimState, shop: Shop) -> JsonObject:
    return {
        "shop_id": shop.shop_id,
        "cipher": shop.cipher,
        "name": shop.name,
        "region": shop.region,
        "currency": shop.currency,
        "code": shop.code,
        "seller_name": shop.seller_name,
        "open_id": shop.open_id,
        "warehouses": [
            {
                "id": w.warehouse_id,
                "name": w.name,
                "is_default": w.is_default,
                "delivery_options": [
                    {
                        "id": option_id,
                        "name": state.delivery_options[option_id].name,
                        "shipping_providers": [
                            {"id": pid, "name": state.providers[pid].name}
                            for pid in state.delivery_options[option_id].provider_ids
                        ],
                    }
                    for option_id in w.delivery_option_ids
                ],
            }
            for w in shop.warehouses.values()
        ],
    }
