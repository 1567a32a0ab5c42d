"""Application factory: Open API and auth host paths on one server, plus ``/_sim/`` control."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from simulators.kit import CONTROL_PREFIX, ControlParts, install_control, ticking
from simulators.tiktok import control, control_orders, control_returns
from simulators.tiktok.auth import handle_token
from simulators.tiktok.config import SimulatorConfig
from simulators.tiktok.dialect import TikTokDialect
from simulators.tiktok.envelope import CODE_KEY, OPERATION_KEY, REQUEST_ID_KEY
from simulators.tiktok.gateway import handle_open_api
from simulators.tiktok.simulation import SIMULATION, Simulation

REDACTED_QUERY_KEYS = frozenset({"app_secret"})
BODY_MARGIN_BYTES = 1024 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def record_calls(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Log every platform call (not control calls) for ``GET /_sim/calls``."""
    started = time.perf_counter()
    response = await handler(request)
    if request.path.startswith(CONTROL_PREFIX):
        return response
    sim = request.app[SIMULATION]
    query = {
        key: "***" if key in REDACTED_QUERY_KEYS else request.query.getone(key)
        for key in request.query
    }
    sim.state.calls.record(
        method=request.method,
        path=request.path,
        query=query,
        endpoint=response.get(OPERATION_KEY, ""),
        status=response.status,
        duration_ms=(time.perf_counter() - started) * 1000,
        extra={
            "code": response.get(CODE_KEY),
            "shop_cipher": request.query.get("shop_cipher"),
            "request_id": response.get(REQUEST_ID_KEY, ""),
        },
    )
    return response


async def _token_get(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIMULATION]
    return await handle_token(request, sim.state, refreshing=False)


async def _token_refresh(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIMULATION]
    return await handle_token(request, sim.state, refreshing=True)


def create_app(config: SimulatorConfig) -> web.Application:
    max_body = config.max_image_bytes * 2 + BODY_MARGIN_BYTES
    app = web.Application(middlewares=[record_calls], client_max_size=max_body)
    sim = Simulation(config)
    app[SIMULATION] = sim
    install_control(
        app,
        ControlParts(
            clock=sim.state.clock,
            faults=sim.state.faults,
            calls=sim.state.calls,
            webhooks=sim.webhooks,
            dialect=TikTokDialect(),
            tick=sim.tick,
        ),
    )
    control.add_routes(app)
    control_orders.add_routes(app)
    control_returns.add_routes(app)
    app.router.add_route("*", "/api/v2/token/get", _token_get)
    app.router.add_route("*", "/api/v2/token/refresh", _token_refresh)
    app.router.add_route("*", "/{tail:.*}", handle_open_api)

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        yield
        sim.stopping.set()
        await sim.webhooks.close()

    app.cleanup_ctx.append(lifecycle)
    app.cleanup_ctx.append(ticking(sim.tick, lambda: sim.state.config.tick_interval_seconds))
    return app
