"""JSON in and out of the control APIs, and the one error type their handlers raise."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

JsonObject = dict[str, Any]
ModelT = TypeVar("ModelT", bound=BaseModel)

HTTP_BAD_REQUEST = 400
HTTP_NOT_FOUND = 404
HTTP_CONFLICT = 409


class ControlError(Exception):
    """A control request that cannot be done: `status` and a message, with the body `field`
    at fault when there is one (``products[0].variants[1].price``)."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    def as_json(self) -> JsonObject:
        """The kit's error body: ``{"error": message, "field": field-or-null}``."""
        return {"error": self.message, "field": self.field}


def bad_request(message: str, field: str | None = None) -> ControlError:
    return ControlError(HTTP_BAD_REQUEST, message, field)


def not_found(message: str, field: str | None = None) -> ControlError:
    return ControlError(HTTP_NOT_FOUND, message, field)


def reply(data: Any, status: int = 200) -> web.Response:
    """A JSON answer; values JSON does not know (Decimal, datetime) are written as strings."""
    return web.json_response(data, status=status, dumps=lambda v: json.dumps(v, default=str))


def field_path(location: Sequence[int | str]) -> str:
    """``("products", 0, "title")`` as ``products[0].title``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


async def read_json(request: web.Request) -> Any:
    """The body as JSON (an empty body reads as ``{}``), or a 400 ControlError."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise bad_request("the body is not valid JSON") from None


async def read_object(request: web.Request) -> JsonObject:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


def parse_model(data: Any, model: type[ModelT]) -> ModelT:
    """Validate `data`; the first problem becomes a 400 ControlError naming its field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = field_path(first["loc"])
        message = f"{where}: {first['msg']}" if where else first["msg"]
        raise bad_request(message, where or None) from None


async def read_model(request: web.Request, model: type[ModelT]) -> ModelT:
    return parse_model(await read_json(request), model)
