"""The ``[shops.store]`` table of a commercetools project (``kind = "commercetools"``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, model_validator

from daemon.config_types import Duration, Secret
from daemon.connectors.store_kind import StoreSettings

_URL = r"^https?://[^\s/]+(/[^\s]*)?$"


class CommercetoolsSettings(StoreSettings):
    kind: Literal["commercetools"] = "commercetools"
    project_key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,35}$")
    # The region's hosts, e.g. https://api.europe-west1.gcp.commercetools.com and
    # https://auth.europe-west1.gcp.commercetools.com (the API client's page shows both).
    api_url: str = Field(pattern=_URL)
    auth_url: str = Field(pattern=_URL)
    client_id: str = Field(min_length=1)
    client_secret: Secret
    # The scopes asked for, without ":{project_key}" (the API client must hold them).
    scopes: tuple[str, ...] = (
        "view_project_settings",
        "manage_products",
        "manage_orders",
        "manage_types",
    )
    # A token is renewed this long before it expires.
    token_refresh_margin: Duration = timedelta(minutes=5)
    # The market whose prices are selected: priceCurrency (required), priceCountry and
    # priceChannel (a channel key).
    price_currency: str = Field(pattern=r"^[A-Z]{3}$")
    price_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    price_channel: str | None = None
    # The language read from localized names and descriptions (then "en", then any).
    locale: str = "en-GB"
    # "available": availableQuantity (stock minus reservations); "on_stock": quantityOnStock.
    stock_quantity: Literal["available", "on_stock"] = "available"
    # Attributes that make a variant (TikTok sales attributes), in order; when empty, the
    # attributes whose values differ between a product's variants.
    option_attributes: tuple[str, ...] = ()
    barcode_attribute: str | None = "gtin"
    weight_attribute: str | None = "weight"  # in kilograms
    # The supply channel (key) imported orders take stock from; when unset, per line the
    # channel holding the most of that SKU.
    order_supply_channel: str | None = None
    # The custom type (key) ttsync creates for its order fields: the TikTok order id and status.
    order_type_key: str = Field(default="ttsync-tiktok-order", pattern=r"^[A-Za-z0-9_-]{2,256}$")
    order_number_prefix: str = Field(default="TT-", max_length=20)
    # How changed products are found: "predicates" (lastModifiedAt, the default) or
    # "messages" (the Messages API, which must be enabled in the project; it also lists deleted
    # products). The API client then needs view_messages in `scopes`.
    change_feed: Literal["predicates", "messages"] = "predicates"
    # Query page size (the API's maximum is 500).
    page_size: int = Field(default=500, ge=1, le=500)
    # How long the channels and categories read once are used.
    reference_ttl: Duration = timedelta(minutes=5)

    @model_validator(mode="after")
    def _messages_need_their_scope(self) -> CommercetoolsSettings:
        if self.change_feed == "messages" and not {"view_messages", "manage_project"} & set(
            self.scopes
        ):
            raise ValueError('scopes: change_feed = "messages" needs "view_messages" in scopes')
        return self
