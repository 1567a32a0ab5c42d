"""Plumbing for the ``/_sim/`` control API: plain JSON in and out, no signing."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from simulators.tiktok.errors import ApiError
from simulators.tiktok.simulation import SIMULATION, Simulation

HTTP_BAD_REQUEST = 400
HTTP_NOT_FOUND = 404
HTTP_CONFLICT = 409

ModelT = TypeVar("ModelT", bound=BaseModel)
ControlHandler = Callable[[web.Request, Simulation], Awaitable[Any]]


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def reply(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda v: json.dumps(v, default=str))


async def body_as(request: web.Request, model: type[ModelT]) -> ModelT:
    raw = await request.read()
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        raise ControlError(HTTP_BAD_REQUEST, exc.json(include_url=False)) from exc


def control(handler: ControlHandler) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Wrap a control handler: errors become JSON, due events fire, webhooks go out."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.Response:
        sim = request.app[SIMULATION]
        sim.tick()
        try:
            data = await handler(request, sim)
        except ControlError as error:
            return reply({"error": error.message}, status=error.status)
        except ApiError as error:
            body = {"error": error.message, "code": error.code}
            return reply(body, status=HTTP_CONFLICT)
        except ValueError as error:
            return reply({"error": str(error)}, status=HTTP_BAD_REQUEST)
        sim.tick()
        return data if isinstance(data, web.Response) else reply(data)

    return wrapped


def not_found(what: str) -> ControlError:
    return ControlError(HTTP_NOT_FOUND, f"{what} not found")
