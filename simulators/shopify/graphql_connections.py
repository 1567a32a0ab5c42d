"""Relay connections as Shopify pages them: ``first``/``after``, ``last``/``before``, opaque
cursors, at most 250 objects a page (a bulk operation reads without these limits)."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Sequence
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

MAX_PAGE = 250

Key = tuple[Any, ...]


def encode_cursor(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def decode_cursor(cursor: str) -> Key:
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor}") from None
    if not isinstance(value, list):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor}")
    return tuple(value)


def is_bulk(info: GraphQLResolveInfo) -> bool:
    return bool(info.context.get("bulk"))


def connection(  # noqa: C901 the Relay arguments, each checked as Shopify does
    info: GraphQLResolveInfo,
    records: Sequence[Any],
    key: Callable[[Any], Key],
    args: dict[str, Any],
    *,
    reverse: bool = False,
) -> dict[str, Any]:
    """One page of `records` (sorted ascending by `key` already) as a connection object."""
    first, last = args.get("first"), args.get("last")
    after, before = args.get("after"), args.get("before")
    keys = [key(record) for record in records]
    ordered = list(zip(keys, records, strict=True))
    if reverse:
        ordered.reverse()
    if is_bulk(info):
        window = info.context.get("window") if info.path.prev is None else None
        if window is not None:
            start, size = window
            ordered = ordered[start : start + size]
        return _page(ordered, has_next=False, has_previous=False, cursors=False)
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise GraphQLError(f"The '{name}' argument must be between 0 and {MAX_PAGE}")
    start, end = 0, len(ordered)
    ascending = [_sortable(k) for k in keys]
    if after is not None:
        start = _position(ascending, decode_cursor(after), reverse=reverse, after=True)
    if before is not None:
        end = _position(ascending, decode_cursor(before), reverse=reverse, after=False)
    window_rows = ordered[start:end] if start < end else []
    has_next, has_previous = end < len(ordered), start > 0
    if first is not None:
        has_next = has_next or len(window_rows) > first
        window_rows = window_rows[:first]
    if last is not None:
        has_previous = has_previous or len(window_rows) > last
        window_rows = window_rows[len(window_rows) - last :] if last else []
    return _page(window_rows, has_next=has_next, has_previous=has_previous)


def _position(ascending: list[tuple[str, ...]], anchor: Key, *, reverse: bool, after: bool) -> int:
    """Index just past (after) or at (before) the anchor in the page order."""
    target = _sortable(anchor)
    if not reverse:
        return (bisect.bisect_right if after else bisect.bisect_left)(ascending, target)
    # Descending order: what comes after the anchor is what sorts below it.
    below_or_at = bisect.bisect_right(ascending, target)
    below = bisect.bisect_left(ascending, target)
    return len(ascending) - (below if after else below_or_at)


def _sortable(key: Key) -> tuple[str, ...]:
    return tuple(f"{part:030d}" if isinstance(part, int) else str(part) for part in key)


def _page(
    rows: list[tuple[Key, Any]], *, has_next: bool, has_previous: bool, cursors: bool = True
) -> dict[str, Any]:
    """A connection object; a bulk read pages nothing and gets empty cursors."""
    cursors_of = [encode_cursor(key) if cursors else "" for key, _ in rows]
    return {
        "edges": [
            {"cursor": cursor, "node": record}
            for cursor, (_, record) in zip(cursors_of, rows, strict=True)
        ],
        "nodes": [record for _, record in rows],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": cursors_of[0] if cursors_of else None,
            "endCursor": cursors_of[-1] if cursors_of else None,
        },
    }
