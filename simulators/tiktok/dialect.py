"""The TikTok simulator's words for the kit's common ``/_sim/`` routes (clock, faults, calls,
webhook deliveries), kept as they were before the kit: ``{"error"}`` bodies (409 with the
business ``code`` for a refused action), Unix-second times, one fault spec per operation,
calls with their business code, deliveries by ``notification_id``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web
from pydantic import Field

from simulators.kit import (
    Attempt,
    Call,
    CallQuery,
    Chance,
    ControlBody,
    ControlDialect,
    ControlError,
    Fault,
    FaultInjector,
    FaultKind,
    FaultPlan,
    FaultRule,
    JsonObject,
    SimClock,
    WebhookSender,
    parse_model,
    query_int,
    reply,
)
from simulators.tiktok.errors import ApiError
from simulators.tiktok.rate_limit import ALL_OPERATIONS

HTTP_CONFLICT = 409
MAX_HANG_SECONDS = 120.0


class FaultSpec(ControlBody):
    """Per-endpoint fault probabilities; `count` limits the spec to the next N requests."""

    operation: str = ALL_OPERATIONS
    p_500: float = Field(default=0.0, ge=0.0, le=1.0)
    p_503: float = Field(default=0.0, ge=0.0, le=1.0)
    p_timeout: float = Field(default=0.0, ge=0.0, le=1.0)
    p_slow: float = Field(default=0.0, ge=0.0, le=1.0)
    p_drop: float = Field(default=0.0, ge=0.0, le=1.0)
    slow_seconds: float = Field(default=1.0, ge=0.0, le=MAX_HANG_SECONDS)
    timeout_seconds: float = Field(default=10.0, ge=0.0, le=MAX_HANG_SECONDS)
    count: int | None = Field(default=None, ge=1)

    def rule(self) -> FaultRule:
        chances = (
            Chance(Fault(FaultKind.ERROR, status=500), self.p_500),
            Chance(Fault(FaultKind.ERROR, status=503), self.p_503),
            Chance(Fault(FaultKind.TIMEOUT, seconds=self.timeout_seconds), self.p_timeout),
            Chance(Fault(FaultKind.SLOW, seconds=self.slow_seconds), self.p_slow),
            Chance(Fault(FaultKind.DROP), self.p_drop),
        )
        return FaultRule(self.operation, chances, self.count)


class FaultsIn(ControlBody):
    seed: int | None = None
    faults: list[FaultSpec] = Field(default_factory=list)


def spec_json(rule: FaultRule) -> JsonObject:
    """A rule as the spec it was given as."""
    spec = FaultSpec(operation=rule.endpoint, count=rule.count).model_dump()
    for chance in rule.chances:
        fault = chance.fault
        if fault.kind is FaultKind.ERROR:
            spec[f"p_{fault.status}"] = chance.probability
        elif fault.kind is FaultKind.TIMEOUT:
            spec["p_timeout"], spec["timeout_seconds"] = chance.probability, fault.seconds
        elif fault.kind is FaultKind.SLOW:
            spec["p_slow"], spec["slow_seconds"] = chance.probability, fault.seconds
        else:
            spec["p_drop"] = chance.probability
    return spec


class TikTokDialect(ControlDialect):
    endpoint_param = "operation"

    def error(self, error: ControlError) -> web.Response:
        return reply({"error": error.message}, error.status)

    def translate(self, exc: Exception) -> web.Response | None:
        if isinstance(exc, ApiError):
            return reply({"error": exc.message, "code": exc.code}, HTTP_CONFLICT)
        return None

    def time(self, at: float) -> Any:
        return at

    def clock(self, clock: SimClock) -> JsonObject:
        return {"now": clock.now(), "offset": clock.offset}

    def fault_plan(self, body: Any) -> FaultPlan:
        given = parse_model(body, FaultsIn)
        return FaultPlan(rules=[spec.rule() for spec in given.faults], seed=given.seed)

    def fault_rule(self, body: Any) -> FaultRule:
        return parse_model(body, FaultSpec).rule()

    def faults(self, injector: FaultInjector) -> JsonObject:
        return {"faults": [spec_json(entry.rule) for entry in injector.active()]}

    def call_query(self, query: Mapping[str, str]) -> CallQuery:
        code = query_int(query, "code")
        return CallQuery(
            endpoint=query.get("operation"),
            method=query.get("method"),
            path_prefix=query.get("path"),
            status=query_int(query, "status"),
            since=float(query.get("since", "0") or 0),
            extra={} if code is None else {"code": code},
            limit=query_int(query, "limit"),
        )

    def calls(self, calls: list[Call]) -> JsonObject:
        return {
            "calls": [
                {
                    "at": call.at,
                    "method": call.method,
                    "path": call.path,
                    "query": dict(call.query),
                    "status": call.status,
                    "code": call.extra.get("code"),
                    "operation": call.endpoint,
                    "shop_cipher": call.extra.get("shop_cipher"),
                    "request_id": call.extra.get("request_id", ""),
                    "duration_ms": call.duration_ms,
                }
                for call in calls
            ],
            "total": len(calls),
        }

    def attempt(self, attempt: Attempt) -> JsonObject:
        return {
            "notification_id": attempt.delivery_id,
            "event_type": int(attempt.topic),
            "url": attempt.url or "",
            "attempt": attempt.number,
            "redelivery": attempt.redelivery,
            "status": attempt.status,
            "error": attempt.error,
            "at": attempt.at,
        }

    def deliveries(self, sender: WebhookSender) -> JsonObject:
        return {"deliveries": [self.attempt(attempt) for attempt in sender.attempts]}
