"""POST /webhooks/{platform}/{shop}: verify, de-duplicate, and ask for a targeted run.

The answer is quick and carries no detail a stranger could use; the delivery itself never
writes anything but its own id: the job it triggers does the work, and the scheduled poll would
have found the same change anyway.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import accumulate

import structlog
from aiohttp import web

from daemon.connectors.base import UnknownTopicError, WebhookHint, WebhookReceiver
from daemon.errors import LedgerError, SkippableError
from daemon.jobs import Clock
from daemon.ledger import Ledger, webhooks
from daemon.runtime.triggers import Triggers

log = structlog.get_logger("ttsync.webhooks")

# No platform's delivery comes near these; a body beyond them is refused before it is parsed.
MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply `body`'s arrays and objects nest, counted without parsing it (a parser
    would recurse once per level)."""
    brackets = _BRACKET.findall(_JSON_STRING.sub(b"", body))
    steps = (1 if bracket in (b"[", b"{") else -1 for bracket in brackets)
    return max(accumulate(steps, initial=0))


class _Refused(Exception):  # noqa: N818 a refusal, not a fault
    """A delivery answered with `status` and `answer`; the log line says `event` and why."""

    def __init__(
        self, status: int, reason: str, *, event: str = "webhook_refused", answer: str = ""
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.event = event
        self.answer = answer or reason


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
        try:
            hints = await _hints(request, receiver)
            accepted = await self._accept(platform, shop_id, hints)
        except _Refused as refused:
            log.warning(refused.event, platform=platform, shop=shop_id, reason=str(refused))
            return web.json_response({"error": refused.answer}, status=refused.status)
        log.info("webhook", platform=platform, shop=shop_id, hints=len(hints), accepted=accepted)
        return web.Response(status=200)  # TikTok asks for an empty 200 within 3 s

    async def _accept(self, platform: str, shop_id: str, hints: list[WebhookHint]) -> int:
        """Remember each hint's delivery and ask for the runs; the number of runs asked for.

        When the ledger cannot be written (a full disk) the delivery is refused with 503, so
        that the platform delivers it again later.
        """
        accepted = 0
        for hint in hints:
            if not self._triggers.knows(shop_id, hint.job):
                continue  # a job this shop does not run (turned off): nothing to remember
            try:
                async with self._ledger.transaction() as tx:
                    fresh = await webhooks.remember_delivery(
                        tx,
                        platform=platform,
                        shop_id=shop_id,
                        delivery_id=f"{hint.delivery_id}:{hint.job}",
                        topic=hint.topic,
                        now=self._clock(),
                    )
            except LedgerError as exc:
                raise _Refused(
                    503, str(exc), event="webhook_deferred", answer="try later"
                ) from None
            if fresh and self._triggers.request(shop_id, hint.job, hint.entity_ids):
                accepted += 1
        return accepted


async def _hints(request: web.Request, receiver: WebhookReceiver) -> list[WebhookHint]:
    """The delivery's hints; `_Refused` for anything a platform would not send."""
    body = await _body(request, receiver)
    if not receiver.verify(request.headers, body):
        raise _Refused(401, "signature", event="webhook_rejected", answer="invalid signature")
    if request.content_type == "application/json" and json_depth(body) > MAX_JSON_DEPTH:
        raise _Refused(400, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return receiver.hints(request.headers, body)
    except UnknownTopicError as exc:
        raise _Refused(422, str(exc), answer="unknown topic") from None
    except SkippableError as exc:
        raise _Refused(
            400, str(exc), event="webhook_unreadable", answer="unreadable payload"
        ) from None


async def _body(request: web.Request, receiver: WebhookReceiver) -> bytes:
    """The delivery's body, when its type is one the platform sends and its size is sane."""
    if request.content_type not in receiver.content_types:
        raise _Refused(415, f"content type {request.content_type!r} is not accepted")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise _Refused(413, f"body larger than {MAX_BODY_BYTES} bytes")
    body = bytearray()
    async for chunk in request.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _Refused(413, f"body larger than {MAX_BODY_BYTES} bytes")
    return bytes(body)
