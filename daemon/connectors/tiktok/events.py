"""Per-shop webhook subscriptions: list, set (one address per event type), delete."""

from __future__ import annotations

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import Channel
from daemon.connectors.tiktok.models.common import Empty
from daemon.connectors.tiktok.models.events import (
    WebhookDeleteInput,
    WebhookInput,
    WebhooksData,
    WebhookSubscription,
)
from daemon.connectors.tiktok.transport import Call, encode_body


class WebhooksApi:
    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    async def subscriptions(self) -> tuple[WebhookSubscription, ...]:
        data = await self._channel.call(Call(ep.GET_WEBHOOKS, ep.GET_WEBHOOKS.path), WebhooksData)
        return tuple(data.webhooks)

    async def update(self, event_type: str, address: str) -> None:
        """Point `event_type` at `address` (HTTPS, a domain, no port) for this shop."""
        body = encode_body(WebhookInput(address=address, event_type=event_type))
        await self._channel.call(Call(ep.UPDATE_WEBHOOK, ep.UPDATE_WEBHOOK.path, body=body), Empty)

    async def delete(self, event_type: str) -> None:
        body = encode_body(WebhookDeleteInput(event_type=event_type))
        await self._channel.call(Call(ep.DELETE_WEBHOOK, ep.DELETE_WEBHOOK.path, body=body), Empty)
