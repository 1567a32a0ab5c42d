"""The aiohttp application (the kit's control, the neutral store API, the image CDN and the
WebDAV server), and a server wrapper that starts it on a loopback port."""

from __future__ import annotations

from aiohttp import web

from simulators.kit.store_app import StoreParts, StoreServer, install_store
from simulators.sfcc import control, dav
from simulators.sfcc.config import SfccSimulatorConfig
from simulators.sfcc.state import SIM, SfccState
from simulators.sfcc.store_control import SfccStoreControl


async def _close(state: SfccState) -> None:
    await state.webhooks.close()
    state.close()


def create_app(config: SfccSimulatorConfig | None = None) -> web.Application:
    state = SfccState(config or SfccSimulatorConfig())
    app = web.Application(middlewares=[dav.gate], client_max_size=1 << 30)
    app[SIM] = state
    install_store(
        app,
        StoreParts(
            store=state,
            webhooks=state.webhooks,
            control=SfccStoreControl(state.merchant),
            close=lambda: _close(state),
        ),
    )
    control.add_routes(app.router)
    dav.add_routes(app, state)
    return app


class SfccSimulator(StoreServer[SfccState]):
    """Runs the simulator on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, config: SfccSimulatorConfig | None = None) -> None:
        self.config = config or SfccSimulatorConfig()
        super().__init__(create_app(self.config), SIM)
