"""The aiohttp application (the kit's control, the neutral store API, the image CDN and the
WebDAV server), and a server wrapper that starts it on a loopback port."""

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
)
from simulators.sfcc import control, dav
from simulators.sfcc.config import SfccSimulatorConfig
from simulators.sfcc.state import SIM, SfccState
from simulators.sfcc.store_control import SfccStoreControl


def create_app(config: SfccSimulatorConfig | None = None) -> web.Application:
    state = SfccState(config or SfccSimulatorConfig())
    app = web.Application(middlewares=[dav.gate], client_max_size=1 << 30)
    app[SIM] = state
    install_control(
        app,
        ControlParts(
            clock=state.clock,
            faults=state.faults,
            calls=state.calls,
            webhooks=state.webhooks,
            dialect=ControlDialect(),
            tick=state.tick,
        ),
    )
    control.add_routes(app.router)
    add_store_routes(app.router, SfccStoreControl(state.merchant))
    cdn.add_routes(app.router)
    dav.add_routes(app, state)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        state.stopping.set()
        await state.webhooks.close()
        state.close()

    app.cleanup_ctx.append(lifecycle)
    return app


class SfccSimulator:
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: SfccSimulatorConfig | None = None) -> None:
        self.config = config or SfccSimulatorConfig()
        self.app = create_app(self.config)
        self._server = AppServer(self.app)

    @property
    def state(self) -> SfccState:
        return self.app[SIM]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        return await self._server.start(host, port)

    async def stop(self) -> None:
        if self._server.running:
            self.state.stopping.set()
            await self._server.stop()
