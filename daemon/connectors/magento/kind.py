"""Magento's registry entry: its settings, how it opens, what it can do."""

from __future__ import annotations

from contextlib import AsyncExitStack

from daemon.connectors.magento.client import MagentoClient
from daemon.connectors.magento.settings import MagentoSettings
from daemon.connectors.store_kind import (
    Capabilities,
    Simulation,
    StoreConnection,
    StoreContext,
    StoreKind,
)


async def open_magento(
    settings: MagentoSettings, context: StoreContext, stack: AsyncExitStack
) -> StoreConnection:
    client = MagentoClient(settings, context.metrics)
    await client.start()
    stack.push_async_callback(client.close)
    # Magento Open Source sends no webhooks: polling is the path.
    return StoreConnection(catalog=client, orders=client, webhooks=None)


def simulate_magento(settings: MagentoSettings) -> Simulation:
    return Simulation(
        base_url=settings.base_url,
        options={
            "store_code": settings.store_code,
            "access_token": settings.access_token.get_secret_value(),
        },
    )


MAGENTO = StoreKind(
    name="magento",
    title="Magento 2",
    settings=MagentoSettings,
    open=open_magento,
    capabilities=Capabilities(
        webhooks=False,
        deletion_feed=False,
        several_locations=True,
        reserved_stock=False,
        lookup_by_reference=True,
    ),
    order_platform="MAGENTO",
    simulation=simulate_magento,
    simulator="simulators.magento",
)
