"""Salesforce B2C Commerce feeds' registry entry: settings, how it opens, what it can do."""

from __future__ import annotations

from contextlib import AsyncExitStack

from daemon.connectors.sfcc.alerts import SfccAlertReceiver
from daemon.connectors.sfcc.client import SfccStore
from daemon.connectors.sfcc.order_flow import SfccOrders
from daemon.connectors.sfcc.settings import SfccSettings
from daemon.connectors.sfcc.webdav import WebDav
from daemon.connectors.store_kind import (
    Capabilities,
    Simulation,
    StoreConnection,
    StoreContext,
    StoreKind,
)


def connect(settings: SfccSettings, context: StoreContext) -> tuple[SfccStore, SfccOrders]:
    """The catalog and order sides over one WebDAV client (not started)."""
    dav = WebDav(
        settings.davroot,
        settings.username,
        settings.access_key.get_secret_value(),
        context.metrics,
        timeout=settings.request_timeout,
    )
    store = SfccStore(settings, dav, context.feeds)
    orders = SfccOrders(
        dav,
        context.feeds,
        folder=settings.orders_folder,
        prefix=settings.order_prefix,
        refresh=store.refresh,
    )
    return store, orders


async def open_sfcc(
    settings: SfccSettings, context: StoreContext, stack: AsyncExitStack
) -> StoreConnection:
    store, orders = connect(settings, context)
    await store.dav.start()
    stack.push_async_callback(store.dav.close)
    secret = settings.alert_secret
    alerts = None if secret is None else SfccAlertReceiver(secret.get_secret_value())
    return StoreConnection(catalog=store, orders=orders, webhooks=alerts)


def simulate_sfcc(settings: SfccSettings) -> Simulation:
    secret = settings.alert_secret
    return Simulation(
        base_url=settings.base_url,
        options={
            "username": settings.username,
            "access_key": settings.access_key.get_secret_value(),
            "site_id": settings.site_id,
            "list_pricebook": settings.list_pricebook,
            "catalog_folder": settings.catalog_folder,
            "pricebook_folder": settings.pricebook_folder,
            "inventory_folder": settings.inventory_folder,
            "order_status_folder": settings.order_status_folder,
            "orders_folder": settings.orders_folder,
            "order_prefix": settings.order_prefix,
            # The export jobs alert the daemon after each file when it takes alerts.
            "alert_secret": None if secret is None else secret.get_secret_value(),
        },
    )


SFCC = StoreKind(
    name="sfcc",
    title="Salesforce Commerce Cloud",
    settings=SfccSettings,
    open=open_sfcc,
    capabilities=Capabilities(
        webhooks=True,  # the feed alert
        deletion_feed=True,  # delta feeds delete with mode="delete"
        several_locations=True,  # inventory lists
        reserved_stock=False,
        lookup_by_reference=True,  # the order file is named by the reference
    ),
    order_platform="SALESFORCE_COMMERCE_CLOUD",
    simulation=simulate_sfcc,
    simulator="simulators.sfcc",
)
