"""What every API call passes through: the bearer token (expired or revoked: 401
``invalid_token``) and its scopes (403 ``insufficient_scope``), injected faults, the error
shape and the call log. No general request-rate limit is published, so none is kept here; a
429 comes only from an injected fault."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web

from simulators.commercetools.errors import CtError, error_response
from simulators.commercetools.routing import SCOPES
from simulators.commercetools.state import Project, project_of
from simulators.kit import CONTROL_PREFIX, Fault, FaultKind, serve_with_fault

log = structlog.get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HTTP_TOO_MANY_REQUESTS = 429
TOKEN_ENDPOINT = "oauth.token"  # noqa: S105 an endpoint name


def _refuse(fault: Fault) -> web.StreamResponse:
    if fault.kind is FaultKind.TIMEOUT:
        return error_response(504, "GatewayTimeout", "Gateway Timeout")
    if fault.status == HTTP_TOO_MANY_REQUESTS:
        wait = 1.0 if fault.retry_after is None else fault.retry_after
        return error_response(
            429, "TooManyRequests", "Too many requests.", headers={"Retry-After": f"{wait:g}"}
        )
    return error_response(fault.status, "General", "Internal server error.")


def allows(granted: tuple[str, ...], scope: str, project_key: str) -> bool:
    """``manage_project`` allows everything; ``manage_x`` allows ``view_x``."""
    wanted = {f"manage_project:{project_key}", f"{scope}:{project_key}"}
    if scope.startswith("view_"):
        wanted.add(f"manage_{scope.removeprefix('view_')}:{project_key}")
    return bool(wanted & set(granted))


def _refusal(project: Project, request: web.Request, endpoint: str) -> web.Response | None:
    if endpoint == TOKEN_ENDPOINT:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    rec = project.tokens.get(token) if scheme.lower() == "bearer" else None
    if rec is None or rec.expires_at <= project.clock.now():
        return error_response(401, "invalid_token", "invalid_token")
    scope = SCOPES[endpoint]
    if not allows(rec.scopes, scope, project.config.project_key):
        message = f"Insufficient scope. One of the following scopes is missing: {scope}"
        return error_response(403, "insufficient_scope", message)
    return None


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(CONTROL_PREFIX) or request.path.startswith("/cdn/"):
        return await handler(request)
    project = project_of(request)
    route = request.match_info.route
    endpoint = route.name or "unknown"
    started = time.perf_counter()
    fault_name = None
    if route.name is None:
        response: web.StreamResponse = error_response(
            404, "ResourceNotFound", f"The endpoint {request.path} was not found."
        )
    else:
        refused = _refusal(project, request, endpoint)
        if refused is not None:
            response = refused
        else:
            fault = project.faults.decide(endpoint)
            fault_name = None if fault is None else fault.name

            async def serve() -> web.StreamResponse:
                try:
                    return await handler(request)
                except CtError as exc:
                    return exc.response()
                except web.HTTPException as exc:
                    return error_response(exc.status, "General", exc.reason)

            response = await serve_with_fault(request, fault, serve, _refuse, project.stopping)
    project.calls.record(
        method=request.method,
        path=request.path,
        query=request.query,
        endpoint=endpoint,
        status=response.status,
        fault=fault_name,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
    return response
