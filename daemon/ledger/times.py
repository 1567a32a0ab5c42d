"""How the ledger writes and reads times: ISO-8601 UTC text that sorts as it reads."""

from __future__ import annotations

from datetime import UTC, datetime


def stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the ledger stores aware datetimes only")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def parse_optional(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
