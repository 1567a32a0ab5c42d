"""Shopify (Admin GraphQL, catalog and orders) as a source store; `SHOPIFY` is its registry
entry."""

from __future__ import annotations

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.shopify.kind import SHOPIFY
from daemon.connectors.shopify.order_mapping import (
    FulfillmentOrder,
    FulfillmentOrderLine,
    TrackingInfo,
)
from daemon.connectors.shopify.settings import ShopifySettings
from daemon.connectors.shopify.transport import ShopifyClientOptions
from daemon.connectors.shopify.webhooks import (
    DeliveryHint,
    InvalidWebhookError,
    ShopifyWebhookReceiver,
    parse_delivery,
    verify,
    verify_delivery,
)

__all__ = [
    "SHOPIFY",
    "DeliveryHint",
    "FulfillmentOrder",
    "FulfillmentOrderLine",
    "InvalidWebhookError",
    "ShopifyClient",
    "ShopifyClientOptions",
    "ShopifySettings",
    "ShopifyWebhookReceiver",
    "TrackingInfo",
    "parse_delivery",
    "verify",
    "verify_delivery",
]
