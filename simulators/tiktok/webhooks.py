"""TikTok's webhooks on the kit's sender: signed POSTs, retried on the platform's schedule.

Body: ``{"type", "tts_notification_id", "shop_id", "timestamp", "data"}``; header
``Authorization: hex(HMAC-SHA256(app_secret, app_key + body))``. A delivery succeeds on HTTP 200
only; otherwise it is retried after each of ``webhook_retry_delays_seconds`` on the simulator
clock, with the same ``tts_notification_id``. TikTok documents retries only, so a delivery
that succeeded is never sent again (no redelivery).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from daemon.connectors.tiktok.signing import sign_webhook
from simulators.kit import Delivery, DeliveryPolicy, WebhookSender
from simulators.tiktok.config import SimulatorConfig
from simulators.tiktok.errors import HTTP_OK
from simulators.tiktok.model import Notification
from simulators.tiktok.state import SimState
from simulators.tiktok.subscriptions import EVENT_NAMES

WORKERS = 4


def webhook_body(notification: Notification) -> bytes:
    envelope = {
        "type": notification.event_type,
        "tts_notification_id": notification.notification_id,
        "shop_id": notification.shop_id,
        "timestamp": notification.timestamp,
        "data": notification.data,
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


def webhook_address(state: SimState, shop_id: str, event_type: int) -> str | None:
    """The shop's subscription for this event type, else the app-level default URL."""
    subscription = state.subscriptions.get(shop_id, {}).get(EVENT_NAMES.get(event_type, ""))
    if subscription is not None:
        return subscription.address
    return state.default_webhook_url


def _is_ok(status: int) -> bool:
    return status == HTTP_OK


def delivery_policy(config: SimulatorConfig) -> DeliveryPolicy:
    return DeliveryPolicy(
        retry_delays_seconds=tuple(float(d) for d in config.webhook_retry_delays_seconds),
        timeout_seconds=config.webhook_timeout_seconds,
        succeeded=_is_ok,
    )


def webhook_sender(state: SimState) -> WebhookSender:
    """The sender of `state`'s webhooks: signed with the app's secret, sent to the address
    that holds when each attempt starts."""

    def signature(body: bytes) -> Mapping[str, str]:
        config = state.config
        return {"Authorization": sign_webhook(config.app_key, config.app_secret, body)}

    def address(delivery: Delivery) -> str | None:
        return webhook_address(state, str(delivery.meta["shop_id"]), int(delivery.topic))

    return WebhookSender(
        clock=state.clock,
        policy=delivery_policy(state.config),
        sign=signature,
        address=address,
        concurrency=WORKERS,
        max_records=state.config.max_recorded_calls,
    )


def flush(state: SimState, sender: WebhookSender) -> None:
    """Send what the outbox holds; called once a request has been served and at each tick."""
    if not state.outbox:
        return
    batch, state.outbox = state.outbox, []
    for notification in batch:
        sender.emit(
            notification.notification_id,
            str(notification.event_type),
            webhook_body(notification),
            {"Content-Type": "application/json"},
            meta={"shop_id": notification.shop_id},
        )
