"""A faithful Shopify Admin REST (2024-04) simulator for tests, demos and benchmarks.

Serves ``/admin/api/{version}/...json`` behind an access token and a leaky bucket, sends
HMAC-signed webhooks, and offers a ``/_sim/`` control API. See docs/SIMULATORS.md.
"""

from __future__ import annotations

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
from simulators.shopify.webhooks import sign

__all__ = [
    "CatalogSpec",
    "ImageSpec",
    "OptionSpec",
    "ProductEdit",
    "ProductSpec",
    "ShopifySimulator",
    "ShopifySimulatorConfig",
    "StockSpec",
    "VariantEdit",
    "VariantSpec",
    "create_app",
    "generate_catalog",
    "sign",
]
