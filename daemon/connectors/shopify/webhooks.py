"""Shopify webhook deliveries: HMAC verification, a pure parse into a typed `DeliveryHint`, and
`ShopifyWebhookReceiver`, which turns a delivery into the runtime's per-job `WebhookHint`s.

A hint only says "look at this entity now"; the polling path does the work, so a lost or
repeated webhook costs latency, never correctness. `webhook_id` is what to de-duplicate on.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import SecretStr

from daemon.connectors.base import UnknownTopicError, WebhookHint, WebhookReceiver
from daemon.errors import FatalError, SkippableError

# Headers a delivery must carry (the official validator rejects a delivery without them).
_REQUIRED = (
    "x-shopify-topic",
    "x-shopify-hmac-sha256",
    "x-shopify-shop-domain",
    "x-shopify-api-version",
    "x-shopify-webhook-id",
)


class InvalidWebhookError(FatalError):
    """The delivery is unsigned, wrongly signed, incomplete or unreadable: drop it."""


def verify(secret: str, body: bytes, hmac_header: str) -> bool:
    """True when `hmac_header` is base64(HMAC-SHA256(secret, raw body)); constant time."""
    try:
        given = base64.b64decode(hmac_header.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(given, expected)


@dataclass(frozen=True)
class DeliveryHint:
    """What a delivery concerns. Ids are strings, as in the domain."""

    topic: str
    webhook_id: str
    shop_domain: str
    api_version: str
    triggered_at: datetime | None = None
    product_id: str | None = None
    inventory_item_id: str | None = None
    location_id: str | None = None
    order_id: str | None = None
    fulfillment_id: str | None = None
    bulk_operation_id: str | None = None  # its GID, as the bulk operation's own id


def _id(payload: Mapping[str, object], key: str) -> str | None:
    value = payload.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.isdigit():
        return value
    return None


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_delivery(headers: Mapping[str, str], body: bytes) -> DeliveryHint:
    """Read a delivery's headers and JSON body (no signature check: see `verify_delivery`)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    missing = [name for name in _REQUIRED if not lowered.get(name)]
    if missing:
        raise InvalidWebhookError(f"webhook without {', '.join(missing)}")
    try:
        payload = json.loads(body)
    except ValueError:
        raise InvalidWebhookError("webhook body is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidWebhookError("webhook body is not a JSON object")
    topic = lowered["x-shopify-topic"]
    resource = topic.partition("/")[0]
    fields: dict[str, str | None] = {}
    if resource == "products":
        fields["product_id"] = _id(payload, "id")
    elif resource == "inventory_levels":
        fields["inventory_item_id"] = _id(payload, "inventory_item_id")
        fields["location_id"] = _id(payload, "location_id")
    elif resource == "inventory_items":
        fields["inventory_item_id"] = _id(payload, "id")
    elif resource == "orders":
        fields["order_id"] = _id(payload, "id")
    elif resource == "fulfillments":
        fields["fulfillment_id"] = _id(payload, "id")
        fields["order_id"] = _id(payload, "order_id")
    elif resource == "bulk_operations":
        operation = payload.get("admin_graphql_api_id")
        fields["bulk_operation_id"] = operation if isinstance(operation, str) else None
    return DeliveryHint(
        topic=topic,
        webhook_id=lowered["x-shopify-webhook-id"],
        shop_domain=lowered["x-shopify-shop-domain"],
        api_version=lowered["x-shopify-api-version"],
        triggered_at=_when(lowered.get("x-shopify-triggered-at")),
        **fields,
    )


def verify_delivery(secret: str, headers: Mapping[str, str], body: bytes) -> DeliveryHint:
    """Check the signature over the raw body, then parse; `InvalidWebhookError` otherwise."""
    signature = next(
        (value for name, value in headers.items() if name.lower() == "x-shopify-hmac-sha256"),
        "",
    )
    if not signature or not verify(secret, body, signature):
        raise InvalidWebhookError("webhook signature does not match")
    return parse_delivery(headers, body)


BULK_FINISH = "bulk_operations/finish"

# Which job a topic wakes, and which entity ids it names (see `ShopifyWebhookReceiver`).
_JOBS: dict[str, tuple[tuple[str, str], ...]] = {
    "products/create": (("catalog", "product_id"),),
    "products/update": (("catalog", "product_id"), ("price", "product_id")),
    "products/delete": (("catalog", "product_id"),),
    "inventory_levels/update": (("inventory", "inventory_item_id"),),
    "inventory_items/update": (("inventory", "inventory_item_id"),),
    "fulfillments/create": (("fulfillment", "order_id"),),
    "fulfillments/update": (("fulfillment", "order_id"),),
    "orders/cancelled": (("cancellations", "order_id"),),
    "app/uninstalled": (("connect", ""),),
}


# The resources the subscriptions name (OPERATIONS.md); their other topics give no hint.
_RESOURCES = frozenset(
    {
        "products",
        "inventory_levels",
        "inventory_items",
        "orders",
        "fulfillments",
        "app",
        "bulk_operations",
    }
)


class ShopifyWebhookReceiver:
    """`daemon.connectors.base.WebhookReceiver` for one shop's webhook secret.

    ``bulk_operations/finish`` wakes no job: it is handed to `bulk_finished` (the connector's
    wait for that bulk operation, which then polls its status at once instead of at the next
    interval; the poll stays the truth).
    """

    platform = "shopify"
    content_types = frozenset({"application/json"})

    def __init__(
        self, secret: SecretStr, bulk_finished: Callable[[str], None] | None = None
    ) -> None:
        self._secret = secret
        self._bulk_finished = bulk_finished

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        signature = next(
            (value for name, value in headers.items() if name.lower() == "x-shopify-hmac-sha256"),
            "",
        )
        return bool(signature) and verify(self._secret.get_secret_value(), body, signature)

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        """One hint per job the topic concerns; none for topics no job follows."""
        try:
            delivery = parse_delivery(headers, body)
        except InvalidWebhookError as exc:
            raise SkippableError(str(exc)) from None
        if delivery.topic.partition("/")[0] not in _RESOURCES:
            raise UnknownTopicError(f"unknown topic {delivery.topic!r}")
        if delivery.topic == BULK_FINISH:
            if delivery.bulk_operation_id is None:
                raise SkippableError(f"{BULK_FINISH} webhook without its admin_graphql_api_id")
            if self._bulk_finished is not None:
                self._bulk_finished(delivery.bulk_operation_id)
            return []
        found = []
        for job, attribute in _JOBS.get(delivery.topic, ()):
            entity = getattr(delivery, attribute) if attribute else None
            if attribute and entity is None:
                raise SkippableError(f"{delivery.topic} webhook without its {attribute}")
            found.append(
                WebhookHint(
                    delivery_id=delivery.webhook_id,
                    topic=delivery.topic,
                    job=job,
                    entity_ids=() if entity is None else (entity,),
                )
            )
        return found


if TYPE_CHECKING:  # mypy proves the receiver fits the runtime's protocol

    def _as_receiver(receiver: ShopifyWebhookReceiver) -> WebhookReceiver:
        return receiver
