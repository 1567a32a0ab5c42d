"""What every Admin API call passes through: API version, access token, the leaky bucket,
injected faults, error rendering and the call log."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web

from simulators.shopify.context import Shop, shop_of
from simulators.shopify.errors import INVALID_TOKEN, THROTTLED, ApiError, error_response
from simulators.shopify.faults import Fault

log = structlog.get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ADMIN_PREFIX = "/admin/api/"
_VERSION = re.compile(r"^\d{4}-(01|04|07|10)$")


def served_version(shop: Shop, asked: str) -> str | None:
    """The version that answers: itself when supported; a well-formed unsupported (retired)
    version falls forward to the oldest supported one; anything else is not found."""
    supported = shop.config.supported_versions
    if asked in supported or asked == "unstable":
        return asked
    if _VERSION.match(asked):
        return min(supported)
    return None


async def _hang(shop: Shop, seconds: float) -> None:
    try:
        await asyncio.wait_for(shop.stopping.wait(), timeout=seconds)
    except TimeoutError:
        return


async def _inject(shop: Shop, fault: Fault) -> web.StreamResponse | None:
    if fault.kind == "slow":
        await _hang(shop, fault.seconds)
        return None
    if fault.kind == "timeout":
        await _hang(shop, fault.seconds)
        return error_response(504, "Gateway Timeout")
    if fault.kind == "429":
        return error_response(429, THROTTLED, {"Retry-After": f"{fault.seconds:.1f}"})
    if fault.kind == "503":
        return error_response(503, "Service Unavailable")
    return error_response(500, "Internal Server Error")


async def _serve(
    shop: Shop, request: web.Request, handler: Handler, endpoint: str
) -> tuple[web.StreamResponse, str | None]:
    version = served_version(shop, request.match_info.get("version", ""))
    if version is None:
        return error_response(404, "Not Found"), None
    token = request.headers.get("X-Shopify-Access-Token", "")
    if token not in shop.tokens:
        return error_response(401, INVALID_TOKEN), None
    admission = shop.buckets.take(token)
    limit_header = {"X-Shopify-Shop-Api-Call-Limit": admission.header}
    if not admission.allowed:
        limit_header["Retry-After"] = f"{admission.retry_after:.1f}"
        return error_response(429, THROTTLED, limit_header), "bucket"
    fault = shop.faults.decide(endpoint)
    if fault is not None and fault.kind == "slow":
        # The request arrived whole: the work happens even if the client stops waiting.
        await request.read()
    response = None if fault is None else await _inject(shop, fault)
    if response is None:
        try:
            response = await handler(request)
        except ApiError as exc:
            response = exc.response()
        except web.HTTPException as exc:
            response = error_response(exc.status, exc.reason)
    response.headers.update(limit_header)
    response.headers["X-Shopify-API-Version"] = version
    return response, None if fault is None else fault.kind


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(ADMIN_PREFIX):
        return await handler(request)
    shop = shop_of(request)
    route = request.match_info.route
    endpoint = route.name or "unknown"
    try:
        response, fault = await _serve(shop, request, handler, endpoint)
    except Exception:
        log.exception("shopify_sim_handler_failed", endpoint=endpoint)
        shop.calls.add(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            endpoint=endpoint,
            status=500,
            at=shop.fmt(shop.now()),
            fault="crash",
        )
        raise
    shop.calls.add(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        endpoint=endpoint,
        status=response.status,
        at=shop.fmt(shop.now()),
        fault=fault,
    )
    return response
