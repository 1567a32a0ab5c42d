"""Signals become a stop event; nothing else happens inside a signal handler."""

from __future__ import annotations

import asyncio
import signal

import structlog

log = structlog.get_logger("ttsync.supervisor")


class StopSignal:
    """Set by SIGTERM or SIGINT; the daemon waits on it."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.received: str | None = None

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._handle, sig)

    def uninstall(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)

    def _handle(self, sig: signal.Signals) -> None:
        if self.received is None:
            self.received = sig.name
            log.info("stop_requested", signal=sig.name)
        self.event.set()

    async def wait(self) -> None:
        await self.event.wait()
