"""The ``/_sim/`` scaffolding every simulator shares.

`install_control` adds, once, the routes that work the same on every platform (the clock,
faults, the call log, webhook deliveries) and a middleware for every ``/_sim/`` path that fires
due events before and after each control call and answers every failure as JSON (a bad body is
a 400 naming what is wrong, never a 500). `add_control_routes` adds a platform's own routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import structlog
from aiohttp import web
from pydantic import Field

from simulators.kit.calls import CallLog
from simulators.kit.clock import SimClock
from simulators.kit.dialect import ControlBody, ControlDialect
from simulators.kit.faults import FaultInjector
from simulators.kit.jsonio import (
    HTTP_BAD_REQUEST,
    ControlError,
    not_found,
    read_json,
    read_model,
    reply,
)
from simulators.kit.store import STORE_PREFIX
from simulators.kit.webhooks import DeliveryPolicy, WebhookSender

log = structlog.get_logger(__name__)

CONTROL_PREFIX = "/_sim/"
DEFAULT_DRAIN_SECONDS = 5.0
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ControlHandler = Callable[[web.Request], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class ControlParts:
    """What the common routes work on. `tick` fires whatever fell due on the clock."""

    clock: SimClock
    faults: FaultInjector
    calls: CallLog
    webhooks: WebhookSender
    dialect: ControlDialect
    tick: Callable[[], None]


PARTS = web.AppKey("sim_control_parts", ControlParts)
_KIT_WORDS = ControlDialect()


class AdvanceIn(ControlBody):
    seconds: float = Field(ge=0)


class SetClockIn(ControlBody):
    now: float = Field(ge=0)


class SeedIn(ControlBody):
    seed: int


class DrainIn(ControlBody):
    timeout: float = Field(default=DEFAULT_DRAIN_SECONDS, ge=0, le=60)


class PolicyIn(ControlBody):
    retry_delays_seconds: list[float] | None = None
    timeout_seconds: float | None = Field(default=None, gt=0)
    redeliver_every: int | None = Field(default=None, ge=0)
    redeliver_after_seconds: float | None = Field(default=None, ge=0)


def install_control(app: web.Application, parts: ControlParts) -> None:
    """Add the control middleware and the common routes (before any catch-all route)."""
    app[PARTS] = parts
    app.middlewares.append(_control_middleware)
    add_control_routes(
        app.router,
        [
            ("GET", "/_sim/clock", _get_clock),
            ("POST", "/_sim/clock", _set_clock),
            ("POST", "/_sim/clock/advance", _advance_clock),
            ("GET", "/_sim/faults", _get_faults),
            ("POST", "/_sim/faults", _replace_faults),
            ("PUT", "/_sim/faults", _set_fault_rule),
            ("DELETE", "/_sim/faults", _clear_faults),
            ("PUT", "/_sim/faults/seed", _reseed_faults),
            ("GET", "/_sim/calls", _get_calls),
            ("DELETE", "/_sim/calls", _clear_calls),
            ("GET", "/_sim/webhooks/deliveries", _get_deliveries),
            ("POST", "/_sim/webhooks/drain", _drain_webhooks),
            ("GET", "/_sim/webhooks/policy", _get_policy),
            ("PUT", "/_sim/webhooks/policy", _set_policy),
            ("POST", "/_sim/webhooks/{delivery_id}/redeliver", _redeliver),
        ],
    )


def add_control_routes(
    router: web.UrlDispatcher, routes: Iterable[tuple[str, str, ControlHandler]]
) -> None:
    """Add control routes whose handlers answer a JSON-able value (or a ready response)."""
    for method, path, handler in routes:
        router.add_route(method, path, _answering_json(handler))


def _answering_json(handler: ControlHandler) -> Handler:
    async def answer(request: web.Request) -> web.StreamResponse:
        result = await handler(request)
        return result if isinstance(result, web.StreamResponse) else reply(result)

    return answer


@web.middleware
async def _control_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(CONTROL_PREFIX):
        return await handler(request)
    parts = request.app[PARTS]
    # The neutral store API answers in the kit's words whatever the platform's dialect.
    neutral = request.path.startswith(STORE_PREFIX + "/")
    parts.tick()
    response = await _answer(_KIT_WORDS if neutral else parts.dialect, request, handler)
    parts.tick()
    return response


async def _answer(
    dialect: ControlDialect, request: web.Request, handler: Handler
) -> web.StreamResponse:
    try:
        return await handler(request)
    except ControlError as error:
        return dialect.error(error)
    except web.HTTPException as exc:  # no such control route, or not with this method
        message = f"{request.method} {request.path}: {exc.reason}"
        return dialect.error(ControlError(exc.status, message))
    except Exception as exc:  # every failure answers JSON; only a bug is a 500
        translated = dialect.translate(exc)
        if translated is not None:
            return translated
        if isinstance(exc, ValueError):
            return dialect.error(ControlError(HTTP_BAD_REQUEST, str(exc)))
        log.exception("sim_control_failed", path=request.path)
        return dialect.error(ControlError(500, f"the simulator failed: {type(exc).__name__}"))


def _parts(request: web.Request) -> ControlParts:
    return request.app[PARTS]


async def _get_clock(request: web.Request) -> Any:
    parts = _parts(request)
    return parts.dialect.clock(parts.clock)


async def _set_clock(request: web.Request) -> Any:
    parts = _parts(request)
    parts.clock.set((await read_model(request, SetClockIn)).now)
    parts.tick()
    return parts.dialect.clock(parts.clock)


async def _advance_clock(request: web.Request) -> Any:
    parts = _parts(request)
    parts.clock.advance((await read_model(request, AdvanceIn)).seconds)
    parts.tick()
    return parts.dialect.clock(parts.clock)


async def _get_faults(request: web.Request) -> Any:
    parts = _parts(request)
    return parts.dialect.faults(parts.faults)


async def _replace_faults(request: web.Request) -> Any:
    parts = _parts(request)
    parts.faults.replace(parts.dialect.fault_plan(await read_json(request)))
    return parts.dialect.faults(parts.faults)


async def _set_fault_rule(request: web.Request) -> Any:
    parts = _parts(request)
    parts.faults.set_rule(parts.dialect.fault_rule(await read_json(request)))
    return parts.dialect.faults(parts.faults)


async def _clear_faults(request: web.Request) -> Any:
    parts = _parts(request)
    parts.faults.clear(request.query.get(parts.dialect.endpoint_param))
    return parts.dialect.faults(parts.faults)


async def _reseed_faults(request: web.Request) -> Any:
    parts = _parts(request)
    seed = (await read_model(request, SeedIn)).seed
    parts.faults.reseed(seed)
    return {"seed": seed}


async def _get_calls(request: web.Request) -> Any:
    parts = _parts(request)
    return parts.dialect.calls(parts.calls.select(parts.dialect.call_query(request.query)))


async def _clear_calls(request: web.Request) -> Any:
    parts = _parts(request)
    parts.calls.clear()
    return parts.dialect.calls([])


async def _get_deliveries(request: web.Request) -> Any:
    parts = _parts(request)
    return parts.dialect.deliveries(parts.webhooks)


async def _drain_webhooks(request: web.Request) -> Any:
    parts = _parts(request)
    timeout = (await read_model(request, DrainIn)).timeout
    parts.tick()
    return {"drained": await parts.webhooks.drain(timeout)}


def _policy_json(policy: DeliveryPolicy) -> dict[str, Any]:
    return {
        "retry_delays_seconds": list(policy.retry_delays_seconds),
        "timeout_seconds": policy.timeout_seconds,
        "redeliver_every": policy.redeliver_every,
        "redeliver_after_seconds": policy.redeliver_after_seconds,
    }


async def _get_policy(request: web.Request) -> Any:
    return _policy_json(_parts(request).webhooks.policy)


async def _set_policy(request: web.Request) -> Any:
    sender = _parts(request).webhooks
    given = await read_model(request, PolicyIn)
    changes = given.model_dump(exclude_none=True)
    if "retry_delays_seconds" in changes:
        changes["retry_delays_seconds"] = tuple(changes["retry_delays_seconds"])
    sender.policy = replace(sender.policy, **changes)
    return _policy_json(sender.policy)


async def _redeliver(request: web.Request) -> Any:
    parts = _parts(request)
    delivery_id = request.match_info["delivery_id"]
    try:
        attempt = parts.webhooks.redeliver(delivery_id)
    except KeyError:
        raise not_found(f"no delivery {delivery_id!r}") from None
    return parts.dialect.attempt(attempt)
