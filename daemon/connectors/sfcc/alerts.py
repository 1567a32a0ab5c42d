"""The feed alert: ``POST /feeds/sfcc/<shop>`` from the storefront's export job (or whatever
drops the files) says a file is ready, so the catalog and inventory jobs look at once. The
sender proves itself with the shared secret in ``X-Feed-Secret`` (or a Bearer token); the
jobs' first call scans the folders, so the hint names no entity."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping

from daemon.connectors.base import WebhookHint

_JOBS = ("catalog", "inventory", "price", "fulfillment", "cancellations")


class SfccAlertReceiver:
    platform = "sfcc"
    # The body is not read: a JSON note, plain text, or nothing at all (curl -X POST).
    content_types = frozenset({"application/json", "text/plain", "application/octet-stream"})

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        del body
        given = headers.get("X-Feed-Secret")
        if given is None:
            scheme, _, token = headers.get("Authorization", "").partition(" ")
            given = token if scheme.lower() == "bearer" else None
        return given is not None and hmac.compare_digest(given.encode(), self._secret)

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        del headers, body
        # Every alert is news (a file is ready now): none is a repeat of another.
        delivery = uuid.uuid4().hex
        return [WebhookHint(delivery, "feed.ready", job, ()) for job in _JOBS]
