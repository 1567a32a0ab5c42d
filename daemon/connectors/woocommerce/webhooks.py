"""WooCommerce webhook deliveries: the signature check and the hints they give.

``X-WC-Webhook-Signature`` is base64(HMAC-SHA256(secret, raw body)). When a webhook is saved
active WooCommerce first posts an unsigned ping, the form body ``webhook_id=<id>``, and keeps
the webhook only if it is answered 2xx: the ping is accepted and gives no hint. WooCommerce's
delivery id is a hash of the webhook id and the second it was sent, so two deliveries of one
webhook within a second share it: a hint's delivery id adds the resource id and the body's
digest, so that only a true repeat is dropped.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from daemon.connectors.base import UnknownTopicError, WebhookHint, WebhookReceiver
from daemon.errors import SkippableError

PING = re.compile(rb"^webhook_id=\d+$")
# The resources WooCommerce's topics name; only product and order topics give hints.
_RESOURCES = frozenset({"product", "order", "coupon", "customer", "action"})


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """True when `signature` is base64(HMAC-SHA256(secret, raw body)); constant time."""
    try:
        given = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(given, hmac.new(secret.encode(), body, hashlib.sha256).digest())


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), "")


def _payload(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError:
        raise SkippableError("the webhook body is not JSON") from None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("id"), int):
        raise SkippableError("the webhook body names no resource id")
    return parsed


def _product_hints(payload: dict[str, Any], event: str) -> list[tuple[str, str]]:
    item_id = str(payload["id"])
    parent = payload.get("parent_id")
    product_id = str(parent) if payload.get("type") == "variation" and parent else item_id
    jobs = [("catalog", product_id)]
    if event != "deleted":
        jobs.append(("price", product_id))
        if payload.get("type") in {"simple", "variation"}:
            jobs.append(("inventory", item_id))  # the item's id is its stock key
    return jobs


def _order_hints(payload: dict[str, Any]) -> list[tuple[str, str]]:
    order_id = str(payload["id"])
    status = payload.get("status")
    if status == "cancelled":
        return [("cancellations", order_id)]
    if status == "completed":
        return [("fulfillment", order_id)]
    return []


class WooCommerceWebhookReceiver:
    """`daemon.connectors.base.WebhookReceiver` for one store's webhook secret."""

    platform = "woocommerce"
    # Deliveries are JSON; the ping that saves a webhook is a form.
    content_types = frozenset({"application/json", "application/x-www-form-urlencoded"})

    def __init__(self, secret: SecretStr) -> None:
        self._secret = secret

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        signature = _header(headers, "X-WC-Webhook-Signature")
        if not signature:
            return PING.match(body) is not None  # the ping is unsigned, and asks for nothing
        return verify(self._secret.get_secret_value(), body, signature)

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        if PING.match(body) and not _header(headers, "X-WC-Webhook-Signature"):
            return []
        topic = _header(headers, "X-WC-Webhook-Topic")
        delivery = _header(headers, "X-WC-Webhook-Delivery-ID")
        if not topic or not delivery:
            raise SkippableError("the webhook has no topic or delivery id")
        resource, _, event = topic.partition(".")
        if resource not in _RESOURCES:
            raise UnknownTopicError(f"unknown topic {topic!r}")
        if resource not in {"product", "order"}:
            return []
        payload = _payload(body)
        jobs = _product_hints(payload, event) if resource == "product" else _order_hints(payload)
        digest = hashlib.sha256(body).hexdigest()[:16]
        key = f"{delivery}:{payload['id']}:{digest}"
        return [WebhookHint(key, topic, job, (entity,)) for job, entity in jobs]


if TYPE_CHECKING:  # mypy proves the receiver fits the runtime's protocol

    def _as_receiver(receiver: WooCommerceWebhookReceiver) -> WebhookReceiver:
        return receiver
