"""Run the simulator on a real socket (port 0 picks a free port)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from simulators.kit import AppServer
from simulators.tiktok.app import create_app
from simulators.tiktok.config import SimulatorConfig
from simulators.tiktok.simulation import SIMULATION, Simulation
from simulators.tiktok.state import SimState


class TikTokSimulator:
    """``base_url = await sim.start("127.0.0.1", 0)`` ... ``await sim.stop()``."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.app = create_app(config)
        self.base_url = ""
        self._server = AppServer(self.app)

    @property
    def simulation(self) -> Simulation:
        return self.app[SIMULATION]

    @property
    def state(self) -> SimState:
        return self.simulation.state

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.base_url = await self._server.start(host, port)
        return self.base_url

    async def stop(self) -> None:
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
