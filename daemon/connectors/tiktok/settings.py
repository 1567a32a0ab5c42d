"""The ``[shops.tiktok]`` table: the app, the authorisation and the market."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from daemon.config_types import Duration, Secret, Section


class TikTokSection(Section):
    app_key: str = Field(min_length=1)
    app_secret: Secret
    shop_id: str | None = None  # which authorised shop to use when the seller has several
    auth_code: Secret | None = None  # one-time code from the consent page, to get the first token
    api_base_url: str = "https://open-api.tiktokglobalshop.com"
    auth_base_url: str = "https://auth.tiktok-shops.com"
    market: Literal["UK", "US", "DE", "FR", "IT", "ES", "IE", "JP"] = "UK"
    rate_limit_per_second: float = Field(default=50.0, gt=0)
    request_timeout: Duration = timedelta(seconds=30)
    # Refresh the access token this long before it expires.
    token_refresh_margin: Duration = timedelta(days=1)
    # /readyz warns this long before the seller's authorisation runs out.
    authorization_warning: Duration = timedelta(days=30)
