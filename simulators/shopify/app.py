"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from simulators.shopify import catalog_api, cdn, control, inventory_api, orders_api
from simulators.shopify.catalog import load_catalog
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.context import SHOP, Shop
from simulators.shopify.gate import gate
from simulators.shopify.generate import generate_catalog

API_PREFIX = "/admin/api/{version}"
SHUTDOWN_TIMEOUT_SECONDS = 1.0


def create_app(config: ShopifySimulatorConfig | None = None) -> web.Application:
    """The simulator as an aiohttp application (for `aiohttp.test_utils` or a runner)."""
    shop = Shop(config or ShopifySimulatorConfig())
    app = web.Application(middlewares=[control.control_errors, gate])
    app[SHOP] = shop
    catalog_api.add_routes(app.router, API_PREFIX)
    inventory_api.add_routes(app.router, API_PREFIX)
    orders_api.add_routes(app.router, API_PREFIX)
    control.add_routes(app.router)
    cdn.add_routes(app.router)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        shop.stopping.set()
        await shop.webhooks.close()

    app.cleanup_ctx.append(lifecycle)
    return app


class ShopifySimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: ShopifySimulatorConfig | None = None) -> None:
        self.config = config or ShopifySimulatorConfig()
        self.app = create_app(self.config)
        self._runner: web.AppRunner | None = None
        self.base_url: str | None = None

    @property
    def shop(self) -> Shop:
        """The simulated shop itself, for in-process setup that skips HTTP (benchmarks)."""
        return self.app[SHOP]

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        runner = web.AppRunner(
            self.app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        sockets = list(runner.addresses or [])
        bound_port = sockets[0][1] if sockets else port
        self.base_url = f"http://{host}:{bound_port}"
        self.shop.state.base_url = self.base_url
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            self.shop.stopping.set()
            await self._runner.cleanup()
            self._runner = None

    def generate(self, products: int, variants: int = 1, *, seed: int = 1) -> int:
        """Load a deterministic catalog in-process; returns how many variants were made."""
        spec = generate_catalog(products, variants, seed=seed)
        return sum(len(p["variants"]) for p in load_catalog(self.shop, spec))
