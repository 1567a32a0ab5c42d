"""Running a simulator: its aiohttp application on host:port, and a ticker for due events."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable

from aiohttp import web

SHUTDOWN_TIMEOUT_SECONDS = 1.0
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 names, not a bind


class AppServer:
    """Serves one application on a TCP port (0 picks a free one) until `stop`."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.base_url: str | None = None
        self._runner: web.AppRunner | None = None

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> str:
        """Listen on `host`:`port`, over HTTPS when given `tls`; answers the base URL
        (``http://127.0.0.1:8123``)."""
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
            await web.TCPSite(runner, host, port, ssl_context=tls).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        bound_host, bound_port = runner.addresses[0][:2]
        named = str(bound_host) if host in _WILDCARDS else host
        shown = f"[{named}]" if ":" in named else named
        scheme = "http" if tls is None else "https"
        self.base_url = f"{scheme}://{shown}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is None:
            return
        runner, self._runner = self._runner, None
        server = runner.server
        if self.base_url and self.base_url.startswith("https") and server is not None:
            # A TLS connection closed politely waits for the client's close_notify, which a
            # client that has gone never sends: end them at once.
            for handler in list(server.connections):
                if handler.transport is not None:
                    handler.transport.abort()
        await runner.cleanup()


def ticking(
    tick: Callable[[], None], interval: Callable[[], float]
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context that calls `tick` every `interval()` seconds while the app runs, so
    due events (holds, retries) fire without waiting for a request."""

    async def run(_: web.Application) -> AsyncIterator[None]:
        async def loop() -> None:
            while True:
                await asyncio.sleep(interval())
                tick()

        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return run
