"""What every Admin API call passes through: API version, access token, the leaky bucket
(REST calls; GraphQL pays in points, see `graphql_api`), injected faults, error rendering
and the call log. An answer from another version than the one asked for (a retired version
falls forward) carries Shopify's deprecation header.

A REST call is named by its route (``orders.create``); a GraphQL call by the root fields of
its operation (``graphql.orderCreate``, ``graphql.orders``; several joined by ``+``), or
``graphql`` when its body cannot be read: faults and the call log use these names."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse

from simulators.kit import Fault, FaultKind, serve_with_fault
from simulators.shopify.context import Shop, shop_of
from simulators.shopify.errors import INVALID_TOKEN, THROTTLED, ApiError, error_response

log = structlog.get_logger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ADMIN_PREFIX = "/admin/api/"
HTTP_TOO_MANY_REQUESTS = 429
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
GRAPHQL_ENDPOINT = "graphql"
DEPRECATED_REASON = "https://shopify.dev/api/usage/versioning#deprecation-practices"
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


def _refuse(fault: Fault) -> web.StreamResponse:
    """An injected error, or the gateway timeout that ends a held call, in Shopify's words."""
    if fault.kind is FaultKind.TIMEOUT:
        return error_response(504, "Gateway Timeout")
    if fault.status == HTTP_TOO_MANY_REQUESTS:
        retry_after = 1.0 if fault.retry_after is None else fault.retry_after
        return error_response(fault.status, THROTTLED, {"Retry-After": f"{retry_after:.1f}"})
    return error_response(fault.status, REASONS.get(fault.status, "Internal Server Error"))


async def graphql_name(request: web.Request) -> str:
    """``graphql.<root field>`` for a GraphQL call (its body is read once and kept)."""
    raw = await request.read()
    query: object = raw.decode("utf-8", "replace")
    wanted: object = None
    if request.content_type != "application/graphql":
        try:
            body = json.loads(raw)
        except ValueError:
            return GRAPHQL_ENDPOINT
        query = body.get("query") if isinstance(body, dict) else None
        wanted = body.get("operationName") if isinstance(body, dict) else None
    if not isinstance(query, str):
        return GRAPHQL_ENDPOINT
    try:
        document = parse(query)
    except GraphQLError:
        return GRAPHQL_ENDPOINT
    chosen = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (wanted is None or (d.name is not None and d.name.value == wanted))
    ]
    if len(chosen) != 1:
        return GRAPHQL_ENDPOINT
    fields = [s.name.value for s in chosen[0].selection_set.selections if isinstance(s, FieldNode)]
    return f"{GRAPHQL_ENDPOINT}.{'+'.join(fields)}" if fields else GRAPHQL_ENDPOINT


async def _serve(
    shop: Shop, request: web.Request, handler: Handler, endpoint: str
) -> tuple[web.StreamResponse, str | None]:
    version = served_version(shop, request.match_info.get("version", ""))
    if version is None:
        return error_response(404, "Not Found"), None
    token = request.headers.get("X-Shopify-Access-Token", "")
    if token not in shop.tokens:
        return error_response(401, INVALID_TOKEN), None
    limit_header: dict[str, str] = {}
    if not endpoint.startswith(GRAPHQL_ENDPOINT):
        admission = shop.buckets.take(token)
        limit_header["X-Shopify-Shop-Api-Call-Limit"] = admission.header
        if not admission.allowed:
            limit_header["Retry-After"] = f"{admission.retry_after:.1f}"
            return error_response(429, THROTTLED, limit_header), "bucket"
    fault = shop.faults.decide(endpoint)

    async def serve() -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiError as exc:
            return exc.response()
        except web.HTTPException as exc:
            return error_response(exc.status, exc.reason)

    response = await serve_with_fault(request, fault, serve, _refuse, shop.stopping)
    response.headers.update(limit_header)
    response.headers["X-Shopify-API-Version"] = version
    if version != request.match_info.get("version"):
        response.headers["X-Shopify-API-Deprecated-Reason"] = DEPRECATED_REASON
    return response, None if fault is None else fault.name


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(ADMIN_PREFIX):
        return await handler(request)
    shop = shop_of(request)
    route = request.match_info.route
    endpoint = route.name or "unknown"
    if endpoint == GRAPHQL_ENDPOINT:
        endpoint = await graphql_name(request)
    started = time.perf_counter()
    try:
        response, fault = await _serve(shop, request, handler, endpoint)
    except Exception:
        log.exception("shopify_sim_handler_failed", endpoint=endpoint)
        shop.calls.record(
            method=request.method,
            path=request.path,
            query=request.query,
            endpoint=endpoint,
            status=500,
            fault="crash",
            duration_ms=_since(started),
        )
        raise
    shop.calls.record(
        method=request.method,
        path=request.path,
        query=request.query,
        endpoint=endpoint,
        status=response.status,
        fault=fault,
        duration_ms=_since(started),
    )
    return response


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
