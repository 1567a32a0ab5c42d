"""Control endpoints acting as the buyer and the seller on returns after delivery."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from simulators.kit import add_control_routes
from simulators.tiktok import return_flow
from simulators.tiktok.control_http import body_as, control, not_found
from simulators.tiktok.model import RETURN_STATUS_ALIASES, ReturnStatus
from simulators.tiktok.returns import return_json
from simulators.tiktok.simulation import Simulation


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReturnBody(_Model):
    return_type: Literal["RETURN_AND_REFUND", "REFUND", "REPLACEMENT"] = "RETURN_AND_REFUND"
    reason: str | None = None
    line_item_ids: list[str] | None = None


class AdvanceReturn(_Model):
    to: str | None = None


@control
async def post_return(request: web.Request, sim: Simulation) -> Any:
    """The buyer asks for a return (or a refund, or a replacement) of a delivered order."""
    body = await body_as(request, ReturnBody)
    order = sim.state.orders.get(request.match_info["order_id"])
    if order is None:
        raise not_found("order")
    created = return_flow.request_return(
        sim.state, order, body.return_type, body.reason, body.line_item_ids
    )
    return return_json(sim.state, created)


@control
async def post_advance(request: web.Request, sim: Simulation) -> Any:
    """Next step on the return's main path, or a move to ``to`` (see `return_flow`)."""
    body = await body_as(request, AdvanceReturn)
    found = sim.state.returns.get(request.match_info["return_id"])
    if found is None:
        raise not_found("return")
    target: ReturnStatus | None = None
    if body.to is not None:
        if body.to not in RETURN_STATUS_ALIASES:
            raise ValueError(f"unknown return status {body.to}")
        target = RETURN_STATUS_ALIASES[body.to]
    return_flow.advance(sim.state, found, target)
    return return_json(sim.state, found)


def add_routes(app: web.Application) -> None:
    add_control_routes(
        app.router,
        [
            ("POST", "/_sim/orders/{order_id}/return", post_return),
            ("POST", "/_sim/returns/{return_id}/advance", post_advance),
        ],
    )
