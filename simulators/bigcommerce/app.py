"""The aiohttp application, and a server that runs it over HTTP or, given a TLS context,
HTTPS (the official Python client speaks HTTPS only)."""

from __future__ import annotations

from aiohttp import web

from simulators.bigcommerce import catalog_api, control, inventory_api, orders_api
from simulators.bigcommerce.config import BigCommerceSimulatorConfig
from simulators.bigcommerce.gate import gate
from simulators.bigcommerce.store import STORE, Store
from simulators.bigcommerce.store_control import BigCommerceStoreControl
from simulators.kit.store_app import StoreParts, StoreServer, install_store


def create_app(config: BigCommerceSimulatorConfig | None = None) -> web.Application:
    store = Store(config or BigCommerceSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[STORE] = store
    install_store(
        app,
        StoreParts(
            store=store,
            webhooks=store.hooks.sender,
            control=BigCommerceStoreControl(store),
            close=store.hooks.close,
            tick_interval=lambda: store.config.tick_interval_seconds,
        ),
    )
    catalog_api.add_routes(app.router)
    inventory_api.add_routes(app.router)
    orders_api.add_routes(app.router)
    control.add_routes(app.router)
    return app


class BigCommerceSimulator(StoreServer[Store]):
    """Runs the simulator on a TCP port (0 picks a free one), over HTTPS when given a TLS
    context, until `stop`."""

    def __init__(self, config: BigCommerceSimulatorConfig | None = None) -> None:
        self.config = config or BigCommerceSimulatorConfig()
        super().__init__(create_app(self.config), STORE)

    @property
    def store(self) -> Store:
        return self.state
