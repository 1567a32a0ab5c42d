"""TikTok Shop webhooks as hints (DOMAIN.md 11.10): verified, parsed, never trusted for data.

Each delivery only says which job should look at what; the job re-reads the entity through the
API. Types followed: 1 (order status), 11 (cancellation) and 12 (return) for the order jobs;
5, 15 and 37 (product status, information, audit) for the catalog's review; 6 and 7
(deauthorisation, upcoming expiry) for the connection check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from daemon.connectors.base import (
    LISTING_HINT,
    UnknownTopicError,
    WebhookHint,
    WebhookReceiver,
)
from daemon.connectors.tiktok.signing import verify_webhook
from daemon.errors import SkippableError

_ORDER_JOBS = {1: "orders", 11: "cancellations", 12: "cancellations"}
_PRODUCT_TYPES = frozenset({5, 15, 37})
_CONNECT_TYPES = frozenset({6, 7})
# Every type the public docs define (DOMAIN.md 11.10); the ones not followed give no hint.
_DOCUMENTED_TYPES = frozenset(
    {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27}
    | {33, 35, 36, 37, 38, 39, 42, 46, 51, 52, 55}
)


class TikTokWebhookReceiver:
    platform = "tiktok"
    content_types = frozenset({"application/json"})

    def __init__(self, app_key: str, app_secret: SecretStr) -> None:
        self._app_key = app_key
        self._app_secret = app_secret

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        signature = next(
            (value for name, value in headers.items() if name.lower() == "authorization"), ""
        )
        secret = self._app_secret.get_secret_value()
        return bool(signature) and verify_webhook(self._app_key, secret, body, signature)

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        del headers
        envelope = _envelope(body)
        kind = envelope.get("type")
        data = envelope.get("data")
        if not isinstance(kind, int) or not isinstance(data, dict):
            raise SkippableError("TikTok webhook without an integer type and a data object")
        delivery = str(envelope.get("tts_notification_id") or hashlib.sha256(body).hexdigest())
        topic = f"type {kind}"
        if kind in _ORDER_JOBS:
            order_id = _id(data, "order_id", kind)
            return [WebhookHint(delivery, topic, _ORDER_JOBS[kind], (order_id,))]
        if kind in _PRODUCT_TYPES:
            product_id = _id(data, "product_id", kind)
            return [WebhookHint(delivery, topic, "catalog", (LISTING_HINT + product_id,))]
        if kind in _CONNECT_TYPES:
            return [WebhookHint(delivery, topic, "connect", ())]
        if kind not in _DOCUMENTED_TYPES:
            raise UnknownTopicError(f"unknown TikTok webhook type {kind}")
        return []


def _envelope(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SkippableError(f"TikTok webhook body is not JSON: {exc}") from None
    if not isinstance(parsed, dict):
        raise SkippableError("TikTok webhook body is not a JSON object")
    return parsed


def _id(data: Mapping[str, Any], key: str, kind: int) -> str:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value):
        raise SkippableError(f"TikTok webhook type {kind} without its {key}")
    return str(value)  # type 5 samples carry product_id as a number


if TYPE_CHECKING:  # mypy proves the receiver fits the runtime's protocol

    def _as_receiver(receiver: TikTokWebhookReceiver) -> WebhookReceiver:
        return receiver
