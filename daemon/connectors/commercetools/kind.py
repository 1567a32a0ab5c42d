"""commercetools' registry entry: its settings, how it opens, what it can do."""

from __future__ import annotations

from contextlib import AsyncExitStack

from daemon.connectors.commercetools.client import CommercetoolsClient
from daemon.connectors.commercetools.settings import CommercetoolsSettings
from daemon.connectors.store_kind import (
    Capabilities,
    Simulation,
    StoreConnection,
    StoreContext,
    StoreKind,
)


async def open_commercetools(
    settings: CommercetoolsSettings, context: StoreContext, stack: AsyncExitStack
) -> StoreConnection:
    client = CommercetoolsClient(settings, context.metrics)
    await client.start()
    stack.push_async_callback(client.close)
    # Subscriptions deliver to cloud queues only (no HTTP webhooks): polling is the path.
    return StoreConnection(catalog=client, orders=client, webhooks=None)


def simulate_commercetools(settings: CommercetoolsSettings) -> Simulation:
    """The simulator serves the API host and the auth host at `api_url`."""
    return Simulation(
        base_url=settings.api_url,
        options={
            "project_key": settings.project_key,
            "client_id": settings.client_id,
            "client_secret": settings.client_secret.get_secret_value(),
            **({"country": settings.price_country} if settings.price_country else {}),
        },
    )


COMMERCETOOLS = StoreKind(
    name="commercetools",
    title="commercetools",
    settings=CommercetoolsSettings,
    open=open_commercetools,
    capabilities=Capabilities(
        webhooks=False,
        deletion_feed=False,
        several_locations=True,
        reserved_stock=True,
        lookup_by_reference=True,
    ),
    # TikTok's external order platforms name no commercetools: it counts as an OMS.
    order_platform="ORDER_MANAGEMENT_SYSTEM",
    simulation=simulate_commercetools,
    simulator="simulators.commercetools",
)
