"""The aiohttp application, and a server that runs it over HTTP or HTTPS on a loopback port."""

from __future__ import annotations

from aiohttp import web

from simulators.kit.store_app import StoreParts, StoreServer, install_store
from simulators.woocommerce import catalog_api, control, orders_api
from simulators.woocommerce.config import WooSimulatorConfig
from simulators.woocommerce.context import STORE
from simulators.woocommerce.gate import gate
from simulators.woocommerce.state import Store
from simulators.woocommerce.store_control import WooStoreControl


def _ping_webhooks(store: Store) -> None:
    """WooCommerce pings a webhook's delivery URL when the webhook is saved."""
    if store.config.webhook_url is not None:
        store.webhooks.ping_all()


def create_app(config: WooSimulatorConfig | None = None) -> web.Application:
    store = Store(config or WooSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[STORE] = store
    install_store(
        app,
        StoreParts(
            store=store,
            webhooks=store.webhooks.sender,
            control=WooStoreControl(store),
            close=store.webhooks.close,
            tick_interval=lambda: store.config.tick_interval_seconds,
            on_start=lambda: _ping_webhooks(store),
        ),
    )
    catalog_api.add_routes(app.router)
    orders_api.add_routes(app.router)
    control.add_routes(app.router)
    return app


class WooSimulator(StoreServer[Store]):
    """Runs the simulator on a TCP port (0 picks a free one), over HTTPS when given a TLS
    context, until `stop`."""

    def __init__(self, config: WooSimulatorConfig | None = None) -> None:
        self.config = config or WooSimulatorConfig()
        super().__init__(create_app(self.config), STORE)

    @property
    def store(self) -> Store:
        return self.state
