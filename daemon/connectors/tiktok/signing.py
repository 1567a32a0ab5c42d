"""TikTok Shop request and webhook signatures (API version 202309 and later).

Pure functions, shared by the client and the simulator so that both sides agree byte for byte.

Request signature (DOMAIN.md section 11.2):

1. take every query parameter except ``sign`` and ``access_token``;
2. sort the keys by ordinal order and concatenate ``key + value`` with no separators;
3. prefix the request path (no host, no query string);
4. append the body exactly as sent, unless the request is ``multipart/form-data``;
5. wrap the string in the app secret on both sides;
6. HMAC-SHA256 keyed with the app secret, lower-case hex.

Webhook signature (DOMAIN.md section 11.2): ``hex(HMAC-SHA256(app_secret, app_key + raw_body))``
in the ``Authorization`` header.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

#: Query parameters that never take part in a request signature.
UNSIGNED_QUERY_KEYS: frozenset[str] = frozenset({"sign", "access_token"})

#: Content type whose body is left out of the signature.
MULTIPART_CONTENT_TYPE = "multipart/form-data"

_HEX_DIGITS = frozenset("0123456789abcdef")
_SHA256_HEX_LENGTH = 64


def signature_base_string(path: str, query: Mapping[str, str], body: bytes = b"") -> bytes:
    """Return the unwrapped string that is signed: path, sorted ``key+value`` pairs, body."""
    pairs = "".join(f"{key}{query[key]}" for key in sorted(query) if key not in UNSIGNED_QUERY_KEYS)
    return (path + pairs).encode() + body


def sign_request(app_secret: str, path: str, query: Mapping[str, str], body: bytes) -> str:
    """Sign one Open API request.

    `query` holds the decoded query values as sent (one value per key); `sign` and
    `access_token` are ignored if present. `body` is the exact bytes on the wire: pass ``b""``
    for GET requests and for ``multipart/form-data`` uploads, whose bodies are not signed.
    """
    secret = app_secret.encode()
    message = secret + signature_base_string(path, query, body) + secret
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def body_for_signature(content_type: str | None, body: bytes) -> bytes:
    """Return the part of `body` that is signed, given the request's content type."""
    if content_type is not None and content_type.strip().lower().startswith(MULTIPART_CONTENT_TYPE):
        return b""
    return body


def is_well_formed_signature(signature: str) -> bool:
    """True when `signature` looks like a lower-case hex SHA-256 digest."""
    return len(signature) == _SHA256_HEX_LENGTH and set(signature) <= _HEX_DIGITS


def verify_request(
    app_secret: str, path: str, query: Mapping[str, str], body: bytes, signature: str
) -> bool:
    """Constant-time check of a request signature; upper-case hex is rejected."""
    if not is_well_formed_signature(signature):
        return False
    expected = sign_request(app_secret, path, query, body)
    return hmac.compare_digest(expected, signature)


def sign_webhook(app_key: str, app_secret: str, body: bytes) -> str:
    """Signature TikTok Shop puts in the ``Authorization`` header of a webhook delivery."""
    return hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()


def verify_webhook(app_key: str, app_secret: str, body: bytes, signature: str) -> bool:
    """Constant-time check of a webhook's ``Authorization`` header against the raw body."""
    if not is_well_formed_signature(signature):
        return False
    return hmac.compare_digest(sign_webhook(app_key, app_secret, body), signature)
