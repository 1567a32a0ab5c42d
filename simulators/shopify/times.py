"""Timestamps as Shopify writes and reads them: ISO 8601 with the shop's UTC offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from simulators.shopify.errors import ApiError

_CENT = Decimal("0.01")


def shop_zone(utc_offset_minutes: int) -> timezone:
    return timezone(timedelta(minutes=utc_offset_minutes))


def fmt_time(moment: datetime | None, zone: timezone) -> str | None:
    """``2026-11-23T04:00:00-05:00``: whole seconds, in the shop's zone."""
    if moment is None:
        return None
    return moment.astimezone(zone).isoformat(timespec="seconds")


def fmt_unix(at: float, zone: timezone) -> str:
    """A simulator time (Unix seconds) as Shopify writes timestamps."""
    return datetime.fromtimestamp(int(at), zone).isoformat(timespec="seconds")


def parse_time(name: str, text: str, zone: timezone) -> datetime:
    """A query timestamp; one without an offset is read in the shop's zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, {name: [f"invalid date: {text!r}"]}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def money(value: Decimal) -> str:
    """Money as REST writes it: a string with two decimals."""
    return str(value.quantize(_CENT))
