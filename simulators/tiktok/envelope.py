"""The response envelope every answer uses: ``{"code", "message", "request_id", "data"}``."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from simulators.tiktok.errors import HTTP_OK, ApiError
from simulators.tiktok.ids import request_id

#: Keys under which a response carries what the call log records.
CODE_KEY = web.ResponseKey("tts_code", int)
OPERATION_KEY = web.ResponseKey("tts_operation", str)
REQUEST_ID_KEY = web.ResponseKey("tts_request_id", str)


def envelope(
    code: int,
    message: str,
    data: dict[str, Any] | None,
    *,
    now: float,
    status: int = HTTP_OK,
    operation: str = "",
) -> web.Response:
    rid = request_id(now)
    body = {"code": code, "message": message, "request_id": rid, "data": data}
    response = web.Response(
        status=status,
        body=json.dumps(body, separators=(",", ":")).encode(),
        content_type="application/json",
    )
    response[CODE_KEY] = code
    response[OPERATION_KEY] = operation
    response[REQUEST_ID_KEY] = rid
    return response


def success(data: dict[str, Any], *, now: float, operation: str = "") -> web.Response:
    return envelope(0, "Success", data, now=now, operation=operation)


def failure(error: ApiError, *, now: float, operation: str = "") -> web.Response:
    return envelope(
        error.code, error.message, error.data, now=now, status=error.status, operation=operation
    )
