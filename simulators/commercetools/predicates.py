"""Query predicates (``where=``), the subset the HTTP API documents for queries:
comparisons (``= != <> > >= < <=``), ``in (...)``, ``not in (...)``, ``contains``,
``contains any (...)``, ``is defined``, ``is not defined``, ``and``, ``or``, ``not (...)``,
parentheses, and nested fields written ``masterVariant(sku = "A")``. A nested field that is an
array matches when any of its elements does.

Values are strings in double quotes (``\\"`` escapes), numbers and ``true``/``false``. Two
strings that both read as ISO 8601 times compare as times (``2026-01-01T00:00:00Z`` and
``2026-01-01T00:00:00.000Z`` are equal). A predicate that cannot be read raises
`PredicateError`, which the API answers as 400 ``InvalidInput``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?)'
    r"|(?P<op><>|!=|>=|<=|=|>|<)|(?P<punct>[(),])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_MISSING = object()

Test = Callable[[Any], bool]


class PredicateError(ValueError):
    """A ``where`` predicate the API cannot read."""


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str


def _tokens(text: str) -> list[_Tok]:
    found: list[_Tok] = []
    position = 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise PredicateError(f"Malformed parameter: where: unexpected input at {position}.")
        kind = match.lastgroup or "word"
        found.append(_Tok(kind, match.group(kind)))
        position = match.end()
    return found


@lru_cache(maxsize=4096)
def _as_time(value: str) -> datetime | None:
    if not _TIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _comparable(left: Any, right: Any) -> tuple[Any, Any] | None:
    if isinstance(left, str) and isinstance(right, str):
        lt, rt = _as_time(left), _as_time(right)
        if lt is not None and rt is not None:
            return lt, rt
        return left, right
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers):
        if isinstance(left, bool) != isinstance(right, bool):
            return None
        return left, right
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    pair = _comparable(left, right)
    if pair is None:
        return op in {"!=", "<>"} and left is not _MISSING
    a, b = pair
    outcomes: dict[str, bool] = {
        "=": bool(a == b),
        "!=": bool(a != b),
        "<>": bool(a != b),
        ">": bool(a > b),
        ">=": bool(a >= b),
        "<": bool(a < b),
        "<=": bool(a <= b),
    }
    return outcomes[op]


class _Parser:
    def __init__(self, text: str) -> None:
        self._toks = _tokens(text)
        self._at = 0

    def _peek(self, offset: int = 0) -> _Tok | None:
        index = self._at + offset
        return self._toks[index] if index < len(self._toks) else None

    def _word(self, *words: str) -> bool:
        tok = self._peek()
        return tok is not None and tok.kind == "word" and tok.text.lower() in words

    def _take(self, kind: str, text: str | None = None) -> _Tok:
        tok = self._peek()
        if tok is None or tok.kind != kind or (text is not None and tok.text.lower() != text):
            wanted = text or kind
            got = "the end" if tok is None else repr(tok.text)
            raise PredicateError(f"Malformed parameter: where: expected {wanted}, got {got}.")
        self._at += 1
        return tok

    def parse(self) -> Test:
        test = self._or()
        if self._peek() is not None:
            raise PredicateError(f"Malformed parameter: where: unexpected {self._peek()!r}.")
        return test

    def _or(self) -> Test:
        tests = [self._and()]
        while self._word("or"):
            self._at += 1
            tests.append(self._and())
        return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))

    def _and(self) -> Test:
        tests = [self._factor()]
        while self._word("and"):
            self._at += 1
            tests.append(self._factor())
        return tests[0] if len(tests) == 1 else (lambda v: all(t(v) for t in tests))

    def _factor(self) -> Test:
        if self._word("not"):
            self._at += 1
            self._take("punct", "(")
            inner = self._or()
            self._take("punct", ")")
            return lambda v: not inner(v)
        tok = self._peek()
        if tok is not None and tok.kind == "punct" and tok.text == "(":
            self._at += 1
            inner = self._or()
            self._take("punct", ")")
            return inner
        name = self._take("word").text
        return self._field(name)

    def _value(self) -> Any:
        tok = self._peek()
        if tok is None:
            raise PredicateError("Malformed parameter: where: a value is missing.")
        self._at += 1
        if tok.kind == "string":
            return re.sub(r"\\(.)", r"\1", tok.text[1:-1])
        if tok.kind == "number":
            return float(tok.text) if "." in tok.text else int(tok.text)
        if tok.kind == "word" and tok.text.lower() in {"true", "false"}:
            return tok.text.lower() == "true"
        raise PredicateError(f"Malformed parameter: where: {tok.text!r} is not a value.")

    def _values(self) -> list[Any]:
        self._take("punct", "(")
        values = [self._value()]
        while (tok := self._peek()) is not None and tok.kind == "punct" and tok.text == ",":
            self._at += 1
            values.append(self._value())
        self._take("punct", ")")
        return values

    def _field(self, name: str) -> Test:  # noqa: PLR0911 one return per condition form
        tok = self._peek()
        if tok is not None and tok.kind == "punct" and tok.text == "(":
            self._at += 1
            inner = self._or()
            self._take("punct", ")")
            return _nested(name, inner)
        if tok is not None and tok.kind == "op":
            self._at += 1
            op, value = tok.text, self._value()
            return lambda v: _compare(op, _get(v, name), value)
        if self._word("in"):
            self._at += 1
            values = self._values()
            return lambda v: any(_compare("=", _get(v, name), x) for x in values)
        if self._word("not") and (after := self._peek(1)) is not None and after.text == "in":
            self._at += 2
            values = self._values()
            return lambda v: not any(_compare("=", _get(v, name), x) for x in values)
        if self._word("contains"):
            self._at += 1
            if self._word("any"):
                self._at += 1
                values = self._values()
                return lambda v: any(x in _list(_get(v, name)) for x in values)
            value = self._value()
            return lambda v: value in _list(_get(v, name))
        if self._word("is"):
            self._at += 1
            negated = self._word("not")
            if negated:
                self._at += 1
            self._take("word", "defined")
            return lambda v: (_get(v, name) not in (_MISSING, None)) != negated
        raise PredicateError(f"Malformed parameter: where: no condition for {name!r}.")


def _get(value: Any, name: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(name, _MISSING)
    return _MISSING


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _nested(name: str, inner: Test) -> Test:
    def test(value: Any) -> bool:
        found = _get(value, name)
        if isinstance(found, list):
            return any(inner(item) for item in found)
        return isinstance(found, Mapping) and inner(found)

    return test


@lru_cache(maxsize=512)
def compile_predicate(text: str) -> Test:
    """The test a ``where`` predicate stands for, applied to a resource as JSON."""
    return _Parser(text).parse()
