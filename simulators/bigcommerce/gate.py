"""What every API call goes through, in order: the store hash, the ``X-Auth-Token``, the
token's scopes, the fixed rate window, an injected fault, then the handler; every answer
carries the ``X-Rate-Limit-*`` headers and lands in the call log."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from simulators.bigcommerce.errors import ApiError, render
from simulators.bigcommerce.store import STORE, Store
from simulators.kit import Fault, FaultKind, serve_with_fault

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
API_PREFIX = "/stores/"

#: The scope family each area needs; ``_read_only`` suffices for GET.
SCOPES = {
    "catalog": "store_v2_products",
    "inventory": "store_inventory",
    "orders": "store_v2_orders",
    "store": "store_v2_information",
}


def allowed(scopes: frozenset[str], endpoint: str, method: str) -> bool:
    family = SCOPES.get(endpoint.split(".", maxsplit=1)[0])
    if family is None:
        return False
    if family in scopes:
        return True
    return method == "GET" and f"{family}_read_only" in scopes


def _rate_headers(store: Store, left: int, reset_ms: int) -> dict[str, str]:
    return {
        "X-Rate-Limit-Time-Window-Ms": str(store.window.window_ms),
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "X-Rate-Limit-Requests-Quota": str(store.window.quota),
        "X-Rate-Limit-Requests-Left": str(left),
    }


def _refuser(request: web.Request, store: Store) -> Callable[[Fault], web.StreamResponse]:
    def refuse(fault: Fault) -> web.StreamResponse:
        if fault.kind is FaultKind.TIMEOUT:
            return render(request.path, 504, "Gateway Timeout")
        if fault.status == 429:  # noqa: PLR2004 throttled, with the window's reset
            wait_ms = int(1000 * (fault.retry_after if fault.retry_after is not None else 1.0))
            headers = _rate_headers(store, 0, wait_ms)
            return render(request.path, 429, "Too many requests", headers=headers)
        return render(request.path, fault.status or 500, "Internal Server Error")

    return refuse


async def _checked(request: web.Request, store: Store, endpoint: str) -> web.StreamResponse | None:
    """A refusal before the call is served, or None to go on."""
    if request.match_info.get("store_hash") != store.config.store_hash:
        return render(request.path, 404, "Store not found")
    token = request.headers.get("X-Auth-Token")
    scopes = store.tokens.get(token or "")
    if scopes is None:
        return render(request.path, 401, "Unauthorized: missing or invalid X-Auth-Token")
    if not allowed(scopes, endpoint, request.method):
        return render(request.path, 403, "You don't have a required scope to access the endpoint")
    return None


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    store = request.app[STORE]
    endpoint = request.match_info.route.name or "unknown"
    started = time.monotonic()
    fault = None
    response = await _checked(request, store, endpoint)
    if response is None:
        ok, left, reset_ms = store.window.take()
        headers = _rate_headers(store, left, reset_ms)
        if not ok:
            response = render(request.path, 429, "Too many requests", headers=headers)
        else:
            fault = store.faults.decide(endpoint)
            response = await serve_with_fault(
                request,
                fault,
                lambda: _serve(request, handler),
                _refuser(request, store),
                store.stopping,
            )
            for name, value in headers.items():
                response.headers.setdefault(name, value)
    store.calls.record(
        method=request.method,
        path=request.path,
        query=request.query,
        endpoint=endpoint,
        status=response.status,
        fault=None if fault is None else fault.name,
        duration_ms=(time.monotonic() - started) * 1000,
        extra={"store": store.config.store_hash},
    )
    store.tick()
    return response


async def _serve(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        return render(request.path, error.status, error.title, error.errors, details=error.details)
