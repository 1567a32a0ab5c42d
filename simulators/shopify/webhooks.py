"""Shopify's webhooks on the kit's sender: HMAC-signed POSTs, retried and redelivered.

Shopify delivers at least once: a failed delivery is retried on Shopify's schedule, and a
delivery that succeeded may come again with the same ``X-Shopify-Webhook-Id`` (every
`webhook_redeliver_every`-th, `webhook_redeliver_after_seconds` later), so receivers must
de-duplicate.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import uuid
from collections.abc import Mapping
from datetime import timezone
from typing import Any

from simulators.kit import Attempt, Delivery, DeliveryPolicy, SimClock, WebhookSender
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.times import fmt_time, fmt_unix

#: Deliveries in flight at once (Shopify sends its topics in parallel).
CONCURRENCY = 16

TOPICS = frozenset(
    {
        "products/create",
        "products/update",
        "products/delete",
        "inventory_levels/update",
        "orders/create",
        "orders/updated",
        "orders/cancelled",
        "fulfillments/create",
        "fulfillments/update",
        "bulk_operations/finish",
    }
)


def sign(secret: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, raw body)), the ``X-Shopify-Hmac-Sha256`` value."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def delivery_policy(config: ShopifySimulatorConfig) -> DeliveryPolicy:
    return DeliveryPolicy(
        retry_delays_seconds=config.webhook_retry_delays_seconds,
        timeout_seconds=config.webhook_timeout_seconds,
        redeliver_every=config.webhook_redeliver_every,
        redeliver_after_seconds=config.webhook_redeliver_after_seconds,
    )


def attempt_json(attempt: Attempt, zone: timezone) -> dict[str, Any]:
    """One attempt as ``GET /_sim/webhooks`` lists it."""
    return {
        "webhook_id": attempt.delivery_id,
        "topic": attempt.topic,
        "url": attempt.url,
        "headers": attempt.headers,
        "body": attempt.body.decode(),
        "status": attempt.status,
        "error": attempt.error,
        "attempt": attempt.number,
        "redelivery": attempt.redelivery,
        "at": fmt_unix(attempt.at, zone),
    }


class ShopifyWebhooks:
    """Emits the shop's webhooks to `url`, signed with `secret` (both changeable at runtime)."""

    def __init__(
        self, config: ShopifySimulatorConfig, clock: SimClock, zone: timezone, seed: int
    ) -> None:
        self.url = config.webhook_url
        self.secret = config.webhook_secret
        self._config = config
        self._clock = clock
        self._zone = zone
        self._random = random.Random(seed)  # noqa: S311 repeatable ids, not security
        self.sender = WebhookSender(
            clock=clock,
            policy=delivery_policy(config),
            sign=self._signature,
            address=self._address,
            concurrency=CONCURRENCY,
        )

    def _signature(self, body: bytes) -> Mapping[str, str]:
        return {"X-Shopify-Hmac-Sha256": sign(self.secret, body)}

    def _address(self, _: Delivery) -> str | None:
        return self.url

    def emit(self, topic: str, payload: dict[str, Any]) -> Delivery:
        if topic not in TOPICS:
            raise ValueError(f"unknown webhook topic {topic!r}")
        body = json.dumps(payload, separators=(",", ":")).encode()
        webhook_id = str(uuid.UUID(int=self._random.getrandbits(128), version=4))
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": self._config.shop_domain,
            "X-Shopify-API-Version": self._config.api_version,
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Triggered-At": fmt_time(self._clock.moment(), self._zone) or "",
        }
        return self.sender.emit(webhook_id, topic, body, headers)

    def attempts(self, topic: str | None = None) -> list[dict[str, Any]]:
        return [
            attempt_json(attempt, self._zone)
            for attempt in self.sender.attempts
            if topic is None or attempt.topic == topic
        ]

    async def drain(self) -> None:
        await self.sender.drain()

    async def close(self) -> None:
        await self.sender.close()
