"""Shopify's registry entry: its settings, how it opens, what it can do."""

from __future__ import annotations

from contextlib import AsyncExitStack

from daemon.connectors.shopify.client import ShopifyClient
from daemon.connectors.shopify.settings import ShopifySettings
from daemon.connectors.shopify.transport import ShopifyClientOptions
from daemon.connectors.shopify.webhooks import ShopifyWebhookReceiver
from daemon.connectors.store_kind import (
    Capabilities,
    Simulation,
    StoreConnection,
    StoreContext,
    StoreKind,
)


async def open_shopify(
    settings: ShopifySettings, context: StoreContext, stack: AsyncExitStack
) -> StoreConnection:
    options = ShopifyClientOptions(
        request_timeout=settings.request_timeout,
        restore_rate=settings.points_per_second,
        bulk=settings.bulk_reads,
    )
    client = ShopifyClient(settings, context.metrics, options=options)
    await client.start()
    stack.push_async_callback(client.close)
    secret = settings.webhook_secret
    receiver = None if secret is None else ShopifyWebhookReceiver(secret, client.bulk_finished)
    return StoreConnection(catalog=client, orders=client, webhooks=receiver, notices=client.notices)


def simulate_shopify(settings: ShopifySettings) -> Simulation:
    secret = settings.webhook_secret
    return Simulation(
        base_url=settings.base_url,
        options={
            "shop_domain": settings.shop_domain,
            "access_token": settings.access_token.get_secret_value(),
            "api_version": settings.api_version,
            # The simulated shop restores GraphQL points at the configured plan's rate.
            "graphql_restore_rate": settings.points_per_second,
            # The simulator signs its webhooks with something even when the daemon takes none.
            "webhook_secret": secret.get_secret_value() if secret else "unused-webhook-secret",
        },
    )


SHOPIFY = StoreKind(
    name="shopify",
    title="Shopify",
    settings=ShopifySettings,
    open=open_shopify,
    capabilities=Capabilities(
        webhooks=True,
        deletion_feed=True,
        several_locations=True,
        reserved_stock=False,
        lookup_by_reference=False,
    ),
    order_platform="SHOPIFY",
    simulation=simulate_shopify,
    simulator="simulators.shopify",
)
