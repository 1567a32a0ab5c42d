"""The simulated instance as a whole: its disk, merchant, clock, faults and call log."""

from __future__ import annotations

import asyncio
import json
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
        # B2C Commerce sends no webhooks: the export jobs' feed alerts go through the kit's
        # sender (once each, no retry), so the control API shows them.
        secret = config.alert_secret
        self.webhooks = WebhookSender(
            clock=self.clock,
            policy=DeliveryPolicy(retry_delays_seconds=()),
            sign=lambda _: {} if secret is None else {"X-Feed-Secret": secret},
            address=lambda _: config.alert_url,
        )
        self.merchant = Merchant(config, self.root, self.clock)
        self.merchant.alert = self._alert
        self._alerts = 0
        self.stopping = asyncio.Event()
        self.base_url = ""  # set when the server starts

    def _alert(self, path: str) -> None:
        if self.config.alert_url is None:
            return
        self._alerts += 1
        body = json.dumps({"file": path}).encode()
        headers = {"Content-Type": "application/json"}
        self.webhooks.emit(f"alert-{self._alerts}", "feed.ready", body, headers)

    def tick(self) -> None:
        """Nothing falls due: the merchant's jobs run when the control asks."""

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()


SIM = web.AppKey("sfcc_state", SfccState)
