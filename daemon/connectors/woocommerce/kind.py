"""WooCommerce's registry entry: its settings, how it opens, what it can do."""

from __future__ import annotations

from contextlib import AsyncExitStack

from daemon.connectors.store_kind import (
    Capabilities,
    Simulation,
    StoreConnection,
    StoreContext,
    StoreKind,
)
from daemon.connectors.woocommerce.client import WooCommerceClient
from daemon.connectors.woocommerce.settings import WooCommerceSettings
from daemon.connectors.woocommerce.webhooks import WooCommerceWebhookReceiver


async def open_woocommerce(
    settings: WooCommerceSettings, context: StoreContext, stack: AsyncExitStack
) -> StoreConnection:
    client = WooCommerceClient(settings, context.metrics)
    await client.start()
    stack.push_async_callback(client.close)
    secret = settings.webhook_secret
    receiver = None if secret is None else WooCommerceWebhookReceiver(secret)
    return StoreConnection(catalog=client, orders=client, webhooks=receiver)


def simulate_woocommerce(settings: WooCommerceSettings) -> Simulation:
    secret = settings.webhook_secret
    return Simulation(
        base_url=settings.base_url,
        options={
            "consumer_key": settings.consumer_key.get_secret_value(),
            "consumer_secret": settings.consumer_secret.get_secret_value(),
            # The simulator signs its webhooks with something even when the daemon takes none.
            "webhook_secret": secret.get_secret_value() if secret else "unused-webhook-secret",
        },
    )


WOOCOMMERCE = StoreKind(
    name="woocommerce",
    title="WooCommerce",
    settings=WooCommerceSettings,
    open=open_woocommerce,
    capabilities=Capabilities(
        webhooks=True,
        deletion_feed=False,
        several_locations=False,
        reserved_stock=False,
        lookup_by_reference=False,
    ),
    order_platform="WOOCOMMERCE",
    simulation=simulate_woocommerce,
    simulator="simulators.woocommerce",
)
