"""WooCommerce (REST API v3) as a source store: catalog, stock, and the order side;
`WOOCOMMERCE` is its registry entry."""

from __future__ import annotations

from daemon.connectors.woocommerce.auth import basic_header, oauth_query, oauth_signature
from daemon.connectors.woocommerce.client import LOCATION_ID, WooCommerceClient
from daemon.connectors.woocommerce.kind import WOOCOMMERCE
from daemon.connectors.woocommerce.settings import WooCommerceSettings
from daemon.connectors.woocommerce.webhooks import WooCommerceWebhookReceiver, sign, verify

__all__ = [
    "LOCATION_ID",
    "WOOCOMMERCE",
    "WooCommerceClient",
    "WooCommerceSettings",
    "WooCommerceWebhookReceiver",
    "basic_header",
    "oauth_query",
    "oauth_signature",
    "sign",
    "verify",
]
