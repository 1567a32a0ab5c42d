"""What every REST call passes through: the store code, the bearer token and the
integration's ACL resources, injected faults, Magento's error shape, the server's ``Date``
(on the simulator's clock) and the call log. Magento has no request-rate limit."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from email.utils import format_datetime

import structlog
from aiohttp import web

from simulators.kit import Fault, FaultKind, serve_with_fault
from simulators.magento.errors import (
    NO_ROUTE,
    NO_SUCH_STORE,
    NOT_AUTHORIZED,
    MagentoError,
    error_response,
)
from simulators.magento.routing import API_PREFIX, RESOURCES
from simulators.magento.state import MagentoStore, store_of

log = structlog.get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

HTTP_TOO_MANY_REQUESTS = 429
_INTERNAL = "Internal Error. Details are available in Magento log file. Report ID: webapi-sim"
_SCOPES = frozenset({"", "all", "default"})


def _refuse(fault: Fault) -> web.StreamResponse:
    """An injected error, or the gateway timeout that ends a held call."""
    if fault.kind is FaultKind.TIMEOUT:
        return error_response(504, "Gateway Timeout")
    if fault.status == HTTP_TOO_MANY_REQUESTS:
        wait = 1.0 if fault.retry_after is None else fault.retry_after
        return error_response(429, "Too Many Requests", headers={"Retry-After": f"{wait:g}"})
    return error_response(fault.status, _INTERNAL)


def _refusal(store: MagentoStore, request: web.Request, endpoint: str) -> web.Response | None:
    """The answer to a call that may not run: unknown store code, token, ACL resource."""
    scope = request.match_info.get("scope", "").lstrip("/")
    if scope not in _SCOPES and scope != store.config.store_code:
        return error_response(400, NO_SUCH_STORE)
    resource = RESOURCES.get(endpoint)
    if resource is None:
        return error_response(404, NO_ROUTE)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    known = scheme.lower() == "bearer" and token in store.tokens
    allowed = known and store.config.integration_as_bearer and resource in store.resources
    if not allowed:
        return error_response(401, NOT_AUTHORIZED, {"resources": resource})
    return None


async def _serve(
    store: MagentoStore, request: web.Request, handler: Handler, endpoint: str
) -> tuple[web.StreamResponse, str | None]:
    refused = _refusal(store, request, endpoint)
    if refused is not None:
        return refused, None
    fault = store.faults.decide(endpoint)

    async def serve() -> web.StreamResponse:
        try:
            return await handler(request)
        except MagentoError as exc:
            return exc.response()
        except web.HTTPException as exc:
            return error_response(exc.status, exc.reason)

    response = await serve_with_fault(request, fault, serve, _refuse, store.stopping)
    return response, None if fault is None else fault.name


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX + "/"):
        return await handler(request)
    store = store_of(request)
    route = request.match_info.route
    endpoint = route.name or "unknown"
    started = time.perf_counter()
    try:
        if route.name is None:
            response: web.StreamResponse = error_response(404, NO_ROUTE)
            fault = None
        else:
            response, fault = await _serve(store, request, handler, endpoint)
    except Exception:
        log.exception("magento_sim_handler_failed", endpoint=endpoint)
        raise
    if not response.prepared:
        response.headers["Date"] = format_datetime(store.now(), usegmt=True)
    store.calls.record(
        method=request.method,
        path=request.path,
        query=request.query,
        endpoint=endpoint,
        status=response.status,
        fault=fault,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    return response
