"""The ``[shops.store]`` table of a Shopify store (``kind = "shopify"``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from daemon.config_types import Secret
from daemon.connectors.store_kind import StoreSettings


class ShopifySettings(StoreSettings):
    kind: Literal["shopify"] = "shopify"
    shop_domain: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
    base_url: str | None = None  # overrides https://{shop_domain}, e.g. for the simulator
    api_version: str = Field(default="2026-10", pattern=r"^\d{4}-\d{2}$")
    access_token: Secret
    webhook_secret: Secret | None = None
    # Calls per second the plan's leaky bucket drains (Standard 2, Advanced 4, Plus 20).
    leak_rate: float = Field(default=2.0, gt=0)
