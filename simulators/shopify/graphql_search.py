"""Shopify's search syntax for the ``query:`` argument of connections.

``updated_at:>'2026-11-23T09:00:00Z' AND status:active``, ``id:123 OR id:456``,
``product_id:7000000001``, ``-status:draft``: terms joined by ``AND`` (also implied by a
space), ``OR`` and ``NOT``/``-``, grouped by parentheses; a term is ``field:value`` with an
optional comparator (``:>``, ``:>=``, ``:<``, ``:<=``) and a value that may be quoted. A field
the connection does not know is ignored, as Shopify does (it adds a search warning instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:(?P<open>\()|(?P<close>\))|(?P<term>-?[A-Za-z_]+:(?:>=|<=|>|<)?"""
    r"""(?:'[^']*'|"[^"]*"|[^\s()]+))|(?P<word>[^\s()]+))"""
)

Getter = Callable[[Any], Any]
Test = Callable[[Any], bool]


class SearchSyntaxError(ValueError):
    """A query string that cannot be read."""


@dataclass
class SearchFields:
    """What one connection's records can be searched by: field name → value getter.

    A getter's value decides the comparison: datetimes compare as moments, ints as numbers,
    anything else as case-insensitive text.
    """

    getters: Mapping[str, Getter]
    zone: timezone
    warnings: list[str] = field(default_factory=list)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":  # noqa: PLR2004 a pair
        return value[1:-1]
    return value


def _coerce(sample: Any, text: str, zone: timezone) -> Any:
    if isinstance(sample, datetime):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise SearchSyntaxError(f"invalid date {text!r}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    if isinstance(sample, int) and not isinstance(sample, bool):
        tail = text.rsplit("/", 1)[-1]  # a GID is accepted where a numeric id is
        if not tail.isdigit():
            raise SearchSyntaxError(f"invalid id {text!r}")
        return int(tail)
    return text.lower()


def _compare(actual: Any, op: str, wanted: Any) -> bool:
    if actual is None:
        return False
    if isinstance(actual, str):
        actual = actual.lower()
    if op == ">":
        return bool(actual > wanted)
    if op == ">=":
        return bool(actual >= wanted)
    if op == "<":
        return bool(actual < wanted)
    if op == "<=":
        return bool(actual <= wanted)
    return bool(actual == wanted)


def _term(fields: SearchFields, text: str) -> Test:
    negate = text.startswith("-")
    name, _, rest = text.lstrip("-").partition(":")
    op = next((sign for sign in (">=", "<=", ">", "<") if rest.startswith(sign)), "")
    raw = _unquote(rest[len(op) :])
    getter = fields.getters.get(name.lower())
    if getter is None:
        fields.warnings.append(f"Invalid search field for this query: {name}")
        return lambda _: True
    cache: dict[type, Any] = {}

    def test(record: Any) -> bool:
        actual = getter(record)
        kind = type(actual)
        if kind not in cache:
            cache[kind] = _coerce(actual, raw, fields.zone)
        return _compare(actual, op, cache[kind]) != negate

    return test


class _Parser:
    def __init__(self, fields: SearchFields, tokens: list[tuple[str, str]]) -> None:
        self.fields = fields
        self.tokens = tokens
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def disjunction(self) -> Test:
        parts = [self.conjunction()]
        while (token := self.peek()) is not None and token == ("word", "OR"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda r: any(part(r) for part in parts)

    def conjunction(self) -> Test:
        parts = [self.unary()]
        while (token := self.peek()) is not None and token[0] != "close" and token[1] != "OR":
            if token == ("word", "AND"):
                self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else lambda r: all(part(r) for part in parts)

    def unary(self) -> Test:
        token = self.peek()
        if token == ("word", "NOT"):
            self.take()
            inner = self.unary()
            return lambda r: not inner(r)
        return self.primary()

    def primary(self) -> Test:
        if self.peek() is None:
            raise SearchSyntaxError("the query ends too early")
        kind, text = self.take()
        if kind == "open":
            inner = self.disjunction()
            if self.peek() is None or self.take()[0] != "close":
                raise SearchSyntaxError("an opening parenthesis is not closed")
            return inner
        if kind == "term":
            return _term(self.fields, text)
        if kind == "close":
            raise SearchSyntaxError("a closing parenthesis has no opening one")
        self.fields.warnings.append(f"Free-text search is not simulated: {text}")
        return lambda _: True


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(query):
        if query[position:].strip() == "":
            break
        found = _TOKEN.match(query, position)
        if found is None or found.end() == position:
            raise SearchSyntaxError(f"cannot read the query at {query[position:]!r}")
        kind = found.lastgroup or "word"
        tokens.append((kind, found.group(kind)))
        position = found.end()
    return tokens


def matcher(query: str | None, fields: SearchFields) -> Test:
    """The test a record must pass for `query` (everything passes an empty query)."""
    if query is None or not query.strip():
        return lambda _: True
    parser = _Parser(fields, _tokens(query))
    test = parser.disjunction()
    if parser.peek() is not None:
        raise SearchSyntaxError(f"unexpected {parser.peek()[1]!r} in the query")  # type: ignore[index]
    return test
