"""The Shopify simulator's words for the kit's common ``/_sim/`` routes (clock, faults, calls),
kept as they were before the kit: ``{"errors": ...}`` bodies, shop-zone timestamps, fault
rules with one probability per kind and a queue of faults, calls numbered by ``seq``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from aiohttp import web
from pydantic import Field

from simulators.kit import (
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
    QueuedFault,
    SimClock,
    parse_model,
    reply,
)
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.errors import ApiError
from simulators.shopify.times import fmt_unix, shop_zone

KindName = Literal["500", "503", "429", "timeout", "slow", "drop"]


class RuleIn(ControlBody):
    endpoint: str = "*"
    error_500: float = Field(default=0, ge=0, le=1)
    error_503: float = Field(default=0, ge=0, le=1)
    error_429: float = Field(default=0, ge=0, le=1)
    timeout: float = Field(default=0, ge=0, le=1)
    slow: float = Field(default=0, ge=0, le=1)
    drop: float = Field(default=0, ge=0, le=1)
    slow_seconds: float = Field(default=1.0, ge=0)
    hang_seconds: float | None = Field(default=None, ge=0)
    count: int | None = Field(default=None, ge=1)


class QueuedIn(ControlBody):
    endpoint: str = "*"
    kind: KindName
    times: int = Field(default=1, ge=1)
    seconds: float | None = Field(default=None, ge=0)


class FaultsIn(ControlBody):
    seed: int | None = None
    rules: list[RuleIn] = Field(default_factory=list)
    queue: list[QueuedIn] = Field(default_factory=list)


class ShopifyDialect(ControlDialect):
    def __init__(self, config: ShopifySimulatorConfig) -> None:
        self._hang = config.hang_seconds
        self._zone = shop_zone(config.utc_offset_minutes)

    def error(self, error: ControlError) -> web.Response:
        if error.status == 400:  # noqa: PLR2004 Shopify words a bad body as {"errors": {"body": [...]}}
            return reply({"errors": {"body": [error.message]}}, error.status)
        return reply({"errors": error.message}, error.status)

    def translate(self, exc: Exception) -> web.Response | None:
        if isinstance(exc, ApiError):
            return exc.response()
        if isinstance(exc, ValueError):
            return reply({"errors": str(exc)}, 400)
        return None

    def time(self, at: float) -> Any:
        return fmt_unix(at, self._zone)

    def clock(self, clock: SimClock) -> JsonObject:
        return {"now": self.time(clock.now()), "offset_seconds": clock.offset}

    def _fault(self, kind: KindName, seconds: float | None) -> Fault:
        hang = self._hang if seconds is None else seconds
        if kind == "timeout":
            return Fault(FaultKind.TIMEOUT, seconds=hang)
        if kind == "slow":
            return Fault(FaultKind.SLOW, seconds=1.0 if seconds is None else seconds)
        if kind == "drop":
            return Fault(FaultKind.DROP)
        return Fault(FaultKind.ERROR, status=int(kind), retry_after=hang)

    def _rule(self, given: RuleIn) -> FaultRule:
        chances = (
            Chance(self._fault("500", given.hang_seconds), given.error_500),
            Chance(self._fault("503", given.hang_seconds), given.error_503),
            Chance(self._fault("429", given.hang_seconds), given.error_429),
            Chance(self._fault("timeout", given.hang_seconds), given.timeout),
            Chance(self._fault("slow", given.slow_seconds), given.slow),
            Chance(self._fault("drop", None), given.drop),
        )
        return FaultRule(given.endpoint, chances, given.count)

    def fault_plan(self, body: Any) -> FaultPlan:
        given = parse_model(body, FaultsIn)
        return FaultPlan(
            rules=[self._rule(rule) for rule in given.rules],
            queue=[
                QueuedFault(q.endpoint, self._fault(q.kind, q.seconds), q.times)
                for q in given.queue
            ],
            seed=given.seed,
        )

    def fault_rule(self, body: Any) -> FaultRule:
        return self._rule(parse_model(body, RuleIn))

    def faults(self, injector: FaultInjector) -> JsonObject:
        return {
            "seed": injector.seed,
            "injected": injector.injected,
            "rules": [entry.rule.endpoint for entry in injector.active()],
            "queue": [
                {"endpoint": queued.endpoint, "kind": queued.fault.name, "times": queued.times}
                for queued in injector.queue
            ],
        }

    def call_query(self, query: Mapping[str, str]) -> CallQuery:
        status = query.get("status")
        since = query.get("since", "0")
        if (status is not None and not status.isdigit()) or not since.isdigit():
            raise ApiError(400, {"query": ["status and since must be numbers"]})
        return CallQuery(
            endpoint=query.get("endpoint"),
            method=query.get("method"),
            path_prefix=query.get("path_prefix"),
            status=None if status is None else int(status),
            after_seq=int(since),
        )

    def calls(self, calls: list[Call]) -> JsonObject:
        return {
            "calls": [
                {
                    "seq": call.seq,
                    "method": call.method,
                    "path": call.path,
                    "query": dict(call.query),
                    "endpoint": call.endpoint,
                    "status": call.status,
                    "at": self.time(call.at),
                    "fault": call.fault,
                }
                for call in calls
            ]
        }
