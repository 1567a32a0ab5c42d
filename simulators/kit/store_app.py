"""What every store simulator's application has in common: the kit's ``/_sim/`` routes, the
neutral store API, the image CDN, a ticker for due events and a clean stop; and the server
that runs it on a loopback port and tells the store its base URL (links it writes use it)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from aiohttp import web

from simulators.kit import cdn
from simulators.kit.calls import CallLog
from simulators.kit.clock import SimClock
from simulators.kit.control import ControlParts, install_control
from simulators.kit.dialect import ControlDialect
from simulators.kit.faults import FaultInjector
from simulators.kit.server import AppServer, ticking
from simulators.kit.store import StoreControl, add_store_routes
from simulators.kit.webhooks import WebhookSender


class SimulatedStore(Protocol):
    """A store simulator's state, as the scaffolding uses it."""

    clock: SimClock
    faults: FaultInjector
    calls: CallLog
    stopping: asyncio.Event
    base_url: str

    def tick(self) -> None: ...


@dataclass(frozen=True)
class StoreParts:
    """How the scaffolding is wired to one store: its webhook sender, its neutral control,
    what stopping closes, how often due events fire (None: only on requests), its control
    dialect, and anything to do when it starts serving."""

    store: SimulatedStore
    webhooks: WebhookSender
    control: StoreControl
    close: Callable[[], Awaitable[None]]
    tick_interval: Callable[[], float] | None = None
    dialect: ControlDialect = field(default_factory=ControlDialect)
    on_start: Callable[[], None] | None = None


def install_store(app: web.Application, parts: StoreParts) -> None:
    """Add the kit's control routes, the neutral store API and the CDN to `app` (before the
    platform's own routes, which may end in a catch-all), and its start and stop."""
    store = parts.store
    install_control(
        app,
        ControlParts(
            clock=store.clock,
            faults=store.faults,
            calls=store.calls,
            webhooks=parts.webhooks,
            dialect=parts.dialect,
            tick=store.tick,
        ),
    )
    add_store_routes(app.router, parts.control)
    cdn.add_routes(app.router)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        if parts.on_start is not None:
            parts.on_start()
        yield
        store.stopping.set()
        await parts.close()

    app.cleanup_ctx.append(lifecycle)
    if parts.tick_interval is not None:
        app.cleanup_ctx.append(ticking(store.tick, parts.tick_interval))


S = TypeVar("S", bound=SimulatedStore)


class StoreServer(Generic[S]):
    """Runs a store simulator's application on a TCP port (0 picks a free one), over HTTPS
    when given a TLS context, until `stop`."""

    def __init__(self, app: web.Application, key: web.AppKey[S]) -> None:
        self.app = app
        self._key = key
        self._server = AppServer(app)

    @property
    def state(self) -> S:
        """The simulated store itself, for in-process setup that skips HTTP."""
        return self.app[self._key]

    @property
    def base_url(self) -> str | None:
        return self._server.base_url

    async def start(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> str:
        """Listen; answers the base URL (``https://`` when `tls` is given)."""
        base_url = await self._server.start(host, port, tls=tls)
        self.state.base_url = base_url
        return base_url

    async def stop(self) -> None:
        if self._server.running:
            self.state.stopping.set()
            await self._server.stop()
