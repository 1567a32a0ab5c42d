"""WooCommerce's webhooks on the kit's sender.

One webhook per topic (``product.created|updated|deleted``, ``order.created|updated|deleted``)
posts the resource as the REST API shows it, signed in ``X-WC-Webhook-Signature`` (base64
HMAC-SHA256 of the raw body with the webhook's secret). The delivery id is WooCommerce's
``wp_hash(webhook id . now)``: deliveries of one webhook within one second share it. A webhook
created active first receives a ping: form-encoded ``webhook_id=<id>``, unsigned. WooCommerce
does not retry a failed delivery (it counts failures and disables the webhook after 5 in a row).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from simulators.kit import Delivery, DeliveryPolicy, SimClock, WebhookSender
from simulators.woocommerce.config import WooSimulatorConfig

TOPICS = (
    "product.created",
    "product.updated",
    "product.deleted",
    "order.created",
    "order.updated",
    "order.deleted",
)
MAX_FAILURES = 5


def sign(secret: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, raw body)): the ``X-WC-Webhook-Signature`` value."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class WooWebhooks:
    """The store's webhooks, one per topic, delivering to `url` (changeable at runtime)."""

    def __init__(self, config: WooSimulatorConfig, clock: SimClock) -> None:
        self.url = config.webhook_url
        self.secret = config.webhook_secret
        self.source = "https://woo.example/"
        self._clock = clock
        self._ids = {topic: number for number, topic in enumerate(TOPICS, start=1)}
        self._sent = 0
        self.sender = WebhookSender(
            clock=clock,
            policy=DeliveryPolicy(retry_delays_seconds=()),
            sign=self._signature,
            address=self._address,
        )

    def _signature(self, body: bytes) -> Mapping[str, str]:
        if body.startswith(b"webhook_id="):
            return {}  # the ping is not signed
        return {"X-WC-Webhook-Signature": sign(self.secret, body)}

    def _address(self, _: Delivery) -> str | None:
        return self.url

    def _delivery_id(self, webhook_id: int) -> str:
        stamp = f"{webhook_id}{self._clock.now_int()}"
        return hmac.new(b"wp-salt", stamp.encode(), hashlib.md5).hexdigest()

    def ping_all(self) -> None:
        """What creating the webhooks does: one ping each."""
        for topic, webhook_id in self._ids.items():
            self._sent += 1
            body = f"webhook_id={webhook_id}".encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            self.sender.emit(f"ping-{webhook_id}-{self._sent}", topic, body, headers)

    def emit(self, topic: str, resource_id: int, payload: dict[str, Any]) -> None:
        if topic not in self._ids or self.url is None:
            return
        webhook_id = self._ids[topic]
        resource, _, event = topic.partition(".")
        body = json.dumps(payload, separators=(",", ":")).encode()
        delivery_id = self._delivery_id(webhook_id)
        headers = {
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": self.source,
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-ID": str(webhook_id),
            "X-WC-Webhook-Delivery-ID": delivery_id,
        }
        self._sent += 1
        # The kit keys deliveries by id; WooCommerce's ids can repeat, so the key is made unique.
        key = f"{delivery_id}-{self._sent}"
        self.sender.emit(key, topic, body, headers, meta={"resource_id": resource_id})

    async def close(self) -> None:
        await self.sender.close()
