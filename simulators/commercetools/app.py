"""The aiohttp application and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from aiohttp import web

from simulators.commercetools import auth_api, catalog_api, control, inventory_api, orders_api
from simulators.commercetools.config import CommercetoolsSimulatorConfig
from simulators.commercetools.gate import gate
from simulators.commercetools.state import PROJECT, Project
from simulators.commercetools.store_control import CommercetoolsStoreControl
from simulators.kit.store_app import StoreParts, StoreServer, install_store


def create_app(config: CommercetoolsSimulatorConfig | None = None) -> web.Application:
    """The simulator as an aiohttp application: the auth host and the API host in one."""
    project = Project(config or CommercetoolsSimulatorConfig())
    app = web.Application(middlewares=[gate])
    app[PROJECT] = project
    install_store(
        app,
        StoreParts(
            store=project,
            webhooks=project.webhooks,
            control=CommercetoolsStoreControl(project),
            close=project.webhooks.close,
            tick_interval=lambda: project.config.tick_interval_seconds,
        ),
    )
    control.add_routes(app.router)
    auth_api.add_routes(app.router)
    key = project.config.project_key
    orders_api.add_routes(app.router, key)
    inventory_api.add_routes(app.router, key)
    catalog_api.add_routes(app.router, key)
    return app


class CommercetoolsSimulator(StoreServer[Project]):
    """Runs the simulator on a TCP port (0 picks a free one), over HTTPS when given a TLS
    context, until `stop`."""

    def __init__(self, config: CommercetoolsSimulatorConfig | None = None) -> None:
        self.config = config or CommercetoolsSimulatorConfig()
        super().__init__(create_app(self.config), PROJECT)

    @property
    def project(self) -> Project:
        return self.state
