"""The ``[shops.store]`` table of a BigCommerce store (``kind = "bigcommerce"``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from daemon.config_types import Secret
from daemon.connectors.store_kind import StoreSettings


class BigCommerceSettings(StoreSettings):
    kind: Literal["bigcommerce"] = "bigcommerce"
    store_hash: str = Field(pattern=r"^[a-z0-9]{1,32}$")
    base_url: str | None = None  # overrides https://api.bigcommerce.com, e.g. for the simulator
    access_token: Secret  # the API account's token (X-Auth-Token)
    # The app's client secret: HTTPS webhooks are signed with it. Without it no webhook is taken.
    client_secret: Secret | None = None
    # The plan's quota per 30 s window (Standard and Plus 150, Pro 450), until answers tell it.
    requests_quota: int = Field(default=150, gt=0)
    # Calls kept in reserve below the quota, for other apps sharing the store's window.
    reserve: int = Field(default=5, ge=0)
    # What orders say they came from (external_source: BigCommerce asks apps to name themselves).
    order_source: str = Field(default="TikTok Shop", min_length=1, max_length=100)
