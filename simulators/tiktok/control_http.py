"""Plumbing for TikTok's own ``/_sim/`` handlers, on the kit: plain JSON in and out.

A handler takes the request and the simulation and answers a JSON-able value. The kit's
control middleware fires due events around it and turns failures into JSON (see
`TikTokDialect`): a `ControlError` keeps its status, a platform `ApiError` is a 409 with its
business code, a `ValueError` a 400.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from simulators.kit import ControlError, read_model
from simulators.kit.jsonio import HTTP_BAD_REQUEST, HTTP_CONFLICT, HTTP_NOT_FOUND, ModelT
from simulators.tiktok.simulation import SIMULATION, Simulation

__all__ = [
    "HTTP_BAD_REQUEST",
    "HTTP_CONFLICT",
    "HTTP_NOT_FOUND",
    "ControlError",
    "body_as",
    "control",
    "not_found",
]

ControlHandler = Callable[[web.Request, Simulation], Awaitable[Any]]


async def body_as(request: web.Request, model: type[ModelT]) -> ModelT:
    """The body validated as `model` (an empty body reads as ``{}``); else a 400."""
    return await read_model(request, model)


def control(handler: ControlHandler) -> Callable[[web.Request], Awaitable[Any]]:
    """Hand the handler its simulation; the kit's route helper answers its value as JSON."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> Any:
        return await handler(request, request.app[SIMULATION])

    return wrapped


def not_found(what: str) -> ControlError:
    return ControlError(HTTP_NOT_FOUND, f"{what} not found")
