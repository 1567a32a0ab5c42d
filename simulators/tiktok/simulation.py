"""One running simulation: state, route table and webhook dispatcher, shared by the handlers."""

from __future__ import annotations

from aiohttp import web

from simulators.tiktok.api import build_routes
from simulators.tiktok.config import SimulatorConfig
from simulators.tiktok.lifecycle import run_due
from simulators.tiktok.routing import RouteTable
from simulators.tiktok.state import SimState
from simulators.tiktok.webhooks import WebhookDispatcher


class Simulation:
    def __init__(self, config: SimulatorConfig) -> None:
        self.state = SimState(config)
        self.routes = RouteTable(build_routes())
        self.dispatcher = WebhookDispatcher(self.state)

    def tick(self) -> None:
        """Fire what is due on the simulator clock and send the webhooks it produced."""
        run_due(self.state)
        self.dispatcher.flush()


SIMULATION = web.AppKey("tiktok_simulation", Simulation)
