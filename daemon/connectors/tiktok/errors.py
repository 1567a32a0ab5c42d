"""TikTok Shop failures sorted into the daemon's error tree (DOMAIN.md section 11.8).

One function, `classify`, turns an HTTP status and a response envelope's ``code`` and
``message`` into the error that tells the caller what to do next. It classifies code by code:
a ``105`` or ``360`` prefix says nothing on its own (``36009002`` is a rate limit, ``36009003``
a platform fault, ``36009004`` anything from a stale timestamp to a revoked token).

Messages carry the code, TikTok's message and the request id; they never carry a secret.
"""

from __future__ import annotations

from collections.abc import Mapping

from daemon.connectors.http import RETRIABLE_STATUSES, retry_after
from daemon.connectors.transport import AttemptError
from daemon.errors import (
    AuthError,
    FatalError,
    QuotaExhaustedError,
    SkippableError,
    SyncError,
)

PLATFORM = "TikTok Shop"

# Codes the client acts on (DOMAIN.md section 11.8; the auth host's codes, section 11.2).
TOKEN_SHOP_MISMATCH = 101000
ACCESS_TOKEN_EXPIRED = 105002
SCOPE_MISSING = 105005
INVALID_SIGN = 106001
SHOP_CIPHER_MISSING = 106013
REFRESH_TOKEN_EXPIRED = 36004001
INVALID_AUTH_CODE = 36004004
AUTH_RECORD_NOT_FOUND = 36004005
TOO_MANY_REQUESTS = 36009002
INTERNAL_ERROR = 36009003
GATEWAY_INVALID = 36009004
REQUEST_TIMEOUT = 36009007
INVALID_PATH = 36009009
INVALID_METHOD = 36009010
INVALID_VERSION = 36009014
FILE_TOO_BIG = 36009021
BAD_BODY_FORMAT = 36009022
MUST_BE_MULTIPART = 36009023
IP_NOT_ALLOWED = 36009033
ORDER_ON_HOLD = 21011044
#: A new product refused because the shop's product quota is used up. The code is the
#: simulator's; TikTok's own is not documented for us (DOMAIN.md section 11.9, "Listing
#: quota"), so the refusal is also recognised by its message.
LISTING_QUOTA_EXCEEDED = 12019183
_QUOTA_HINTS = ("product quantity limit", "listing quota")

HTTP_TOO_MANY_REQUESTS = 429
HTTP_UNAVAILABLE = 503
_HTTP_CLIENT_ERROR = 400

_AUTH_CODES: Mapping[int, str] = {
    TOKEN_SHOP_MISMATCH: "the access token does not belong to this shop; re-authorise the shop",
    ACCESS_TOKEN_EXPIRED: "the access token has expired",
    SCOPE_MISSING: "the app lacks an access scope this call needs; grant it in Partner Center",
    REFRESH_TOKEN_EXPIRED: "the authorisation has expired; re-authorise the shop",
    INVALID_AUTH_CODE: "the auth_code is invalid, used or expired; re-authorise the shop",
    AUTH_RECORD_NOT_FOUND: "the authorisation was revoked or never existed; re-authorise",
}

_RETRIABLE_CODES: Mapping[int, str] = {
    TOO_MANY_REQUESTS: "rate limited",
    INTERNAL_ERROR: "platform internal error",
    REQUEST_TIMEOUT: "platform timeout",
    ORDER_ON_HOLD: "the order is on hold; try again once the hold ends",
}

_FATAL_CODES: Mapping[int, str] = {
    INVALID_SIGN: "the request signature was rejected (wrong app_secret or a signing bug)",
    SHOP_CIPHER_MISSING: "shop_cipher missing from a shop-scoped call (client bug)",
    INVALID_PATH: "unknown API path (client bug)",
    INVALID_METHOD: "wrong HTTP method for this path (client bug)",
    INVALID_VERSION: "unsupported API version (client bug)",
    FILE_TOO_BIG: "the uploaded file is too big",
    BAD_BODY_FORMAT: "wrong request body format (client bug)",
    MUST_BE_MULTIPART: "this endpoint needs multipart/form-data (client bug)",
    IP_NOT_ALLOWED: "this host's IP address is not in the app's allow-list",
}

# The overloaded 36009004 is told apart by its message (DOMAIN.md section 11.8).
_TOKEN_HINTS = ("access-token", "access_token")
_GATEWAY_AUTH_HINTS = ("app_key", "app_secret")


class _CodedError:
    """What every TikTok error carries besides its message."""

    code: int | None
    request_id: str | None


class TikTokRetriableError(AttemptError, _CodedError):
    """Throttling, platform overload, timeouts: the same call may succeed later."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        status: int | None = None,
        reached_server: bool = True,
    ) -> None:
        super().__init__(message, retry_after=retry_after, reached_server=reached_server)
        self.code = code
        self.request_id = request_id
        self.status = status
        self.reached_server = reached_server

    @property
    def throttled(self) -> bool:
        """True when the platform refused the call for rate (HTTP 429 or code 36009002)."""
        return self.status == HTTP_TOO_MANY_REQUESTS or self.code == TOO_MANY_REQUESTS

    @property
    def unprocessed(self) -> bool:
        """True when the platform surely did not act on the call: it was throttled, answered
        503, or the connection was never made."""
        return self.throttled or self.status == HTTP_UNAVAILABLE or not self.reached_server

    @property
    def retry_in_call(self) -> bool:
        """False for an order on hold: it passes later (the retry queue), not within seconds."""
        return self.code != ORDER_ON_HOLD


class TikTokFatalError(FatalError, _CodedError):
    """A contract violation (bad sign, path, params, version, body): repeating will not help."""

    def __init__(
        self, message: str, *, code: int | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.request_id = request_id


class TikTokAuthError(AuthError, _CodedError):
    """The authorisation is revoked, invalid, expired beyond refresh or lacks a scope."""

    def __init__(
        self, message: str, *, code: int | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.request_id = request_id


class TokenExpiredError(TikTokAuthError):
    """Code 105002: the client refreshes the token once and repeats the call."""


class TikTokQuotaError(QuotaExhaustedError, _CodedError):
    """The shop may create no more products for now (its listing quota is used up)."""

    def __init__(
        self, message: str, *, code: int | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.request_id = request_id


class TikTokBusinessError(SkippableError, _CodedError):
    """A business rule refused this one record (price locked, bad reason code, ...)."""

    def __init__(
        self, message: str, *, code: int | None = None, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.request_id = request_id


def describe(code: int | None, message: str, request_id: str | None) -> str:
    """``TikTok Shop code 36009002 (Too many requests) [request 2022...]``."""
    text = f"{PLATFORM} code {code}" if code is not None else PLATFORM
    if message:
        text += f" ({message})"
    if request_id:
        text += f" [request {request_id}]"
    return text


def classify(
    status: int,
    code: int | None,
    message: str,
    *,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> SyncError:
    """The error for one failed response; `code` is None when the body was no envelope."""
    wait = retry_after(headers or {})
    detail = describe(code, message, request_id)
    if code is not None:
        known = _classify_code(
            status, code, message=message, detail=detail, request_id=request_id, wait=wait
        )
        if known is not None:
            return known
    return _classify_status(status, code, detail, request_id, wait)


def _classify_code(  # noqa: PLR0911 one return per class of code reads best
    status: int,
    code: int,
    *,
    message: str,
    detail: str,
    request_id: str | None,
    wait: float | None,
) -> SyncError | None:
    if code == ACCESS_TOKEN_EXPIRED:
        return TokenExpiredError(f"{_AUTH_CODES[code]}: {detail}", code=code, request_id=request_id)
    if code in _AUTH_CODES:
        return TikTokAuthError(f"{_AUTH_CODES[code]}: {detail}", code=code, request_id=request_id)
    if code in _RETRIABLE_CODES:
        return TikTokRetriableError(
            f"{_RETRIABLE_CODES[code]}: {detail}",
            code=code,
            request_id=request_id,
            retry_after=wait,
            status=status,
        )
    if code in _FATAL_CODES:
        return TikTokFatalError(f"{_FATAL_CODES[code]}: {detail}", code=code, request_id=request_id)
    if code == GATEWAY_INVALID:
        return _classify_gateway(message, detail, request_id)
    if code == LISTING_QUOTA_EXCEEDED or any(hint in message.lower() for hint in _QUOTA_HINTS):
        return TikTokQuotaError(
            f"the shop's listing quota is used up: {detail}", code=code, request_id=request_id
        )
    if status >= _HTTP_CLIENT_ERROR:
        return None  # an unknown code on a failed HTTP response: the status decides
    return TikTokBusinessError(f"refused: {detail}", code=code, request_id=request_id)


def _classify_gateway(message: str, detail: str, request_id: str | None) -> SyncError:
    lowered = message.lower()
    if "timestamp" in lowered:
        return TikTokFatalError(
            f"request timestamp rejected; check the system clock: {detail}",
            code=GATEWAY_INVALID,
            request_id=request_id,
        )
    if any(hint in lowered for hint in _TOKEN_HINTS):
        return TikTokAuthError(
            "TikTok refused the access token: the seller revoked the app's authorisation (or "
            f"it ended); re-authorise the shop: {detail}",
            code=GATEWAY_INVALID,
            request_id=request_id,
        )
    if any(hint in lowered for hint in _GATEWAY_AUTH_HINTS):
        return TikTokAuthError(
            f"TikTok refused the app's credentials: check app_key and app_secret: {detail}",
            code=GATEWAY_INVALID,
            request_id=request_id,
        )
    return TikTokFatalError(
        f"request rejected by the gateway (client bug): {detail}",
        code=GATEWAY_INVALID,
        request_id=request_id,
    )


def _classify_status(
    status: int, code: int | None, detail: str, request_id: str | None, wait: float | None
) -> SyncError:
    if status in RETRIABLE_STATUSES:
        return TikTokRetriableError(
            f"HTTP {status}: {detail}",
            code=code,
            request_id=request_id,
            retry_after=wait,
            status=status,
        )
    if status in {401, 403}:
        return TikTokAuthError(f"HTTP {status}: {detail}", code=code, request_id=request_id)
    return TikTokFatalError(f"HTTP {status}: {detail}", code=code, request_id=request_id)
