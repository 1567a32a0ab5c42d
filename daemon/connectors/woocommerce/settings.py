"""The ``[shops.store]`` table of a WooCommerce store (``kind = "woocommerce"``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from daemon.config_types import Secret
from daemon.connectors.store_kind import StoreSettings


class WooCommerceSettings(StoreSettings):
    kind: Literal["woocommerce"] = "woocommerce"
    # The site's address as WordPress knows it (its "Site Address"); https:// takes HTTP Basic
    # auth, http:// one-legged OAuth 1.0a signatures (WooCommerce's two ways).
    base_url: str = Field(pattern=r"^https?://[^/\s?#]+(/[^\s?#]*)?$")
    consumer_key: Secret
    consumer_secret: Secret
    webhook_secret: Secret | None = None
    # WooCommerce core keeps one stock figure per item: the one location, named here.
    location_name: str = Field(default="WooCommerce store", min_length=1)
    # Orders a lookup after a lost answer reads at most (100 a page).
    order_scan_limit: int = Field(default=2000, ge=100, le=50_000)
    # Single-item reads run at most this many at once (variations read by id).
    concurrency: int = Field(default=4, ge=1, le=32)
    # The weight unit set in WooCommerce > Settings > Products (product weights carry none).
    weight_unit: Literal["kg", "g", "lbs", "oz"] = "kg"
