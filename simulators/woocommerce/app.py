"""The aiohttp application, and a server that runs it over HTTP or HTTPS on a loopback port."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

from aiohttp import web

from simulators.kit import (
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

SHUTDOWN_TIMEOUT_SECONDS = 1.0


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
    given an SSL context (the kit's server speaks plain HTTP only)."""

    def __init__(self, config: WooSimulatorConfig | None = None) -> None:
        self.config = config or WooSimulatorConfig()
        self.app = create_app(self.config)
        self._runner: web.AppRunner | None = None
        self.base_url: str | None = None

    @property
    def store(self) -> Store:
        return self.app[STORE]

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, ssl_context: ssl.SSLContext | None = None
    ) -> str:
        runner = web.AppRunner(
            self.app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port, ssl_context=ssl_context).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_port = runner.addresses[0][1]
        scheme = "http" if ssl_context is None else "https"
        self.base_url = f"{scheme}://{host}:{bound_port}"
        self.store.base_url = self.base_url
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            self.store.stopping.set()
            await runner.cleanup()
