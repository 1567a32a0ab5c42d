"""The aiohttp application, and a server that runs it over HTTP or, given a TLS context,
HTTPS (the official Python client speaks HTTPS only)."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

from aiohttp import web

from simulators.bigcommerce import catalog_api, control, inventory_api, orders_api
from simulators.bigcommerce.config import BigCommerceSimulatorConfig
from simulators.bigcommerce.gate import gate
from simulators.bigcommerce.store import STORE, Store
from simulators.bigcommerce.store_control import BigCommerceStoreControl
from simulators.kit import (
    AppServer,
    ControlDialect,
    ControlParts,
    add_store_routes,
    cdn,
    install_control,
    ticking,
)


def create_app(config: BigCommerceSimulatorConfig | None = None) -> web.Application:
    store = Store(config or BigCommerceSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[STORE] = store
    install_control(
        app,
        ControlParts(
            clock=store.clock,
            faults=store.faults,
            calls=store.calls,
            webhooks=store.hooks.sender,
            dialect=ControlDialect(),
            tick=store.tick,
        ),
    )
    catalog_api.add_routes(app.router)
    inventory_api.add_routes(app.router)
    orders_api.add_routes(app.router)
    control.add_routes(app.router)
    add_store_routes(app.router, BigCommerceStoreControl(store))
    cdn.add_routes(app.router)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        store.stopping.set()
        await store.hooks.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(ticking(store.tick, lambda: store.config.tick_interval_seconds))
    return app


class BigCommerceSimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: BigCommerceSimulatorConfig | None = None) -> None:
        self.config = config or BigCommerceSimulatorConfig()
        self.app = create_app(self.config)
        self._server = AppServer(self.app)

    @property
    def store(self) -> Store:
        return self.app[STORE]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> str:
        """Listen; answers the base URL (``https://`` when `tls` is given)."""
        base_url = await self._server.start(host, port, tls=tls)
        self.store.base_url = base_url
        return base_url

    async def stop(self) -> None:
        if self._server.running:
            self.store.stopping.set()
            await self._server.stop()
