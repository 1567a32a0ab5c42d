"""Per-shop webhook subscriptions (``/event/202309/webhooks``)."""

from __future__ import annotations

from pydantic import Field

from daemon.connectors.tiktok.models.common import RequestModel, WireModel


class WebhookSubscription(WireModel):
    event_type: str
    address: str
    create_time: int | None = None
    update_time: int | None = None


class WebhooksData(WireModel):
    webhooks: list[WebhookSubscription] = Field(default_factory=list)


class WebhookInput(RequestModel):
    address: str = Field(min_length=1)
    event_type: str = Field(min_length=1)


class WebhookDeleteInput(RequestModel):
    event_type: str = Field(min_length=1)
