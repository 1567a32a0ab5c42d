"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from aiohttp import web

from simulators.kit import cdn
from simulators.kit.store_app import StoreParts, StoreServer, install_store
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
    install_store(
        app,
        StoreParts(
            store=store,
            webhooks=store.webhooks,
            control=MagentoStoreControl(store),
            close=store.webhooks.close,
            tick_interval=lambda: store.config.tick_interval_seconds,
        ),
    )
    catalog_api.add_routes(app.router)
    inventory_api.add_routes(app.router)
    orders_api.add_routes(app.router)
    control.add_routes(app.router)
    app.router.add_get(MEDIA_PREFIX + "{path:.+}", _media, name="media")
    return app


class MagentoSimulator(StoreServer[MagentoStore]):
    """Runs the simulator on a TCP port (0 picks a free one), over HTTPS when given a TLS
    context, until `stop`."""

    def __init__(self, config: MagentoSimulatorConfig | None = None) -> None:
        self.config = config or MagentoSimulatorConfig()
        super().__init__(create_app(self.config), STORE)

    @property
    def store(self) -> MagentoStore:
        return self.state
