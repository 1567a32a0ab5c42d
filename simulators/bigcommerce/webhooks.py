"""BigCommerce's lightweight webhooks on the kit's sender, signed per Standard Webhooks.

A callback carries ids only (``{scope, store_id, data: {type, id, ...}, hash, created_at,
producer}``); the receiver fetches the resource afterwards. Each is signed as BigCommerce's
HTTPS webhooks are: ``webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>``
where the key is the app's client secret (the library is given base64 of it and decodes it).
The ``webhook-id`` is the event's ``hash``, so a duplicate delivery keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from simulators.bigcommerce.config import BigCommerceSimulatorConfig
from simulators.kit import DeliveryPolicy, SimClock, WebhookSender

CONCURRENCY = 8


def standard_signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for one message (Standard Webhooks, version 1)."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret (``whsec_`` prefix dropped, base64 decoded)."""
    text = secret.removeprefix("whsec_")
    return base64.b64decode(text + "=" * (-len(text) % 4))


def store_id(store_hash: str) -> str:
    """A stable numeric store id for a store hash (the callbacks name both)."""
    return str(int(hashlib.sha1(store_hash.encode(), usedforsecurity=False).hexdigest()[:7], 16))


class Hooks:
    """Emits one store's callbacks; `sender` is the kit's sender (for the control API)."""

    def __init__(self, config: BigCommerceSimulatorConfig, clock: SimClock) -> None:
        self._config = config
        self._clock = clock
        self._seq = 0
        self.url = config.webhook_url
        # The library is given base64(client secret), and decodes it back to the secret.
        self._key = config.client_secret.encode()
        self.sender = WebhookSender(
            clock=clock,
            policy=DeliveryPolicy(
                retry_delays_seconds=config.webhook_retry_delays_seconds,
                timeout_seconds=config.webhook_timeout_seconds,
                redeliver_every=config.webhook_redeliver_every,
                redeliver_after_seconds=config.webhook_redeliver_after_seconds,
            ),
            sign=self._sign,
            address=lambda _: self.url,
            concurrency=CONCURRENCY,
        )

    def _sign(self, body: bytes) -> dict[str, str]:
        msg_id = str(json.loads(body)["hash"])
        # The signature's timestamp is when the attempt is sent, in real time (receivers check
        # it against their own clock), whatever the simulated clock says.
        timestamp = int(time.time())
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": standard_signature(self._key, msg_id, timestamp, body),
        }

    def emit(self, scope: str, data: dict[str, Any]) -> None:
        self._seq += 1
        created = self._clock.now_int()
        seed = f"{self._config.store_hash}:{scope}:{self._seq}:{created}".encode()
        event_hash = hashlib.sha1(seed, usedforsecurity=False).hexdigest()
        payload = {
            "scope": scope,
            "store_id": store_id(self._config.store_hash),
            "data": data,
            "hash": event_hash,
            "created_at": created,
            "producer": f"stores/{self._config.store_hash}",
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json"}
        self.sender.emit(event_hash, scope, body, headers, {"store": self._config.store_hash})

    async def close(self) -> None:
        await self.sender.close()
