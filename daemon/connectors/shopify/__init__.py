"""Shopify (Admin REST API) as a source store: catalog, stock, and the order side."""

from __future__ import annotations

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.shopify.pacing import BucketPacer, CallLimit, parse_call_limit
from daemon.connectors.shopify.paging import next_page_info, parse_link_header
from daemon.connectors.shopify.transport import ShopifyClientOptions
from daemon.connectors.shopify.webhooks import (
    DeliveryHint,
    InvalidWebhookError,
    ShopifyWebhookReceiver,
    parse_delivery,
    verify,
    verify_delivery,
)
from daemon.domain.orders import (
    Buyer,
    CancelReason,
    Discount,
    DraftLine,
    FulfilledLine,
    FulfillmentOrderLine,
    InventoryBehaviour,
    OrderDraft,
    Payment,
    PostalAddress,
    ShippingCharge,
    StoreFulfillment,
    StoreFulfillmentOrder,
    StoreOrder,
    StoreOrderLine,
    TaxLine,
    TrackingInfo,
)

__all__ = [
    "BucketPacer",
    "Buyer",
    "CallLimit",
    "CancelReason",
    "DeliveryHint",
    "Discount",
    "DraftLine",
    "FulfilledLine",
    "FulfillmentOrderLine",
    "InvalidWebhookError",
    "InventoryBehaviour",
    "OrderDraft",
    "Payment",
    "PostalAddress",
    "ShippingCharge",
    "ShopifyClient",
    "ShopifyClientOptions",
    "ShopifyWebhookReceiver",
    "StoreFulfillment",
    "StoreFulfillmentOrder",
    "StoreOrder",
    "StoreOrderLine",
    "TaxLine",
    "TrackingInfo",
    "next_page_info",
    "parse_call_limit",
    "parse_delivery",
    "parse_link_header",
    "verify",
    "verify_delivery",
]
