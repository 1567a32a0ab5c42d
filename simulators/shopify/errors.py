"""Shopify's error answers: ``{"errors": ...}`` with a string or a field → messages map."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"  # noqa: S105 a message
THROTTLED = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted "
    "service."
)


class ApiError(Exception):
    """Raised by a handler to answer with Shopify's error shape."""

    def __init__(self, status: int, errors: str | list[str] | dict[str, list[str]]) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors

    def response(self) -> web.Response:
        return error_response(self.status, self.errors)


def error_response(
    status: int, errors: str | list[str] | dict[str, Any], headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response({"errors": errors}, status=status, headers=headers)


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def invalid(field: str, message: str, status: int = 422) -> ApiError:
    return ApiError(status, {field: [message]})


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or Shopify's 400 for anything else."""
    raw = await request.read()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(400, "body could not be parsed as JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "body must be a JSON object")
    return body
