"""BigCommerce's registry entry: its settings, how it opens, what it can do."""

from __future__ import annotations

from contextlib import AsyncExitStack

from daemon.connectors.bigcommerce.client import BigCommerceClient
from daemon.connectors.bigcommerce.settings import BigCommerceSettings
from daemon.connectors.bigcommerce.transport import BigCommerceClientOptions
from daemon.connectors.bigcommerce.webhooks import BigCommerceWebhookReceiver
from daemon.connectors.store_kind import (
    Capabilities,
    Simulation,
    StoreConnection,
    StoreContext,
    StoreKind,
)


async def open_bigcommerce(
    settings: BigCommerceSettings, context: StoreContext, stack: AsyncExitStack
) -> StoreConnection:
    options = BigCommerceClientOptions(
        request_timeout=settings.request_timeout,
        requests_quota=settings.requests_quota,
        reserve=settings.reserve,
    )
    client = BigCommerceClient(settings, context.metrics, options=options)
    await client.start()
    stack.push_async_callback(client.close)
    secret = settings.client_secret
    receiver = None if secret is None else BigCommerceWebhookReceiver(secret)
    return StoreConnection(catalog=client, orders=client, webhooks=receiver)


def simulate_bigcommerce(settings: BigCommerceSettings) -> Simulation:
    secret = settings.client_secret
    return Simulation(
        base_url=settings.base_url,
        options={
            "store_hash": settings.store_hash,
            "access_token": settings.access_token.get_secret_value(),
            # The simulator signs its webhooks with something even when the daemon takes none.
            "client_secret": secret.get_secret_value() if secret else "unused-client-secret",
            "requests_quota": settings.requests_quota,
        },
    )


BIGCOMMERCE = StoreKind(
    name="bigcommerce",
    title="BigCommerce",
    settings=BigCommerceSettings,
    open=open_bigcommerce,
    capabilities=Capabilities(
        webhooks=True,
        deletion_feed=False,
        several_locations=True,
        reserved_stock=False,
        lookup_by_reference=True,
    ),
    order_platform="BIGCOMMERCE",
    simulation=simulate_bigcommerce,
    simulator="simulators.bigcommerce",
)
