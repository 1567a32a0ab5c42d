"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from aiohttp import web

from simulators.kit.store_app import StoreParts, StoreServer, install_store
from simulators.shopify import catalog_api, control, graphql_api, inventory_api, orders_api
from simulators.shopify.catalog import load_catalog
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.context import SHOP, Shop
from simulators.shopify.dialect import ShopifyDialect
from simulators.shopify.gate import gate
from simulators.shopify.generate import generate_catalog
from simulators.shopify.store_control import ShopifyStoreControl

API_PREFIX = "/admin/api/{version}"


async def _close(shop: Shop) -> None:
    await shop.webhooks.close()
    await shop.bulk.close()


def create_app(config: ShopifySimulatorConfig | None = None) -> web.Application:
    """The simulator as an aiohttp application (for `aiohttp.test_utils` or a runner)."""
    shop = Shop(config or ShopifySimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[SHOP] = shop
    install_store(
        app,
        StoreParts(
            store=shop,
            webhooks=shop.webhooks.sender,
            control=ShopifyStoreControl(shop),
            close=lambda: _close(shop),
            tick_interval=lambda: shop.config.tick_interval_seconds,
            dialect=ShopifyDialect(shop.config),
        ),
    )
    catalog_api.add_routes(app.router, API_PREFIX)
    graphql_api.add_routes(app.router, API_PREFIX)
    inventory_api.add_routes(app.router, API_PREFIX)
    orders_api.add_routes(app.router, API_PREFIX)
    control.add_routes(app.router)
    return app


class ShopifySimulator(StoreServer[Shop]):
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: ShopifySimulatorConfig | None = None) -> None:
        self.config = config or ShopifySimulatorConfig()
        super().__init__(create_app(self.config), SHOP)

    @property
    def shop(self) -> Shop:
        """The simulated shop itself, for in-process setup that skips HTTP (benchmarks)."""
        return self.state

    def generate(self, products: int, variants: int = 1, *, seed: int = 1) -> int:
        """Load a deterministic catalog in-process; returns how many variants were made."""
        spec = generate_catalog(products, variants, seed=seed)
        return sum(len(p["variants"]) for p in load_catalog(self.shop, spec))
