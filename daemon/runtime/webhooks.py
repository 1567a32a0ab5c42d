"""POST /webhooks/{platform}/{shop}: verify, de-duplicate, and ask for a targeted run.

The answer is quick and carries no detail a stranger could use; the delivery itself never
writes anything but its own id: the job it triggers does the work, and the scheduled poll would
have found the same change anyway.
"""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from aiohttp import web

from daemon.connectors.base import WebhookReceiver
from daemon.errors import SkippableError
from daemon.jobs import Clock
from daemon.ledger import Ledger, webhooks
from daemon.runtime.triggers import Triggers

log = structlog.get_logger("ttsync.webhooks")


class WebhookRouter:
    def __init__(
        self,
        ledger: Ledger,
        triggers: Triggers,
        clock: Clock,
        receivers: Mapping[tuple[str, str], WebhookReceiver],
    ) -> None:
        self._ledger = ledger
        self._triggers = triggers
        self._clock = clock
        self._receivers = dict(receivers)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/webhooks/{platform}/{shop}", self.handle)
        # A store whose data arrives as files is alerted when one is ready: the same check.
        app.router.add_post("/feeds/{platform}/{shop}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        platform, shop_id = request.match_info["platform"], request.match_info["shop"]
        receiver = self._receivers.get((platform, shop_id))
        if receiver is None:
            return web.json_response({"error": "no such webhook endpoint"}, status=404)
        body = await request.read()
        headers = request.headers
        if not receiver.verify(headers, body):
            log.warning("webhook_rejected", platform=platform, shop=shop_id, reason="signature")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            hints = receiver.hints(headers, body)
        except SkippableError as exc:
            log.warning("webhook_unreadable", platform=platform, shop=shop_id, reason=str(exc))
            return web.json_response({"error": "unreadable payload"}, status=400)
        accepted = 0
        for hint in hints:
            if not self._triggers.knows(shop_id, hint.job):
                continue  # a job this shop does not run (turned off): nothing to remember
            async with self._ledger.transaction() as tx:
                fresh = await webhooks.remember_delivery(
                    tx,
                    platform=platform,
                    shop_id=shop_id,
                    delivery_id=f"{hint.delivery_id}:{hint.job}",
                    topic=hint.topic,
                    now=self._clock(),
                )
            if fresh and self._triggers.request(shop_id, hint.job, hint.entity_ids):
                accepted += 1
        log.info("webhook", platform=platform, shop=shop_id, hints=len(hints), accepted=accepted)
        return web.Response(status=200)  # TikTok asks for an empty 200 within 3 s
