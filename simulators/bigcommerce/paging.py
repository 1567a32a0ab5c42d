"""Paging and query parsing as the V3 and V2 APIs take them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from simulators.bigcommerce.errors import ApiError, invalid

T = TypeVar("T")


def page_and_limit(query: Mapping[str, str], default: int, maximum: int) -> tuple[int, int]:
    """``page`` (from 1) and ``limit`` (1..maximum); anything else is refused."""
    values = []
    for name, fallback, top in (("page", 1, None), ("limit", default, maximum)):
        raw = query.get(name)
        if raw is None:
            values.append(fallback)
            continue
        if not raw.isdigit() or int(raw) < 1 or (top is not None and int(raw) > top):
            bound = f"from 1 to {top}" if top else "1 or more"
            raise invalid(name, f"must be a whole number {bound}")
        values.append(int(raw))
    return values[0], values[1]


def v3_page(items: Sequence[T], page: int, limit: int) -> tuple[list[T], dict[str, Any]]:
    """One page of `items` and its ``meta`` (``{pagination: {...}}``)."""
    total = len(items)
    pages = max(1, -(-total // limit))
    chunk = list(items[(page - 1) * limit : page * limit])
    links: dict[str, str] = {"current": f"?page={page}&limit={limit}"}
    if page > 1:
        links["previous"] = f"?page={page - 1}&limit={limit}"
    if page < pages:
        links["next"] = f"?page={page + 1}&limit={limit}"
    pagination = {
        "total": total,
        "count": len(chunk),
        "per_page": limit,
        "current_page": page,
        "total_pages": pages,
        "links": links,
    }
    return chunk, {"pagination": pagination}


def id_list(query: Mapping[str, str], name: str, maximum: int) -> set[int] | None:
    raw = query.get(name)
    if raw is None:
        return None
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(part.isdigit() for part in parts) or len(parts) > maximum:
        raise invalid(name, f"must be a comma-separated list of at most {maximum} ids")
    return {int(part) for part in parts}


def moment(query: Mapping[str, str], name: str) -> float | None:
    """A date filter: ISO 8601 (a bare date is midnight UTC), RFC 2822, or Unix seconds."""
    raw = query.get(name)
    if raw is None:
        return None
    text = raw.strip()
    try:
        if text.isdigit():
            return float(text)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        raise invalid(name, "must be an ISO 8601 or RFC 2822 date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def flag(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None:
        return None
    if raw not in {"true", "false", "1", "0"}:
        raise invalid(name, "must be true or false")
    return raw in {"true", "1"}


def iso(at: float) -> str:
    """V3 dates: ISO 8601 with the offset (``2026-11-30T10:00:00+00:00``)."""
    return datetime.fromtimestamp(int(at), UTC).isoformat()


def rfc2822(at: float | None) -> str:
    """V2 dates: ``Mon, 30 Nov 2026 10:00:00 +0000``; an unset one is an empty string."""
    if at is None:
        return ""
    return datetime.fromtimestamp(int(at), UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def bad_json() -> ApiError:
    return ApiError(400, "The request body is not valid JSON.")
