"""The Open API gateway: what every call must get right before a handler sees it.

Order of checks: path/method/version, ``app_key``, presence of ``sign``, ``timestamp`` window
(-5 min / +30 s on the simulator clock), ``sign`` (lower-case hex over the exact bytes),
content type, ``x-tts-access-token``, ``shop_cipher`` rules, rate limit, injected faults.
"""

from __future__ import annotations

import time
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

import structlog
from aiohttp import web

from daemon.connectors.tiktok.signing import body_for_signature, verify_request
from simulators.kit import Fault, FaultKind, serve_with_fault
from simulators.tiktok.context import FormPart, RequestContext
from simulators.tiktok.envelope import failure, success
from simulators.tiktok.errors import (
    BAD_BODY_FORMAT,
    EXPIRED_TOKEN,
    FILE_TOO_BIG,
    HTTP_BAD_REQUEST,
    HTTP_INTERNAL_ERROR,
    HTTP_TOO_MANY_REQUESTS,
    INTERNAL_ERROR,
    INVALID_SIGN,
    MUST_BE_MULTIPART,
    REQUEST_TIMEOUT,
    SCOPE_MISSING,
    SHOP_CIPHER_MISSING,
    TOKEN_SHOP_MISMATCH,
    TOO_MANY_REQUESTS,
    ApiError,
    gateway_error,
)
from simulators.tiktok.model import Grant, Shop
from simulators.tiktok.routing import BodyKind, Match, ShopScope
from simulators.tiktok.scopes import REQUIRED_SCOPE
from simulators.tiktok.simulation import SIMULATION, Simulation
from simulators.tiktok.state import SimState

MAX_PAST_SECONDS = 300
MAX_FUTURE_SECONDS = 30
AUTH_HEADER_NAME = "x-tts-access-token"
JSON_TYPE = "application/json"
MULTIPART_TYPE = "multipart/form-data"
log = structlog.get_logger(__name__)


def _query(request: web.Request) -> dict[str, str]:
    """One decoded value per key (the first, as the official samples read it)."""
    return {key: request.query.getone(key) for key in request.query}


def _check_credentials(state: SimState, query: dict[str, str]) -> None:
    if query.get("app_key") != state.config.app_key:
        raise gateway_error("Invalid credentials. Invalid `app_key` query parameter.")
    if not query.get("sign"):
        raise gateway_error(
            "Missing credentials. The request does not include a required signature in the query."
        )
    raw = query.get("timestamp", "")
    timestamp = int(raw) if raw.isdigit() else -1
    if timestamp < 0:
        raise gateway_error(
            "Invalid timestamp. The value of the `timestamp` query parameter must not be lesser "
            "than 0."
        )
    real = state.config.timestamp_reference == "real"
    now = time.time() if real else state.clock.now()
    if timestamp < now - MAX_PAST_SECONDS:
        raise gateway_error(
            "Invalid timestamp. The value of the `timestamp` query parameter must not be earlier "
            "than 5 minutes before the current time."
        )
    if timestamp > now + MAX_FUTURE_SECONDS:
        raise gateway_error(
            "Invalid timestamp. The value of the `timestamp` query parameter must not exceed the "
            "current time by more than 30 seconds."
        )


def _check_signature(
    state: SimState, request: web.Request, query: dict[str, str], body: bytes
) -> None:
    signed = body_for_signature(request.headers.get("Content-Type"), body)
    if not verify_request(state.config.app_secret, request.path, query, signed, query["sign"]):
        raise ApiError(INVALID_SIGN)


def _media_type(request: web.Request) -> str:
    return request.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _parse_form(content_type: str, body: bytes) -> dict[str, FormPart]:
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message: Message = BytesParser(policy=HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise ApiError(MUST_BE_MULTIPART)
    parts: dict[str, FormPart] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        parts[name] = FormPart(
            name=name,
            filename=part.get_filename(),
            content_type=part.get_content_type(),
            data=payload if isinstance(payload, bytes) else b"",
        )
    return parts


def _check_body(match: Match, request: web.Request, body: bytes) -> dict[str, FormPart]:
    media_type = _media_type(request)
    if match.route.body is BodyKind.MULTIPART:
        if media_type != MULTIPART_TYPE:
            raise ApiError(MUST_BE_MULTIPART)
        return _parse_form(request.headers["Content-Type"], body)
    if match.route.body is BodyKind.JSON and media_type != JSON_TYPE:
        raise ApiError(BAD_BODY_FORMAT)
    return {}


def _grant(state: SimState, request: web.Request) -> Grant:
    token = request.headers.get(AUTH_HEADER_NAME, "")
    grant = state.grants_by_access.get(token) if token else None
    if grant is None or grant.revoked:
        raise gateway_error("Invalid credentials. The `x-tts-access-token` header is invalid.")
    if grant.access_expires_at <= state.now():
        raise ApiError(EXPIRED_TOKEN)
    return grant


def _shop(state: SimState, match: Match, query: dict[str, str], grant: Grant) -> Shop | None:
    cipher = query.get("shop_cipher")
    if match.route.shop is ShopScope.FORBIDDEN:
        if cipher is not None:
            raise gateway_error(
                "Unexpected identifier. The `shop_cipher` query parameter is not required for "
                "this request.",
                status=HTTP_BAD_REQUEST,
            )
        return None
    if not cipher:
        raise ApiError(SHOP_CIPHER_MISSING)
    shop = state.shops_by_cipher.get(cipher)
    if shop is None:
        raise gateway_error(
            "Invalid identifier. The `shop_cipher` query parameter is invalid.",
            status=HTTP_BAD_REQUEST,
        )
    if shop.shop_id not in grant.shop_ids:
        raise ApiError(TOKEN_SHOP_MISMATCH)
    return shop


def _fault_error(fault: Fault) -> ApiError:
    """An injected failure in TikTok's words (the gateway timeout ends a held call)."""
    if fault.kind is FaultKind.TIMEOUT:
        return ApiError(REQUEST_TIMEOUT)
    if fault.status == HTTP_TOO_MANY_REQUESTS:
        return ApiError(TOO_MANY_REQUESTS)
    if fault.status == HTTP_INTERNAL_ERROR:
        return ApiError(INTERNAL_ERROR)
    return ApiError(INTERNAL_ERROR, status=fault.status)


async def _prepare(
    sim: Simulation, match: Match, request: web.Request, body: bytes
) -> RequestContext:
    state = sim.state
    query = _query(request)
    _check_credentials(state, query)
    _check_signature(state, request, query, body)
    form = _check_body(match, request, body)
    grant = _grant(state, request)
    if REQUIRED_SCOPE[match.route.operation] not in grant.scopes:
        raise ApiError(SCOPE_MISSING)
    shop = _shop(state, match, query, grant)
    scope = shop.shop_id if shop is not None else f"app:{grant.open_id}"
    if not state.limiter.allow(scope, match.route.operation):
        raise ApiError(TOO_MANY_REQUESTS)
    return RequestContext(
        state=state,
        method=request.method,
        path=request.path,
        version=match.version,
        params=match.params,
        query=query,
        body=body,
        content_type=request.headers.get("Content-Type", ""),
        grant=grant,
        shop_or_none=shop,
        form=form,
    )


def _crashed(sim: Simulation, operation: str) -> web.StreamResponse:
    """A handler bug answers 500; it never takes the simulator down."""
    return failure(ApiError(INTERNAL_ERROR), now=sim.state.clock.now(), operation=operation)


def _answer(sim: Simulation, match: Match, ctx: RequestContext) -> web.StreamResponse:
    operation = match.route.operation
    try:
        data = match.route.handler(ctx)
    except ApiError as error:
        return failure(error, now=sim.state.clock.now(), operation=operation)
    except Exception:  # a handler bug must answer 500, never take the simulator down
        log.exception("simulator handler failed", path=ctx.path, operation=operation)
        return _crashed(sim, operation)
    return success(data, now=sim.state.clock.now(), operation=operation)


async def handle_open_api(request: web.Request) -> web.StreamResponse:
    sim = request.app[SIMULATION]
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return failure(ApiError(FILE_TOO_BIG), now=sim.state.clock.now())
    sim.tick()
    operation = ""
    try:
        match = sim.routes.resolve(request.method, request.path)
        operation = match.route.operation
        ctx = await _prepare(sim, match, request, body)
    except ApiError as error:
        response: web.StreamResponse = failure(
            error, now=sim.state.clock.now(), operation=operation
        )
    except Exception:  # a bug in the checks must answer 500 too
        log.exception("simulator gateway failed", path=request.path, operation=operation)
        response = _crashed(sim, operation)
    else:

        async def serve() -> web.StreamResponse:
            return _answer(sim, match, ctx)

        def refuse(fault: Fault) -> web.StreamResponse:
            return failure(_fault_error(fault), now=sim.state.clock.now(), operation=operation)

        fault = sim.state.faults.decide(operation)
        response = await serve_with_fault(request, fault, serve, refuse, sim.stopping)
    sim.flush()
    return response
