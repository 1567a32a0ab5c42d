"""Run the simulator on a real socket (port 0 picks a free port)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web

from simulators.tiktok.app import create_app
from simulators.tiktok.config import SimulatorConfig
from simulators.tiktok.simulation import SIMULATION, Simulation
from simulators.tiktok.state import SimState

SHUTDOWN_TIMEOUT_SECONDS = 1.0


class TikTokSimulator:
    """``base_url = await sim.start("127.0.0.1", 0)`` ... ``await sim.stop()``."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.app = create_app(config)
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    @property
    def simulation(self) -> Simulation:
        return self.app[SIMULATION]

    @property
    def state(self) -> SimState:
        return self.simulation.state

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._runner is not None:
            raise RuntimeError("the simulator is already running")
        runner = web.AppRunner(
            self.app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        shown = f"[{bound_host}]" if ":" in str(bound_host) else str(bound_host)
        self.base_url = f"http://{shown}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is None:
            return
        runner, self._runner = self._runner, None
        await runner.cleanup()

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
