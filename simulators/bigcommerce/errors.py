"""BigCommerce's error shapes: V3 answers one object, V2 a list of ``{status, message}``."""

from __future__ import annotations

from typing import Any

from aiohttp import web

STATUS_DOCS = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


class ApiError(Exception):
    """A refusal, rendered in the words of the API version of the path it answers."""

    def __init__(
        self,
        status: int,
        title: str,
        errors: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.errors = errors or {}
        self.details = details  # V2's ``details`` beside the message


def v3_body(status: int, title: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    return {"status": status, "title": title, "type": STATUS_DOCS, "errors": errors or {}}


def v2_body(
    status: int, message: str, details: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    entry: dict[str, Any] = {"status": status, "message": message}
    if details is not None:
        entry["details"] = details
    return [entry]


def render(
    path: str,
    status: int,
    title: str,
    errors: dict[str, str] | None = None,
    *,
    headers: dict[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> web.Response:
    """The error answer for a call to `path` (``/v2/`` paths answer the V2 shape)."""
    v2 = "/v2/" in path
    body: Any = v2_body(status, title, details) if v2 else v3_body(status, title, errors)
    return web.json_response(body, status=status, headers=headers)


def not_found(what: str) -> ApiError:
    return ApiError(404, f"The requested {what} was not found.")


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, f"The field '{field}' is invalid.", {field: message})
