"""One running simulation: state, route table and webhook sender, shared by the handlers."""

from __future__ import annotations

import asyncio

from aiohttp import web

from simulators.tiktok import webhooks
from simulators.tiktok.api import build_routes
from simulators.tiktok.config import SimulatorConfig
from simulators.tiktok.lifecycle import run_due
from simulators.tiktok.routing import RouteTable
from simulators.tiktok.state import SimState


class Simulation:
    def __init__(self, config: SimulatorConfig) -> None:
        self.state = SimState(config)
        self.routes = RouteTable(build_routes())
        self.webhooks = webhooks.webhook_sender(self.state)
        self.stopping = asyncio.Event()

    def flush(self) -> None:
        """Send the webhooks the last request or tick produced."""
        webhooks.flush(self.state, self.webhooks)

    def tick(self) -> None:
        """Fire what is due on the simulator clock and send the webhooks it produced."""
        run_due(self.state)
        self.flush()
        self.webhooks.fire_due()


SIMULATION = web.AppKey("tiktok_simulation", Simulation)
