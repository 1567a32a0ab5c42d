"""Business error codes and messages, as published in TikTok Shop's error tables.

HTTP statuses: 401 for 106001 and 429 for 36009002 (DOMAIN.md section 11.8). For the rest the
simulator uses 401 for credential problems, 400 for malformed requests, 404/405 for unknown
paths or methods, 5xx for platform failures, and 200 for business errors (the body's ``code``
is what a client must classify on).
"""

from __future__ import annotations

from typing import Any

HTTP_OK = 200
HTTP_BAD_REQUEST = 400
HTTP_UNAUTHORIZED = 401
HTTP_NOT_FOUND = 404
HTTP_METHOD_NOT_ALLOWED = 405
HTTP_TOO_MANY_REQUESTS = 429
HTTP_INTERNAL_ERROR = 500
HTTP_UNAVAILABLE = 503
HTTP_GATEWAY_TIMEOUT = 504

# Common (gateway) codes.
INVALID_SIGN = 106001
EXPIRED_TOKEN = 105002
SCOPE_MISSING = 105005
TOKEN_SHOP_MISMATCH = 101000
SHOP_CIPHER_MISSING = 106013
GATEWAY_INVALID = 36009004
TOO_MANY_REQUESTS = 36009002
INTERNAL_ERROR = 36009003
REQUEST_TIMEOUT = 36009007
INVALID_PATH = 36009009
INVALID_METHOD = 36009010
INVALID_VERSION = 36009014
FILE_TOO_BIG = 36009021
BAD_BODY_FORMAT = 36009022
MUST_BE_MULTIPART = 36009023

# Auth host.
INVALID_AUTH_CODE = 36004004
# The shop's product quota is used up (the simulator's code; not verified against TikTok).
LISTING_QUOTA_EXCEEDED = 12019183
REFRESH_TOKEN_EXPIRED = 36004001
AUTH_RECORD_NOT_FOUND = 36004005

MESSAGES: dict[int, str] = {
    INVALID_SIGN: "Invalid credentials. The `sign` query parameter is invalid.",
    EXPIRED_TOKEN: "Expired credentials. The `access_token` or `x-tts-access-token` header "
    "has expired.",
    # The platform's words do not name the scope (DOMAIN.md section 11.2).
    SCOPE_MISSING: "Access denied. You should apply auth pkg for this api.",
    TOKEN_SHOP_MISMATCH: "Invalid query or header. The `category_asset_cipher` query parameter "
    "or `x-tts-access-token` header is invalid.",
    SHOP_CIPHER_MISSING: "Missing identifier. The `shop_cipher` query parameter is required to "
    "identify the target shop.",
    TOO_MANY_REQUESTS: "Too many requests. You've made too many requests in a short period of "
    "time.",
    INTERNAL_ERROR: "Internal error. Please try again. If the issue persists after multiple "
    "attempts, please contact platform support.",
    REQUEST_TIMEOUT: "Request timeout. The request to the endpoint timed out.",
    INVALID_PATH: "Invalid path. The specified path does not match any available endpoint.",
    INVALID_METHOD: "Invalid method. The HTTP method used is not supported by this endpoint.",
    INVALID_VERSION: "Invalid API version. The `version` value is invalid or unsupported.",
    FILE_TOO_BIG: "Invalid file size. The uploaded file size exceeds the maximum limit.",
    BAD_BODY_FORMAT: "Invalid request format. The request body format must be "
    "`application/json` for structured data or `multipart/form-data` for binary files.",
    MUST_BE_MULTIPART: "Invalid request format. The value of the `content-type` header must be "
    "`multipart/form-data`.",
    INVALID_AUTH_CODE: "Invalid auth code.",
    REFRESH_TOKEN_EXPIRED: "rt has expired",
    AUTH_RECORD_NOT_FOUND: "can not find related auth record",
}

_STATUS_BY_CODE: dict[int, int] = {
    INVALID_SIGN: HTTP_UNAUTHORIZED,
    EXPIRED_TOKEN: HTTP_UNAUTHORIZED,
    SCOPE_MISSING: HTTP_UNAUTHORIZED,
    TOKEN_SHOP_MISMATCH: HTTP_UNAUTHORIZED,
    SHOP_CIPHER_MISSING: HTTP_BAD_REQUEST,
    TOO_MANY_REQUESTS: HTTP_TOO_MANY_REQUESTS,
    INTERNAL_ERROR: HTTP_INTERNAL_ERROR,
    REQUEST_TIMEOUT: HTTP_GATEWAY_TIMEOUT,
    INVALID_PATH: HTTP_NOT_FOUND,
    INVALID_METHOD: HTTP_METHOD_NOT_ALLOWED,
    INVALID_VERSION: HTTP_NOT_FOUND,
    FILE_TOO_BIG: HTTP_BAD_REQUEST,
    BAD_BODY_FORMAT: HTTP_BAD_REQUEST,
    MUST_BE_MULTIPART: HTTP_BAD_REQUEST,
}


class ApiError(Exception):
    """A failure answered with the standard envelope: ``{code, message, request_id, data}``."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        status: int | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = message if message is not None else MESSAGES.get(code, "Failed.")
        self.status = status if status is not None else _STATUS_BY_CODE.get(code, HTTP_OK)
        self.data = data
        super().__init__(f"{code}: {self.message}")


def gateway_error(message: str, *, status: int = HTTP_UNAUTHORIZED) -> ApiError:
    """The overloaded 36009004; clients tell its causes apart by the message."""
    return ApiError(GATEWAY_INVALID, message, status=status)


def invalid_param(detail: str) -> ApiError:
    """36009004 for a malformed parameter (the platform's generic "invalid param error")."""
    return ApiError(GATEWAY_INVALID, f"invalid param error: {detail}", status=HTTP_BAD_REQUEST)


def business_error(code: int, message: str) -> ApiError:
    """A business rule refused the request: HTTP 200 with a non-zero code."""
    return ApiError(code, message, status=HTTP_OK)
