"""TikTok wire models to domain types (and back, for what we publish). Pure."""

from __future__ import annotations

from daemon.connectors.tiktok.auth import AuthorizationStatus
from daemon.connectors.tiktok.models import AuthorizedShop
from daemon.connectors.tiktok.models import Warehouse as WireWarehouse
from daemon.domain.models import MarketplaceShop, Warehouse

_ENABLED = "ENABLED"
_SALES = "SALES_WAREHOUSE"


def marketplace_shop(shop: AuthorizedShop, status: AuthorizationStatus) -> MarketplaceShop:
    return MarketplaceShop(
        shop_id=shop.id,
        name=shop.name,
        region=shop.region,
        seller_type=shop.seller_type or "LOCAL",
        seller_name=status.seller_name,
        access_expires_at=status.access_expires_at,
        authorization_expires_at=status.authorization_expires_at,
    )


def sales_warehouses(warehouses: tuple[WireWarehouse, ...]) -> list[Warehouse]:
    """The warehouses stock can be listed in (return warehouses are left out)."""
    return [
        Warehouse(
            id=w.id,
            name=w.name,
            is_default=w.is_default,
            active=(w.effect_status or _ENABLED) == _ENABLED,
        )
        for w in warehouses
        if (w.type or _SALES) == _SALES
    ]
