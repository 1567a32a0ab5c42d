"""Applying an injected fault to one platform call, whatever the platform's answers look like."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from aiohttp import web

from simulators.kit.faults import Fault, FaultKind


async def hold(seconds: float, stopping: asyncio.Event) -> None:
    """Wait `seconds`, or less when the simulator is stopping (a held call must not delay it)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), timeout=seconds)


def lose_answer(request: web.Request) -> None:
    """Close the connection under a call that was served: its answer never reaches the client."""
    transport = request.transport
    if transport is not None:
        transport.close()


async def serve_with_fault(
    request: web.Request,
    fault: Fault | None,
    serve: Callable[[], Awaitable[web.StreamResponse]],
    refuse: Callable[[Fault], web.StreamResponse],
    stopping: asyncio.Event,
) -> web.StreamResponse:
    """Serve the call as `fault` says. `refuse` renders an ``error`` fault, and the gateway
    timeout that ends a ``timeout`` fault, in the platform's words."""
    if fault is None:
        return await serve()
    if fault.kind is FaultKind.ERROR:
        return refuse(fault)
    if fault.kind is FaultKind.TIMEOUT:
        await hold(fault.seconds, stopping)
        return refuse(fault)
    if fault.kind is FaultKind.SLOW:
        await request.read()  # the request arrived whole: it is served even if nobody waits
        await hold(fault.seconds, stopping)
        return await serve()
    response = await serve()
    lose_answer(request)
    return response
