"""BigCommerce (V3 catalog and inventory, V2 orders) as a source store: catalog, stock, and
the order side; `BIGCOMMERCE` is its registry entry."""

from __future__ import annotations

from daemon.connectors.bigcommerce.client import BigCommerceClient
from daemon.connectors.bigcommerce.kind import BIGCOMMERCE
from daemon.connectors.bigcommerce.pacing import Window, WindowPacer, parse_window
from daemon.connectors.bigcommerce.settings import BigCommerceSettings
from daemon.connectors.bigcommerce.transport import BigCommerceClientOptions
from daemon.connectors.bigcommerce.webhooks import (
    BigCommerceWebhookReceiver,
    secret_key,
    sign,
    verify,
)

__all__ = [
    "BIGCOMMERCE",
    "BigCommerceClient",
    "BigCommerceClientOptions",
    "BigCommerceSettings",
    "BigCommerceWebhookReceiver",
    "Window",
    "WindowPacer",
    "parse_window",
    "secret_key",
    "sign",
    "verify",
]
