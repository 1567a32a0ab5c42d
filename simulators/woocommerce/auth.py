"""How WooCommerce authenticates a REST call (``WC_REST_Authentication``).

Over HTTPS: HTTP Basic with the consumer key and secret (or both as query parameters). Over
plain HTTP: one-legged OAuth 1.0a in the query string, HMAC-SHA1 or HMAC-SHA256, the key being
``consumer_secret&``; the timestamp must be within 15 minutes of the server's (wall) time and a
nonce may not repeat within that window. Query parameters repeated in the URL count once, the
last one winning, as PHP's ``$_GET`` reads them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from simulators.woocommerce.errors import WooError, auth_error, cannot

OAUTH_WINDOW_SECONDS = 15 * 60
OAUTH_REQUIRED = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def rfc3986(value: str) -> str:
    """``wc_rest_urlencode_rfc3986``: rawurlencode, with ``~`` left alone."""
    return quote(value, safe="~")


def oauth_signature(method: str, url: str, params: Mapping[str, str], secret: str) -> str:
    """The signature WooCommerce computes for `params` (without ``oauth_signature``)."""
    algorithm = params.get("oauth_signature_method", "HMAC-SHA256")
    digest = hashlib.sha1 if algorithm == "HMAC-SHA1" else hashlib.sha256
    pairs = [f"{rfc3986(k)}%3D{rfc3986(v)}" for k, v in sorted(params.items())]
    base = f"{method.upper()}&{rfc3986(url)}&{'%26'.join(pairs)}"
    mac = hmac.new(f"{secret}&".encode(), base.encode(), digest).digest()
    return base64.b64encode(mac).decode()


@dataclass
class Keys:
    """The store's one REST key pair, its permissions, and the OAuth nonces seen lately."""

    consumer_key: str
    consumer_secret: str
    permissions: str
    revoked: bool = False
    nonces: dict[str, float] = field(default_factory=dict)
    wall: Callable[[], float] = time.time

    def check(
        self,
        *,
        method: str,
        url: str,
        secure: bool,
        authorization: str | None,
        query: Mapping[str, str],
    ) -> None:
        """Raise the `WooError` WooCommerce answers when the call is not authenticated."""
        if secure:
            key, secret = self._basic(authorization, query)
            self._match(key, secret)
        else:
            self._oauth(method, url, query)
        self._permitted(method)

    def _basic(self, authorization: str | None, query: Mapping[str, str]) -> tuple[str, str]:
        if "consumer_key" in query and "consumer_secret" in query:
            return query["consumer_key"], query["consumer_secret"]
        if authorization is None or not authorization.startswith("Basic "):
            raise cannot("view")
        try:
            decoded = base64.b64decode(authorization[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise cannot("view") from None
        key, _, secret = decoded.partition(":")
        return key, secret

    def _match(self, key: str, secret: str) -> None:
        if self.revoked or not hmac.compare_digest(key, self.consumer_key):
            raise auth_error("Consumer key is invalid.")
        if not hmac.compare_digest(secret, self.consumer_secret):
            raise auth_error("Consumer secret is invalid.")

    def _oauth(self, method: str, url: str, query: Mapping[str, str]) -> None:
        if any(not query.get(name) for name in OAUTH_REQUIRED):
            raise cannot("view")
        if self.revoked or not hmac.compare_digest(query["oauth_consumer_key"], self.consumer_key):
            raise auth_error("Consumer key is invalid.")
        params = {k: v for k, v in query.items() if k != "oauth_signature"}
        if params["oauth_signature_method"] not in {"HMAC-SHA1", "HMAC-SHA256"}:
            raise auth_error("Invalid signature - signature method is invalid.")
        expected = oauth_signature(method, url, params, self.consumer_secret)
        if not hmac.compare_digest(expected, query["oauth_signature"]):
            raise auth_error("Invalid signature - provided signature does not match.")
        self._fresh(query["oauth_timestamp"], query["oauth_nonce"])

    def _fresh(self, timestamp: str, nonce: str) -> None:
        now = self.wall()
        try:
            stamp = int(timestamp)
        except ValueError:
            raise auth_error("Invalid timestamp.") from None
        if abs(now - stamp) > OAUTH_WINDOW_SECONDS:
            raise auth_error("Invalid timestamp.")
        self.nonces = {n: t for n, t in self.nonces.items() if t >= now - OAUTH_WINDOW_SECONDS}
        if nonce in self.nonces:
            raise auth_error("Invalid nonce - nonce has already been used.")
        self.nonces[nonce] = now

    def _permitted(self, method: str) -> None:
        reading = method.upper() in _READ_METHODS
        wanted = "read" if reading else "write"
        if self.permissions not in {wanted, "read_write"}:
            raise WooError(
                401,
                "woocommerce_rest_authentication_error",
                f"The API key provided does not have {wanted} permissions.",
            )
