"""Outgoing webhooks: HMAC-signed POSTs to the configured URL, recorded, never fatal."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import random
import uuid
from dataclasses import dataclass
from datetime import timezone
from typing import Any

import aiohttp
import structlog

from simulators.shopify.clock import SimClock
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.times import fmt_time

log = structlog.get_logger(__name__)

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
    }
)


def sign(secret: str, body: bytes) -> str:
    """base64(HMAC-SHA256(secret, raw body)), the ``X-Shopify-Hmac-Sha256`` value."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Delivery:
    """One webhook the simulator tried to deliver."""

    webhook_id: str
    topic: str
    url: str | None
    headers: dict[str, str]
    body: str
    status: int | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "webhook_id": self.webhook_id,
            "topic": self.topic,
            "url": self.url,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "error": self.error,
        }


class WebhookSender:
    """Signs and posts each emitted webhook in the background and records the outcome."""

    def __init__(
        self, config: ShopifySimulatorConfig, clock: SimClock, zone: timezone, seed: int
    ) -> None:
        self.url = config.webhook_url
        self.secret = config.webhook_secret
        self._config = config
        self._clock = clock
        self._zone = zone
        self._random = random.Random(seed)  # noqa: S311 repeatable ids, not security
        self._session: aiohttp.ClientSession | None = None
        self._pending: set[asyncio.Task[None]] = set()
        self.deliveries: list[Delivery] = []

    def emit(self, topic: str, payload: dict[str, Any]) -> Delivery:
        if topic not in TOPICS:
            raise ValueError(f"unknown webhook topic {topic!r}")
        body = json.dumps(payload, separators=(",", ":")).encode()
        webhook_id = str(uuid.UUID(int=self._random.getrandbits(128), version=4))
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": sign(self.secret, body),
            "X-Shopify-Shop-Domain": self._config.shop_domain,
            "X-Shopify-API-Version": self._config.api_version,
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Triggered-At": fmt_time(self._clock.now(), self._zone) or "",
        }
        delivery = Delivery(webhook_id, topic, self.url, headers, body.decode())
        self.deliveries.append(delivery)
        if self.url is None:
            delivery.error = "no webhook URL configured"
            return delivery
        try:
            task = asyncio.get_running_loop().create_task(self._post(delivery, body))
        except RuntimeError:
            delivery.error = "no running event loop"
            return delivery
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return delivery

    async def _post(self, delivery: Delivery, body: bytes) -> None:
        assert delivery.url is not None
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._config.webhook_timeout_seconds)
            )
        try:
            async with self._session.post(
                delivery.url, data=body, headers=delivery.headers
            ) as response:
                delivery.status = response.status
                if response.status >= 300:  # noqa: PLR2004 any non-2xx is a failed delivery
                    delivery.error = f"HTTP {response.status}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            delivery.error = type(exc).__name__
            log.info("shopify_sim_webhook_failed", topic=delivery.topic, error=delivery.error)

    async def drain(self) -> None:
        """Wait until every delivery already started has finished."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def close(self) -> None:
        await self.drain()
        if self._session is not None:
            await self._session.close()
            self._session = None
