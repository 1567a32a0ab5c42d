"""WooCommerce's error answers: ``{"code", "message", "data": {"status"}}`` (the WP REST shape)."""

from __future__ import annotations

from typing import Any

from aiohttp import web


class WooError(Exception):
    """An answer the REST API gives instead of a resource."""

    def __init__(
        self, status: int, code: str, message: str, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message, self.extra)


def error_response(
    status: int,
    code: str,
    message: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body = {"code": code, "message": message, "data": {"status": status, **(extra or {})}}
    return web.json_response(body, status=status, headers=headers)


def invalid_param(name: str, reason: str) -> WooError:
    """WP REST's refusal of a query or body parameter that breaks its schema."""
    return WooError(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        {"params": {name: reason}, "details": {}},
    )


def invalid_id(resource: str) -> WooError:
    return WooError(404, f"woocommerce_rest_{resource}_invalid_id", "Invalid ID.")


NO_ROUTE = WooError(404, "rest_no_route", "No route was found matching the URL and request method.")


def auth_error(message: str) -> WooError:
    return WooError(401, "woocommerce_rest_authentication_error", message)


def cannot(action: str) -> WooError:
    """What an unauthenticated caller gets (no credentials, or Basic auth over plain HTTP)."""
    return WooError(
        401, f"woocommerce_rest_cannot_{action}", f"Sorry, you cannot {action} resources."
    )
