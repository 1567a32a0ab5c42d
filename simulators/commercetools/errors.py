"""The HTTP API's error answers: ``{"statusCode", "message", "errors": [{"code", "message",
...}]}``, with ``error``/``error_description`` on authentication failures."""

from __future__ import annotations

from typing import Any

from aiohttp import web


class CtError(Exception):
    """Raised by a handler to answer with the platform's error shape."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message, **self.extra)


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> web.Response:
    body: dict[str, Any] = {
        "statusCode": status,
        "message": message,
        "errors": [{"code": code, "message": message, **extra}],
    }
    if code in {"invalid_token", "insufficient_scope", "invalid_client", "invalid_scope"}:
        body["error"] = code
        body["error_description"] = message
    return web.json_response(body, status=status, headers=headers)


def invalid_input(message: str) -> CtError:
    return CtError(400, "InvalidInput", message)


def not_found(resource: str, key: str) -> CtError:
    del resource  # the message names the id only, as the platform's does
    return CtError(404, "ResourceNotFound", f"The Resource with ID '{key}' was not found.")


def conflict(resource_id: str, expected: int, current: int) -> CtError:
    return CtError(
        409,
        "ConcurrentModification",
        f"Object {resource_id} has a different version than expected. "
        f"Expected: {expected} - Actual: {current}.",
        currentVersion=current,
    )


def duplicate(field: str, value: Any) -> CtError:
    return CtError(
        400,
        "DuplicateField",
        f"A duplicate value '\"{value}\"' exists for field '{field}'.",
        field=field,
        duplicateValue=value,
    )
