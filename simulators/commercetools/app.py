"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from simulators.commercetools import auth_api, catalog_api, control, inventory_api, orders_api
from simulators.commercetools.config import CommercetoolsSimulatorConfig
from simulators.commercetools.gate import gate
from simulators.commercetools.state import PROJECT, Project
from simulators.commercetools.store_control import CommercetoolsStoreControl
from simulators.kit import (
    AppServer,
    ControlDialect,
    ControlParts,
    add_store_routes,
    cdn,
    install_control,
    ticking,
)


def create_app(config: CommercetoolsSimulatorConfig | None = None) -> web.Application:
    """The simulator as an aiohttp application: the auth host and the API host in one."""
    project = Project(config or CommercetoolsSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[PROJECT] = project
    install_control(
        app,
        ControlParts(
            clock=project.clock,
            faults=project.faults,
            calls=project.calls,
            webhooks=project.webhooks,
            dialect=ControlDialect(),
            tick=project.tick,
        ),
    )
    control.add_routes(app.router)
    add_store_routes(app.router, CommercetoolsStoreControl(project))
    cdn.add_routes(app.router)
    auth_api.add_routes(app.router)
    key = project.config.project_key
    orders_api.add_routes(app.router, key)
    inventory_api.add_routes(app.router, key)
    catalog_api.add_routes(app.router, key)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        project.stopping.set()
        await project.webhooks.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(ticking(project.tick, lambda: project.config.tick_interval_seconds))
    return app


class CommercetoolsSimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: CommercetoolsSimulatorConfig | None = None) -> None:
        self.config = config or CommercetoolsSimulatorConfig()
        self.app = create_app(self.config)
        self._server = AppServer(self.app)

    @property
    def project(self) -> Project:
        return self.app[PROJECT]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        base_url = await self._server.start(host, port)
        self.project.base_url = base_url
        return base_url

    async def stop(self) -> None:
        if self._server.running:
            self.project.stopping.set()
            await self._server.stop()
