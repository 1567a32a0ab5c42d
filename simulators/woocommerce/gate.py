"""What every REST call passes through: authentication, injected faults, WooCommerce's error
shapes and the call log. WooCommerce core has no rate limit; only injected faults throttle."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web

from simulators.kit import Fault, FaultKind, serve_with_fault
from simulators.woocommerce.context import store_of
from simulators.woocommerce.errors import NO_ROUTE, WooError, error_response
from simulators.woocommerce.state import Store

log = structlog.get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REST_PREFIX = "/wp-json/"
PUBLIC_PATHS = frozenset({"/wp-json", "/wp-json/"})
HTTP_TOO_MANY_REQUESTS = 429
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


def _refuse(fault: Fault) -> web.StreamResponse:
    """An injected failure as a web server in front of WordPress would answer it."""
    if fault.kind is FaultKind.TIMEOUT:
        return error_response(504, "gateway_timeout", "Gateway Timeout")
    if fault.status == HTTP_TOO_MANY_REQUESTS:
        wait = 1.0 if fault.retry_after is None else fault.retry_after
        headers = {"Retry-After": f"{wait:.2f}"}
        return error_response(429, "too_many_requests", "Too Many Requests", headers=headers)
    reason = REASONS.get(fault.status, "Internal Server Error")
    return error_response(fault.status, "http_error", reason)


def signed_url(request: web.Request) -> str:
    """The URL OAuth signs: the site's address and the path, without the query."""
    return f"{request.scheme}://{request.host}{request.path}"


async def _serve(
    store: Store, request: web.Request, handler: Handler, endpoint: str
) -> tuple[web.StreamResponse, str | None]:
    if request.match_info.http_exception is not None:
        return NO_ROUTE.response(), None
    query = dict(request.query.items())  # a repeated parameter counts once, the last one wins
    try:
        store.keys.check(
            method=request.method,
            url=signed_url(request),
            secure=request.secure,
            authorization=request.headers.get("Authorization"),
            query=query,
        )
    except WooError as refused:
        return refused.response(), None
    fault = store.faults.decide(endpoint)

    async def serve() -> web.StreamResponse:
        try:
            return await handler(request)
        except WooError as exc:
            return exc.response()

    response = await serve_with_fault(request, fault, serve, _refuse, store.stopping)
    return response, None if fault is None else fault.name


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(REST_PREFIX) or request.path in PUBLIC_PATHS:
        return await handler(request)
    store = store_of(request)
    endpoint = request.match_info.route.name or "unknown"
    started = time.perf_counter()
    try:
        response, fault = await _serve(store, request, handler, endpoint)
    except Exception:
        log.exception("woocommerce_sim_handler_failed", endpoint=endpoint)
        _record(store, request, endpoint, 500, "crash", started)
        raise
    _record(store, request, endpoint, response.status, fault, started)
    return response


def _record(  # noqa: PLR0917 one call log line, its parts named at the two call sites
    store: Store,
    request: web.Request,
    endpoint: str,
    status: int,
    fault: str | None,
    started: float,
) -> None:
    store.calls.record(
        method=request.method,
        path=request.path,
        query=request.query,
        endpoint=endpoint,
        status=status,
        fault=fault,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
