"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from simulators.kit import AppServer, ControlParts, add_store_routes, cdn, install_control, ticking
from simulators.shopify import catalog_api, control, graphql_api, inventory_api, orders_api
from simulators.shopify.catalog import load_catalog
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.context import SHOP, Shop
from simulators.shopify.dialect import ShopifyDialect
from simulators.shopify.gate import gate
from simulators.shopify.generate import generate_catalog
from simulators.shopify.store_control import ShopifyStoreControl

API_PREFIX = "/admin/api/{version}"


def create_app(config: ShopifySimulatorConfig | None = None) -> web.Application:
    """The simulator as an aiohttp application (for `aiohttp.test_utils` or a runner)."""
    shop = Shop(config or ShopifySimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[SHOP] = shop
    install_control(
        app,
        ControlParts(
            clock=shop.clock,
            faults=shop.faults,
            calls=shop.calls,
            webhooks=shop.webhooks.sender,
            dialect=ShopifyDialect(shop.config),
            tick=shop.tick,
        ),
    )
    catalog_api.add_routes(app.router, API_PREFIX)
    graphql_api.add_routes(app.router, API_PREFIX)
    inventory_api.add_routes(app.router, API_PREFIX)
    orders_api.add_routes(app.router, API_PREFIX)
    control.add_routes(app.router)
    add_store_routes(app.router, ShopifyStoreControl(shop))
    cdn.add_routes(app.router)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        shop.stopping.set()
        await shop.webhooks.close()
        await shop.bulk.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(ticking(shop.tick, lambda: shop.config.tick_interval_seconds))
    return app


class ShopifySimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: ShopifySimulatorConfig | None = None) -> None:
        self.config = config or ShopifySimulatorConfig()
        self.app = create_app(self.config)
        self._server = AppServer(self.app)

    @property
    def shop(self) -> Shop:
        """The simulated shop itself, for in-process setup that skips HTTP (benchmarks)."""
        return self.app[SHOP]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        base_url = await self._server.start(host, port)
        self.shop.state.base_url = base_url
        return base_url

    async def stop(self) -> None:
        if self._server.running:
            self.shop.stopping.set()
            await self._server.stop()

    def generate(self, products: int, variants: int = 1, *, seed: int = 1) -> int:
        """Load a deterministic catalog in-process; returns how many variants were made."""
        spec = generate_catalog(products, variants, seed=seed)
        return sum(len(p["variants"]) for p in load_catalog(self.shop, spec))
