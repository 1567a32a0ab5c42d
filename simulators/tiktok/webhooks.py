"""Outgoing webhooks: signed POSTs, retried on the platform's schedule, never fatal.

Body: ``{"type", "tts_notification_id", "shop_id", "timestamp", "data"}``; header
``Authorization: hex(HMAC-SHA256(app_secret, app_key + body))``. A delivery succeeds on HTTP 200;
otherwise it is retried after each of ``webhook_retry_delays_seconds`` on the simulator clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import aiohttp
import structlog

from daemon.connectors.tiktok.signing import sign_webhook
from simulators.tiktok.errors import HTTP_OK
from simulators.tiktok.model import DeliveryRecord, Notification
from simulators.tiktok.state import SimState
from simulators.tiktok.subscriptions import EVENT_NAMES
from simulators.tiktok.timeline import Due, DueKind

WORKERS = 4
log = structlog.get_logger(__name__)


def webhook_body(notification: Notification) -> bytes:
    envelope = {
        "type": notification.event_type,
        "tts_notification_id": notification.notification_id,
        "shop_id": notification.shop_id,
        "timestamp": notification.timestamp,
        "data": notification.data,
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


def webhook_address(state: SimState, notification: Notification) -> str | None:
    """The shop's subscription for this event type, else the app-level default URL."""
    name = EVENT_NAMES.get(notification.event_type, "")
    subscription = state.subscriptions.get(notification.shop_id, {}).get(name)
    if subscription is not None:
        return subscription.address
    return state.default_webhook_url


class WebhookDispatcher:
    """Sends queued notifications from a few worker tasks, in queue order per worker."""

    def __init__(self, state: SimState) -> None:
        self._state = state
        self._queue: asyncio.Queue[tuple[Notification, str]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self._state.config.webhook_timeout_seconds)
        self._session = aiohttp.ClientSession(timeout=timeout)
        self._workers = [asyncio.create_task(self._work()) for _ in range(WORKERS)]

    async def close(self) -> None:
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers = []
        if self._session is not None:
            await self._session.close()
            self._session = None

    def flush(self) -> None:
        """Hand everything in the outbox to the workers (called after each request and tick)."""
        state = self._state
        if not state.outbox:
            return
        batch, state.outbox = state.outbox, []
        for notification in batch:
            url = webhook_address(state, notification)
            if url is None or self._session is None:
                reason = "no webhook address" if url is None else "dispatcher not running"
                self._record(notification, url or "", None, reason)
                continue
            self._queue.put_nowait((notification, url))

    async def drain(self, wait_seconds: float) -> bool:
        """Wait until every queued delivery has been attempted; False on timeout."""
        try:
            async with asyncio.timeout(wait_seconds):
                await self._queue.join()
        except TimeoutError:
            return False
        return True

    async def _work(self) -> None:
        while True:
            notification, url = await self._queue.get()
            try:
                await self._deliver(notification, url)
            except Exception:
                log.warning("webhook delivery crashed", url=url, exc_info=True)
            finally:
                self._queue.task_done()

    async def _deliver(self, notification: Notification, url: str) -> None:
        assert self._session is not None
        body = webhook_body(notification)
        config = self._state.config
        headers = {
            "Authorization": sign_webhook(config.app_key, config.app_secret, body),
            "Content-Type": "application/json",
        }
        notification.attempts += 1
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(url, data=body, headers=headers) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        if status != HTTP_OK and error is None:
            error = f"HTTP {status}"
        self._record(notification, url, status, error)
        if error is not None:
            self._schedule_retry(notification)

    def _record(
        self, notification: Notification, url: str, status: int | None, error: str | None
    ) -> None:
        record = DeliveryRecord(
            notification_id=notification.notification_id,
            event_type=notification.event_type,
            url=url,
            attempt=notification.attempts,
            status=status,
            error=error,
            at=self._state.clock.now(),
        )
        self._state.deliveries.append(record)

    def _schedule_retry(self, notification: Notification) -> None:
        delays = self._state.config.webhook_retry_delays_seconds
        if notification.attempts > len(delays):
            return
        state = self._state
        state.retrying[notification.notification_id] = notification
        when = state.clock.now() + delays[notification.attempts - 1]
        state.schedule(when, Due(DueKind.WEBHOOK_RETRY, notification.notification_id))
