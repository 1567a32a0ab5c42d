"""The ``[shops.store]`` table of a Magento 2 store (``kind = "magento"``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field

from daemon.config_types import Duration, Secret
from daemon.connectors.store_kind import StoreSettings


class MagentoSettings(StoreSettings):
    kind: Literal["magento"] = "magento"
    # The store's base URL (https://shop.example.com); REST calls go to {base_url}/rest/...
    base_url: str = Field(pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    # The store view whose prices and currency are read, and whose REST scope is called.
    store_code: str = Field(default="default", pattern=r"^[a-z][a-z0-9_]*$")
    # The integration's access token (System > Integrations), sent as a bearer token.
    access_token: Secret
    # "source": each MSI source's own quantity, one location per source.
    # "salable": the stock's salable quantity (reservations of open orders deducted), one
    # location named by the stock id, read per SKU whose sources or orders moved.
    stock_quantity: Literal["source", "salable"] = "source"
    stock_id: int = Field(default=1, ge=1)
    # The product attribute holding the barcode (GTIN/EAN/UPC); Magento has no native one.
    barcode_attribute: str | None = "barcode"
    # Search page size: 300 is the most a store with input limits on allows.
    page_size: int = Field(default=300, ge=1, le=300)
    # Pages of one search read at once after the first (which tells how many there are).
    read_concurrency: int = Field(default=4, ge=1, le=16)
    # The payment method imported orders carry (it must be enabled in the store).
    payment_method: str = "checkmo"
    # How long the sources, categories and configurable links read once are used.
    reference_ttl: Duration = timedelta(minutes=5)
