"""A faithful Shopify Admin REST (2024-04) simulator for tests, demos and benchmarks.

Serves ``/admin/api/{version}/...json`` behind an access token and a leaky bucket, sends
HMAC-signed webhooks, and offers a ``/_sim/`` control API and the kit's neutral store API
(``/_sim/store/``); `start_store` starts it from a neutral `StoreSeed`. ``cdn`` is the kit's
image CDN it serves. See docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.kit import cdn
from simulators.shopify.app import ShopifySimulator, create_app
from simulators.shopify.catalog_spec import (
    CatalogSpec,
    ImageSpec,
    OptionSpec,
    ProductEdit,
    ProductSpec,
    StockSpec,
    VariantEdit,
    VariantSpec,
)
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.generate import generate_catalog
from simulators.shopify.start import SAMPLE_OPTIONS, RunningShopify, start_store
from simulators.shopify.webhooks import sign

__all__ = [
    "SAMPLE_OPTIONS",
    "CatalogSpec",
    "ImageSpec",
    "OptionSpec",
    "ProductEdit",
    "ProductSpec",
    "RunningShopify",
    "ShopifySimulator",
    "ShopifySimulatorConfig",
    "StockSpec",
    "VariantEdit",
    "VariantSpec",
    "cdn",
    "create_app",
    "generate_catalog",
    "sign",
    "start_store",
]
