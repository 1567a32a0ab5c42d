"""WooCommerce's two ways to authenticate a REST call, as pure functions.

Over HTTPS the consumer key and secret go as HTTP Basic credentials. Over plain HTTP each call
carries one-legged OAuth 1.0a parameters in its query, signed with HMAC-SHA256 under the key
``consumer_secret&``. WooCommerce builds the string it signs from the query parameters sorted
by name and percent-encoded once (RFC 3986), joined by ``%3D`` and ``%26``; the signature must
be built the same way (not the RFC 5849 double encoding) or a value with a reserved character
such as ``:`` is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import quote


def encode(value: str) -> str:
    """``wc_rest_urlencode_rfc3986``: every byte but the unreserved ones percent-encoded."""
    return quote(value, safe="~")


def string_to_sign(method: str, url: str, params: Mapping[str, str]) -> str:
    pairs = "%26".join(f"{encode(k)}%3D{encode(v)}" for k, v in sorted(params.items()))
    return f"{method.upper()}&{encode(url)}&{pairs}"


def oauth_signature(method: str, url: str, params: Mapping[str, str], secret: str) -> str:
    """base64(HMAC-SHA256(``secret&``, the string to sign)) for `params` without the
    signature itself."""
    message = string_to_sign(method, url, params).encode()
    return base64.b64encode(
        hmac.new(f"{secret}&".encode(), message, hashlib.sha256).digest()
    ).decode()


def oauth_query(
    method: str,
    url: str,
    params: Mapping[str, str],
    *,
    key: str,
    secret: str,
    timestamp: int,
    nonce: str | None = None,
) -> dict[str, str]:
    """`params` with the OAuth parameters and their signature added (a fresh nonce each call)."""
    signed = {
        **params,
        "oauth_consumer_key": key,
        "oauth_timestamp": str(timestamp),
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA256",
    }
    signed["oauth_signature"] = oauth_signature(method, url, signed, secret)
    return signed


def basic_header(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
