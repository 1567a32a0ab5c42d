"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

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
from simulators.magento import catalog_api, control, inventory_api, orders_api
from simulators.magento.config import MagentoSimulatorConfig
from simulators.magento.gate import gate
from simulators.magento.state import STORE, MagentoStore
from simulators.magento.store_control import MagentoStoreControl

MEDIA_PREFIX = "/media/catalog/product/"


async def _media(request: web.Request) -> web.Response:
    """Product images under the media base URL, drawn by the kit's CDN."""
    rendered = cdn.render(request.match_info["path"])
    if rendered is None:
        raise web.HTTPNotFound
    body, content_type = rendered
    return web.Response(body=body, content_type=content_type)


def create_app(config: MagentoSimulatorConfig | None = None) -> web.Application:
    """The simulator as an aiohttp application."""
    store = MagentoStore(config or MagentoSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[STORE] = store
    install_control(
        app,
        ControlParts(
            clock=store.clock,
            faults=store.faults,
            calls=store.calls,
            webhooks=store.webhooks,
            dialect=ControlDialect(),
            tick=store.tick,
        ),
    )
    catalog_api.add_routes(app.router)
    inventory_api.add_routes(app.router)
    orders_api.add_routes(app.router)
    control.add_routes(app.router)
    add_store_routes(app.router, MagentoStoreControl(store))
    cdn.add_routes(app.router)
    app.router.add_get(MEDIA_PREFIX + "{path:.+}", _media, name="media")

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        store.stopping.set()
        await store.webhooks.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(ticking(store.tick, lambda: store.config.tick_interval_seconds))
    return app


class MagentoSimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: MagentoSimulatorConfig | None = None) -> None:
        self.config = config or MagentoSimulatorConfig()
        self.app = create_app(self.config)
        self._server = AppServer(self.app)

    @property
    def store(self) -> MagentoStore:
        return self.app[STORE]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        base_url = await self._server.start(host, port)
        self.store.base_url = base_url
        return base_url

    async def stop(self) -> None:
        if self._server.running:
            self.store.stopping.set()
            await self._server.stop()
