"""Opaque cursor tokens and keyset pages.

Tokens are standard base64 and always contain ``+``, ``/`` and ``=``, as real TikTok tokens do,
so a client that does not percent-encode them (a bare ``+`` decodes to a space) fails here
exactly as it would against the platform.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from simulators.tiktok.errors import invalid_param

# Bytes that encode to "++++////": every token carries both characters.
_MAGIC = b"\xfb\xef\xbe\xff\xff\xff"
_BASE64_GROUP = 3

CursorKey = tuple[int, ...]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the previous page stopped: the last key served and how many items came before."""

    key: CursorKey
    served: int


def encode_token(kind: str, scope: str, cursor: Cursor) -> str:
    payload = {"k": kind, "s": scope, "c": list(cursor.key), "n": cursor.served}
    raw = _MAGIC + json.dumps(payload, separators=(",", ":")).encode()
    if len(raw) % _BASE64_GROUP == 0:
        raw += b" "  # JSON ignores trailing blanks; a partial group guarantees "=" padding
    return base64.b64encode(raw).decode()


def decode_token(token: str, kind: str, scope: str) -> Cursor:
    """Parse a token from a previous page of the same search; anything else is invalid."""
    try:
        raw = base64.b64decode(token.encode(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid_param("page_token is invalid") from exc
    if not raw.startswith(_MAGIC):
        raise invalid_param("page_token is invalid")
    try:
        payload: Any = json.loads(raw[len(_MAGIC) :])
    except ValueError as exc:
        raise invalid_param("page_token is invalid") from exc
    if not isinstance(payload, dict) or payload.get("k") != kind or payload.get("s") != scope:
        raise invalid_param("page_token does not belong to this search")
    key = payload.get("c")
    served = payload.get("n")
    if not isinstance(key, list) or not all(isinstance(x, int) for x in key):
        raise invalid_param("page_token is invalid")
    if not isinstance(served, int):
        raise invalid_param("page_token is invalid")
    return Cursor(tuple(key), served)


def parse_page_size(raw: str | None, *, maximum: int, default: int | None) -> int:
    """Validate ``page_size`` (a query parameter): required when `default` is None."""
    if raw is None or raw == "":
        if default is None:
            raise invalid_param("page_size is required")
        return default
    try:
        size = int(raw)
    except ValueError as exc:
        raise invalid_param("page_size must be an integer") from exc
    if not 1 <= size <= maximum:
        raise invalid_param(f"page_size must be between 1 and {maximum}")
    return size


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str
    total_count: int


def keyset_page(
    items: Sequence[T],
    key: Callable[[T], CursorKey],
    *,
    page_size: int,
    token: str | None,
    kind: str,
    scope: str,
) -> Page[T]:
    """Page through `items`, already sorted ascending by `key` (negate fields for DESC)."""
    keys = [key(item) for item in items]
    cursor = decode_token(token, kind, scope) if token else None
    start = bisect_right(keys, cursor.key) if cursor else 0
    served_before = cursor.served if cursor else 0
    chunk = list(items[start : start + page_size])
    has_more = start + page_size < len(items)
    next_token = ""
    if chunk and has_more:
        next_token = encode_token(kind, scope, Cursor(key(chunk[-1]), served_before + len(chunk)))
    return Page(chunk, next_token, len(items))


def scan_page(
    ordered_ids: Sequence[int],
    lookup: Callable[[int], T | None],
    accept: Callable[[T], bool],
    *,
    page_size: int,
    token: str | None,
    kind: str,
    scope: str,
) -> tuple[list[T], str, int]:
    """Page over ascending integer ids, filtering lazily: cost is the ids scanned, not all.

    Returns the page, the next token and how many items were served before this page.
    """
    cursor = decode_token(token, kind, scope) if token else None
    start = bisect_right(ordered_ids, cursor.key[0]) if cursor else 0
    served_before = cursor.served if cursor else 0
    page: list[T] = []
    last_id = 0
    has_more = False
    for item_id, item in _iter_items(ordered_ids, start, lookup):
        if not accept(item):
            continue
        if len(page) == page_size:
            has_more = True
            break
        page.append(item)
        last_id = item_id
    next_token = ""
    if has_more:
        next_token = encode_token(kind, scope, Cursor((last_id,), served_before + len(page)))
    return page, next_token, served_before


def _iter_items(
    ordered_ids: Sequence[int], start: int, lookup: Callable[[int], T | None]
) -> Iterable[tuple[int, T]]:
    for index in range(start, len(ordered_ids)):
        item_id = ordered_ids[index]
        item = lookup(item_id)
        if item is not None:
            yield item_id, item
