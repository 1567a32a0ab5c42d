"""The simulated instance as a whole: its disk, merchant, clock, faults and call log."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from aiohttp import web

from simulators.kit import CallLog, DeliveryPolicy, FaultInjector, SimClock, WebhookSender
from simulators.sfcc.config import SfccSimulatorConfig
from simulators.sfcc.merchant import Merchant


class SfccState:
    def __init__(self, config: SfccSimulatorConfig) -> None:
        self.config = config
        self._scratch = None if config.root else tempfile.TemporaryDirectory(prefix="sfcc-sim-")
        self.root = config.root or Path(self._scratch.name if self._scratch else ".")
        self.clock = SimClock()
        self.faults = FaultInjector()
        self.calls = CallLog(self.clock)
        # B2C Commerce sends no webhooks; the kit's control routes still want a sender.
        self.webhooks = WebhookSender(
            clock=self.clock,
            policy=DeliveryPolicy(retry_delays_seconds=()),
            sign=lambda _: {},
            address=lambda _: None,
        )
        self.merchant = Merchant(config, self.root, self.clock)
        self.stopping = asyncio.Event()

    def tick(self) -> None:
        """Nothing falls due: the merchant's jobs run when the control asks."""

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()


SIM = web.AppKey("sfcc_state", SfccState)
