"""BigCommerce's lightweight callbacks: Standard Webhooks verification, and
`BigCommerceWebhookReceiver`, which turns a callback (ids only) into per-job `WebhookHint`s.

BigCommerce signs HTTPS webhooks per Standard Webhooks with the app's client secret:
``webhook-signature`` holds one or more ``v1,<base64 HMAC-SHA256(secret, "{webhook-id}.
{webhook-timestamp}.{body}")>`` (the docs hand base64 of the client secret to the library,
which decodes it: the key is the client secret itself). A timestamp more than 5 minutes from
now is refused. The ``webhook-id`` (the event's hash, kept by a duplicate delivery) is what
the runtime de-duplicates on. A hint only says "look at this entity now".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from pydantic import SecretStr

from daemon.connectors.base import UnknownTopicError, WebhookHint, WebhookReceiver
from daemon.errors import SkippableError

TOLERANCE_SECONDS = 300
_PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    """The HMAC key of a Standard Webhooks secret: ``whsec_`` dropped, base64 decoded."""
    text = secret.removeprefix(_PREFIX)
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""


def sign(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,`` signature of a message."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()


def verify(
    key: bytes, headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> bool:
    """True when one of the ``webhook-signature`` values signs this message with `key` and
    the timestamp is within the tolerance of `now`; constant time per signature."""
    lowered = {name.lower(): value for name, value in headers.items()}
    msg_id = lowered.get("webhook-id", "")
    stamp = lowered.get("webhook-timestamp", "")
    signatures = lowered.get("webhook-signature", "")
    if not (msg_id and stamp.isdigit() and signatures and key):
        return False
    moment = time.time() if now is None else now
    if abs(moment - int(stamp)) > TOLERANCE_SECONDS:
        return False
    expected = sign(key, msg_id, int(stamp), body).encode()
    return any(hmac.compare_digest(given.encode(), expected) for given in signatures.split())


# Which jobs a scope wakes, and where the entity id sits in ``data``.
_JOBS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "store/product/created": (("catalog", ("id",)),),
    "store/product/updated": (("catalog", ("id",)), ("price", ("id",))),
    "store/product/deleted": (("catalog", ("id",)),),
    "store/sku/inventory/updated": (("inventory", ("inventory", "variant_id")),),
    "store/order/updated": (("fulfillment", ("id",)), ("cancellations", ("id",))),
    "store/order/statusUpdated": (("fulfillment", ("id",)), ("cancellations", ("id",))),
}


# The scope families BigCommerce documents; scopes no job follows give no hint.
_FAMILIES = frozenset(
    {"app", "cart", "category", "channel", "customer", "information", "inventory", "order"}
    | {"product", "shipment", "sku", "subscriber"}
)


def _entity(data: object, path: tuple[str, ...]) -> str | None:
    value = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value.isdigit() else None


class BigCommerceWebhookReceiver:
    """`daemon.connectors.base.WebhookReceiver` for one app's client secret."""

    platform = "bigcommerce"
    content_types = frozenset({"application/json"})

    def __init__(self, client_secret: SecretStr, *, clock: Callable[[], float] = time.time) -> None:
        self._secret = client_secret
        self._clock = clock

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        key = self._secret.get_secret_value().encode()
        return verify(key, headers, body, now=self._clock())

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        """One hint per job the scope concerns; none for scopes no job follows."""
        delivery = next((v for k, v in headers.items() if k.lower() == "webhook-id"), "")
        try:
            payload = json.loads(body)
        except ValueError:
            raise SkippableError("webhook body is not JSON") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("scope"), str):
            raise SkippableError("webhook body without its scope")
        scope = payload["scope"]
        family, _, rest = scope.removeprefix("store/").partition("/")
        if not scope.startswith("store/") or family not in _FAMILIES or not rest:
            raise UnknownTopicError(f"unknown scope {scope!r}")
        found = []
        for job, path in _JOBS.get(scope, ()):
            entity = _entity(payload.get("data"), path)
            if entity is None:
                raise SkippableError(f"{scope} webhook without data.{'.'.join(path)}")
            found.append(
                WebhookHint(
                    delivery_id=delivery or str(payload.get("hash", "")),
                    topic=scope,
                    job=job,
                    entity_ids=(entity,),
                )
            )
        return found


if TYPE_CHECKING:  # mypy proves the receiver fits the runtime's protocol

    def _as_receiver(receiver: BigCommerceWebhookReceiver) -> WebhookReceiver:
        return receiver
