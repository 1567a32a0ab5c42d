"""How a simulator's common ``/_sim/`` routes read requests and write answers.

`ControlDialect` is the kit's own format, which a new simulator keeps. Shopify and TikTok had
control APIs before the kit; each subclasses the dialect to keep its established shapes, so the
routes are registered once and behave the same behind different words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal, Self

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulators.kit.calls import Call, CallQuery
from simulators.kit.clock import SimClock
from simulators.kit.faults import (
    ANY_ENDPOINT,
    Chance,
    Fault,
    FaultInjector,
    FaultKind,
    FaultPlan,
    FaultRule,
    QueuedFault,
)
from simulators.kit.jsonio import ControlError, JsonObject, bad_request, parse_model, reply
from simulators.kit.webhooks import Attempt, WebhookSender


class ControlBody(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FaultIn(ControlBody):
    kind: Literal["error", "timeout", "slow", "drop"]
    status: int | None = Field(default=None, ge=400, le=599)
    seconds: float = Field(default=1.0, ge=0)
    retry_after: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _status_with_errors(self) -> Self:
        if (self.kind == "error") != (self.status is not None):
            raise ValueError("status goes with kind 'error', and only with it")
        return self

    def fault(self) -> Fault:
        return Fault(FaultKind(self.kind), self.status or 0, self.seconds, self.retry_after)


class ChanceIn(FaultIn):
    probability: float = Field(ge=0, le=1)


class RuleIn(ControlBody):
    endpoint: str = ANY_ENDPOINT
    chances: list[ChanceIn] = Field(min_length=1)
    count: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _at_most_certain(self) -> Self:
        if sum(chance.probability for chance in self.chances) > 1:
            raise ValueError("the probabilities of one rule add up to more than 1")
        return self

    def rule(self) -> FaultRule:
        chances = tuple(Chance(chance.fault(), chance.probability) for chance in self.chances)
        return FaultRule(self.endpoint, chances, self.count)


class QueuedIn(FaultIn):
    endpoint: str = ANY_ENDPOINT
    times: int = Field(default=1, ge=1)


class PlanIn(ControlBody):
    seed: int | None = None
    rules: list[RuleIn] = Field(default_factory=list)
    queue: list[QueuedIn] = Field(default_factory=list)


def iso_utc(at: float) -> str:
    return datetime.fromtimestamp(int(at), UTC).isoformat()


def query_int(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer", name) from None


class ControlDialect:
    """The kit's control format: errors ``{"error", "field"}``, times in ISO 8601 UTC."""

    #: The query parameter of ``DELETE /_sim/faults`` naming the endpoint to clear.
    endpoint_param = "endpoint"

    def error(self, error: ControlError) -> web.Response:
        return reply(error.as_json(), error.status)

    def translate(self, exc: Exception) -> web.Response | None:  # noqa: ARG002 a hook: the kit knows no platform exception
        """The answer to an exception of the platform's own control handlers, if it has one."""
        return None

    def time(self, at: float) -> Any:
        return iso_utc(at)

    def clock(self, clock: SimClock) -> JsonObject:
        return {"now": self.time(clock.now()), "offset_seconds": clock.offset}

    def fault_plan(self, body: Any) -> FaultPlan:
        given = parse_model(body, PlanIn)
        queue = [QueuedFault(q.endpoint, q.fault(), q.times) for q in given.queue]
        return FaultPlan([rule.rule() for rule in given.rules], queue, given.seed)

    def fault_rule(self, body: Any) -> FaultRule:
        return parse_model(body, RuleIn).rule()

    def faults(self, injector: FaultInjector) -> JsonObject:
        return injector.status()

    def call_query(self, query: Mapping[str, str]) -> CallQuery:
        return CallQuery(
            endpoint=query.get("endpoint"),
            method=query.get("method"),
            path_prefix=query.get("path_prefix"),
            status=query_int(query, "status"),
            after_seq=query_int(query, "after") or 0,
            limit=query_int(query, "limit"),
        )

    def calls(self, calls: list[Call]) -> JsonObject:
        return {
            "calls": [
                {
                    "seq": call.seq,
                    "at": self.time(call.at),
                    "method": call.method,
                    "path": call.path,
                    "query": dict(call.query),
                    "endpoint": call.endpoint,
                    "status": call.status,
                    "fault": call.fault,
                    "duration_ms": call.duration_ms,
                    **call.extra,
                }
                for call in calls
            ],
            "total": len(calls),
        }

    def attempt(self, attempt: Attempt) -> JsonObject:
        return {
            "delivery_id": attempt.delivery_id,
            "topic": attempt.topic,
            "url": attempt.url,
            "attempt": attempt.number,
            "redelivery": attempt.redelivery,
            "status": attempt.status,
            "error": attempt.error,
            "at": self.time(attempt.at),
            "headers": attempt.headers,
            "body": attempt.body.decode(errors="replace"),
        }

    def deliveries(self, sender: WebhookSender) -> JsonObject:
        """``GET /_sim/webhooks/deliveries``: every attempt, oldest first, and what is due."""
        return {
            "deliveries": [self.attempt(attempt) for attempt in sender.attempts],
            "scheduled": [{**entry, "at": self.time(entry["at"])} for entry in sender.scheduled()],
        }
