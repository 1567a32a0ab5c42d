"""Identifiers in TikTok Shop's formats: long numeric strings, opaque tokens, request ids."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


class IdSequence:
    """Monotonic numeric ids with a realistic width, e.g. ``1729592969712207008``.

    Monotonic ids keep "sort by id" equal to "sort by creation", which the product search
    relies on.
    """

    __slots__ = ("_next", "_stride")

    def __init__(self, base: int, stride: int = 7) -> None:
        self._next = base
        self._stride = stride

    def next(self) -> str:
        self._next += self._stride
        return str(self._next)


class IdFactory:
    """One sequence per kind of entity, so ids of different kinds never collide."""

    __slots__ = (
        "cancellation",
        "delivery_option",
        "image",
        "line_item",
        "notification",
        "order",
        "package",
        "product",
        "return_request",
        "shop",
        "sku",
        "warehouse",
    )

    def __init__(self) -> None:
        self.product = IdSequence(1_729_500_000_000_000_000)
        self.sku = IdSequence(1_729_600_000_000_000_000)
        self.order = IdSequence(576_400_000_000_000_000)
        self.line_item = IdSequence(577_000_000_000_000_000)
        self.package = IdSequence(1_152_300_000_000_000_000)
        self.cancellation = IdSequence(4_035_300_000_000_000_000)
        self.return_request = IdSequence(4_035_600_000_000_000_000)
        self.notification = IdSequence(7_327_100_000_000_000_000)
        self.image = IdSequence(100_000)
        self.shop = IdSequence(7_494_049_642_642_441_000)
        self.warehouse = IdSequence(7_068_517_275_539_719_000)
        self.delivery_option = IdSequence(7_091_146_663_229_654_000)


def opaque_token(prefix: str) -> str:
    """An access/refresh token or auth code: a region prefix and URL-safe random text."""
    return f"{prefix}{secrets.token_urlsafe(48)}"


def request_id(now: float) -> str:
    """A request id shaped like ``202203070749000101890810281E8C70B7``."""
    stamp = datetime.fromtimestamp(now, tz=UTC).strftime("%Y%m%d%H%M%S")
    return stamp + secrets.token_hex(10).upper()
