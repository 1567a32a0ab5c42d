"""Magento's error answers: ``{"message": "...%1...", "parameters": [...] or {...}}``."""

from __future__ import annotations

from typing import Any

from aiohttp import web

NOT_AUTHORIZED = "The consumer isn't authorized to access %resources."
REQUIRED = '"%fieldName" is required. Enter and try again.'
NO_SUCH_ENTITY = "The entity that was requested doesn't exist. Verify the entity and try again."
NO_SUCH_PRODUCT = "The product that was requested doesn't exist. Verify the product and try again."
NO_SUCH_STORE = "The store that was requested wasn't found. Verify the store and try again."
NO_ROUTE = "Request does not match any route."
UNIQUE_VIOLATION = "Unique constraint violation found"


class MagentoError(Exception):
    """Raised by a handler to answer with Magento's error shape."""

    def __init__(self, status: int, message: str, parameters: Any = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.parameters = parameters

    def response(self) -> web.Response:
        return error_response(self.status, self.message, self.parameters)


def error_response(
    status: int,
    message: str,
    parameters: Any = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body: dict[str, Any] = {"message": message}
    if parameters is not None:
        body["parameters"] = parameters
    return web.json_response(body, status=status, headers=headers)


def bad_request(message: str, parameters: Any = None) -> MagentoError:
    return MagentoError(400, message, parameters)


def not_found(message: str = NO_SUCH_ENTITY, parameters: Any = None) -> MagentoError:
    return MagentoError(404, message, parameters)


def required(field: str) -> MagentoError:
    return MagentoError(400, REQUIRED, {"fieldName": field})
