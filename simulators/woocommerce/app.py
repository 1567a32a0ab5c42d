"""The aiohttp application, and a server that runs it over HTTP or HTTPS on a loopback port."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

from aiohttp import web

from simulators.kit import (
    AppServer,
    ControlDialect,
    ControlParts,
    add_store_routes,
    cdn,
    install_control,
    ticking,
)
from simulators.woocommerce import catalog_api, control, orders_api
from simulators.woocommerce.config import WooSimulatorConfig
from simulators.woocommerce.context import STORE
from simulators.woocommerce.gate import gate
from simulators.woocommerce.state import Store
from simulators.woocommerce.store_control import WooStoreControl


def create_app(config: WooSimulatorConfig | None = None) -> web.Application:
    store = Store(config or WooSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[STORE] = store
    install_control(
        app,
        ControlParts(
            clock=store.clock,
            faults=store.faults,
            calls=store.calls,
            webhooks=store.webhooks.sender,
            dialect=ControlDialect(),
            tick=store.tick,
        ),
    )
    catalog_api.add_routes(app.router)
    orders_api.add_routes(app.router)
    control.add_routes(app.router)
    add_store_routes(app.router, WooStoreControl(store))
    cdn.add_routes(app.router)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        if store.config.webhook_url is not None:
            store.webhooks.ping_all()
        yield
        store.stopping.set()
        await store.webhooks.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(ticking(store.tick, lambda: store.config.tick_interval_seconds))
    return app


class WooSimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`; over HTTPS when
    given an SSL context."""

    def __init__(self, config: WooSimulatorConfig | None = None) -> None:
        self.config = config or WooSimulatorConfig()
        self.app = create_app(self.config)
        self._server = AppServer(self.app)

    @property
    def store(self) -> Store:
        return self.app[STORE]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> str:
        base_url = await self._server.start(host, port, tls=ssl_context)
        self.store.base_url = base_url
        return base_url

    async def stop(self) -> None:
        if self._server.running:
            self.store.stopping.set()
            await self._server.stop()
