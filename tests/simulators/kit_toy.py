"""A toy platform built only from the kit, as a new store simulator would be: one endpoint
that creates an order and sends a signed webhook, behind the kit's faults and call log."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from simulators.kit import (
    AppServer,
    CallLog,
    ControlDialect,
    ControlParts,
    DeliveryPolicy,
    Fault,
    FaultInjector,
    FaultKind,
    SimClock,
    WebhookSender,
    add_control_routes,
    install_control,
    serve_with_fault,
)

SECRET = b"toy-secret"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def signature(body: bytes) -> dict[str, str]:
    return {"X-Toy-Hmac": hmac.new(SECRET, body, hashlib.sha256).hexdigest()}


@dataclass
class Toy:
    clock: SimClock = field(default_factory=SimClock)
    orders: list[int] = field(default_factory=list)
    webhook_url: str | None = None
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.faults = FaultInjector(seed=0)
        self.calls = CallLog(self.clock)
        self.webhooks = WebhookSender(
            clock=self.clock,
            policy=DeliveryPolicy(retry_delays_seconds=(60, 600), timeout_seconds=2),
            sign=signature,
            address=lambda _: self.webhook_url,
        )


def _refuse(fault: Fault) -> web.StreamResponse:
    if fault.kind is FaultKind.TIMEOUT:
        return web.json_response({"message": "gateway timeout"}, status=504)
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    return web.json_response({"message": "injected"}, status=fault.status, headers=headers)


def toy_app(toy: Toy) -> web.Application:
    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/api/"):
            return await handler(request)
        endpoint = request.match_info.route.name or "unknown"
        fault = toy.faults.decide(endpoint)
        response = await serve_with_fault(
            request, fault, lambda: handler(request), _refuse, toy.stopping
        )
        toy.calls.record(
            method=request.method,
            path=request.path,
            query=request.query,
            endpoint=endpoint,
            status=response.status,
            fault=None if fault is None else fault.name,
            extra={"shop": "toy"},
        )
        return response

    async def create_order(_: web.Request) -> web.Response:
        toy.orders.append(len(toy.orders) + 1)
        order_id = toy.orders[-1]
        body = json.dumps({"id": order_id}).encode()
        toy.webhooks.emit(f"delivery-{order_id}", "orders/create", body)
        return web.json_response({"id": order_id}, status=201)

    async def list_orders(_: web.Request) -> web.Response:
        return web.json_response({"orders": toy.orders})

    async def set_url(request: web.Request) -> dict[str, str | None]:
        toy.webhook_url = (await request.json())["url"]
        return {"url": toy.webhook_url}

    def tick() -> None:
        toy.webhooks.fire_due()

    app = web.Application(middlewares=[gate])
    install_control(
        app,
        ControlParts(
            clock=toy.clock,
            faults=toy.faults,
            calls=toy.calls,
            webhooks=toy.webhooks,
            dialect=ControlDialect(),
            tick=tick,
        ),
    )
    add_control_routes(app.router, [("PUT", "/_sim/webhook_url", set_url)])
    app.router.add_post("/api/orders", create_order, name="orders.create")
    app.router.add_get("/api/orders", list_orders, name="orders.list")

    async def close(_: web.Application) -> AsyncIterator[None]:
        yield
        toy.stopping.set()
        await toy.webhooks.close()

    app.cleanup_ctx.append(close)
    return app


@dataclass
class Receiver:
    """A webhook receiver: answers `statuses` in turn (then 200) and keeps what it got."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    got = Receiver()

    async def receive(request: web.Request) -> web.Response:
        got.received.append((dict(request.headers), await request.read()))
        return web.Response(status=got.statuses.pop(0) if got.statuses else 200)

    app = web.Application()
    app.router.add_post("/hooks", receive)
    server = AppServer(app)
    got.url = await server.start() + "/hooks"
    try:
        yield got
    finally:
        await server.stop()


@dataclass
class Running:
    toy: Toy
    base_url: str
    session: aiohttp.ClientSession

    async def control(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        async with self.session.request(
            method, f"{self.base_url}/_sim/{path}", json=body
        ) as response:
            return response.status, await response.json()

    async def ok(self, method: str, path: str, body: object = None) -> dict[str, object]:
        status, answer = await self.control(method, path, body)
        assert status == 200, answer
        assert isinstance(answer, dict)
        return answer


@asynccontextmanager
async def running_toy() -> AsyncIterator[Running]:
    toy = Toy()
    server = AppServer(toy_app(toy))
    base_url = await server.start()
    try:
        async with aiohttp.ClientSession() as session:
            yield Running(toy, base_url, session)
    finally:
        await server.stop()
