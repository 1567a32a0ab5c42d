"""The instance's WebDAV server: WsgiDAV (the real server, unmodified) on the simulator's
aiohttp application, with Basic authentication by the Business Manager user and WebDAV
access key; and the gate every WebDAV call passes first (revoked keys, injected faults, the
server's ``Date`` on the simulator's clock, the call log, and the order import job run on
each order file put)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import time
from collections.abc import Awaitable, Callable
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp_wsgi.wsgi import WSGIHandler
from aiohttp_wsgi.wsgi import _run_application as run_application
from wsgidav.wsgidav_app import WsgiDAVApp

from simulators.kit import Fault, FaultKind, serve_with_fault
from simulators.sfcc.config import DAV_ROOT
from simulators.sfcc.order_import import import_file
from simulators.sfcc.state import SIM, SfccState

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HTTP_TOO_MANY_REQUESTS = 429


def dav_app(state: SfccState) -> WsgiDAVApp:
    config = state.config
    return WsgiDAVApp(
        {
            "provider_mapping": {"/": str(state.root)},
            "mount_path": DAV_ROOT,
            "simple_dc": {
                "user_mapping": {"*": {config.username: {"password": config.access_key}}}
            },
            "http_authenticator": {
                "domain_controller": None,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "dir_browser": {"enable": False},
            "lock_storage": True,
            "property_manager": True,
            "verbose": 1,
            "logging": {"enable": False},
        }
    )


ENVIRON = web.RequestKey("sfcc_wsgi_environ", dict[str, Any])


class _BufferedWsgi(WSGIHandler):
    """aiohttp-wsgi's adapter, with the WSGI environ built as the call arrives (the gate
    builds it first), so a call held by a slow fault is still served whole after its client
    has gone, as a real server finishes a request it has read."""

    async def environ_of(self, request: web.Request) -> dict[str, Any]:
        body = await request.read()
        environ: dict[str, Any] = self._get_environ(request, io.BytesIO(body), len(body))
        return environ

    async def handle_request(self, request: web.Request) -> web.Response:
        environ = request.get(ENVIRON) or await self.environ_of(request)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, run_application, self._application, environ)


DAV = web.AppKey("sfcc_dav", _BufferedWsgi)


def add_routes(app: web.Application, state: SfccState) -> None:
    handler = _BufferedWsgi(dav_app(state))
    app[DAV] = handler
    app.router.add_route("*", DAV_ROOT + "/{path_info:.*}", handler.handle_request, name="dav")


def endpoint_of(state: SfccState, method: str, path: str) -> str:
    """How the call log and fault rules name a WebDAV call."""
    inside = path.removeprefix(DAV_ROOT).strip("/")
    folder, _, name = inside.rpartition("/")
    if method == "PUT" and folder == state.config.orders_folder:
        is_update = "_status_" in name or name.endswith("_cancel.xml")
        return "orders.update" if is_update else "orders.create"
    return f"webdav.{method.lower()}"


def _refuse(fault: Fault) -> web.StreamResponse:
    if fault.kind is FaultKind.TIMEOUT:
        return web.Response(status=504, text="Gateway Timeout")
    headers: dict[str, str] = {}
    if fault.status == HTTP_TOO_MANY_REQUESTS:
        headers["Retry-After"] = f"{1.0 if fault.retry_after is None else fault.retry_after:g}"
    return web.Response(status=fault.status, text="Service Unavailable", headers=headers)


def _revoked(state: SfccState, request: web.Request) -> bool:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        _, _, password = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return password in state.merchant.revoked


def _import_after_put(state: SfccState, request: web.Request, endpoint: str) -> None:
    inside = request.path.removeprefix(DAV_ROOT).strip("/")
    if endpoint.startswith("orders."):
        import_file(state.merchant, Path(state.root) / inside)


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(DAV_ROOT + "/"):
        return await handler(request)
    state = request.app[SIM]
    endpoint = endpoint_of(state, request.method, request.path)
    started = time.perf_counter()
    request[ENVIRON] = await request.app[DAV].environ_of(request)
    fault: Fault | None = None
    if _revoked(state, request):
        response: web.StreamResponse = web.Response(
            status=401, text="Unauthorized", headers={"WWW-Authenticate": 'Basic realm="/"'}
        )
    else:
        fault = state.faults.decide(endpoint)

        async def serve() -> web.StreamResponse:
            answer = await handler(request)
            if request.method == "PUT" and answer.status in {200, 201, 204}:
                _import_after_put(state, request, endpoint)
            return answer

        response = await serve_with_fault(request, fault, serve, _refuse, state.stopping)
    if not response.prepared:
        response.headers["Date"] = format_datetime(state.clock.moment(), usegmt=True)
    state.calls.record(
        method=request.method,
        path=request.path,
        query=request.query,
        endpoint=endpoint,
        status=response.status,
        fault=None if fault is None else fault.name,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    return response
