"""Routes under ``/{projectKey}/``, each named as its endpoint and guarded by one scope, and the
query parameters every list shares: ``where`` (repeatable, ANDed), ``sort``, ``limit`` (0 to
500, 20 by default), ``offset`` (0 to 10,000) and ``withTotal`` (true by default)."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

from aiohttp import web
from multidict import MultiMapping

from simulators.commercetools.errors import CtError, invalid_input
from simulators.commercetools.predicates import PredicateError, compile_predicate

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
T = TypeVar("T")
# A key-paged query as the connectors send it: ``(...) and (id > "last")`` or ``(id > "last")``.
_AFTER = re.compile(r'^(?:\((?P<rest>.*)\) and )?\(id > "(?P<after>[^"\\]*)"\)$')

#: Endpoint name -> the scope (without ``:{projectKey}``) a token needs for it.
SCOPES: dict[str, str] = {}
MAX_LIMIT = 500
MAX_OFFSET = 10_000
DEFAULT_LIMIT = 20


def add(
    router: web.UrlDispatcher,
    project_key: str,
    method: str,
    path: str,
    handler: Handler,
    *,
    name: str,
    scope: str,
) -> None:
    SCOPES[name] = scope
    suffix = f"/{path}" if path else ""
    router.add_route(method, f"/{project_key}{suffix}", handler, name=name)


def answer(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


async def body_of(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw)
    except ValueError:
        raise invalid_input("Request body does not contain valid JSON.") from None
    if not isinstance(body, dict):
        raise invalid_input("Request body does not contain valid JSON.")
    return body


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_input(f"Malformed parameter: {name}: Invalid number.") from None
    if not low <= value <= high:
        raise invalid_input(f"Malformed parameter: {name}: must be between {low} and {high}.")
    return value


def _sorter(spec: str) -> tuple[str, bool]:
    field, _, direction = spec.strip().partition(" ")
    direction = direction.strip().lower() or "asc"
    if not field or direction not in {"asc", "desc"}:
        raise invalid_input(f"Malformed parameter: sort: {spec!r}.")
    return field, direction == "desc"


def _sort_key(field: str, pair: tuple[Any, Mapping[str, Any]]) -> str:
    return str(pair[1].get(field, ""))


def page(
    query: MultiMapping[str],
    items: Sequence[T],
    index: Callable[[T], Mapping[str, Any]],
    render: Callable[[T], dict[str, Any]],
) -> dict[str, Any]:
    """One page of `items`: filtered with the predicates on `index`, sorted, sliced."""
    limit = _int(query, "limit", DEFAULT_LIMIT, 0, MAX_LIMIT)
    offset = _int(query, "offset", 0, 0, MAX_OFFSET)
    with_total = query.get("withTotal", "true").lower() != "false"
    try:
        tests = [compile_predicate(text) for text in query.getall("where", [])]
    except PredicateError as exc:
        raise invalid_input(str(exc)) from None
    sorts = [_sorter(spec) for spec in query.getall("sort", [])] or [("createdAt", False)]
    if sorts == [("id", False)] and not with_total:
        # Paging by key (``id > last``, sorted by id, no total): scan in id order and stop
        # at the page's end, instead of filtering and sorting the whole collection per page.
        afters = [_after_id(text) for text in query.getall("where", [])]
        after = max((a for a in afters if a is not None), default=None)
        chosen = _first_by_id(items, index, tests, offset + limit, after)[offset:]
        total = None
    else:
        views = [(item, index(item)) for item in items]
        found = [(item, view) for item, view in views if all(test(view) for test in tests)]
        for field, descending in reversed([*sorts, ("id", False)]):
            found.sort(key=partial(_sort_key, field), reverse=descending)
        chosen = found[offset : offset + limit]
        total = len(found)
    body: dict[str, Any] = {
        "limit": limit,
        "offset": offset,
        "count": len(chosen),
        "results": [render(item) for item, _ in chosen],
    }
    if with_total:
        body["total"] = total
    return body


def _first_by_id(
    items: Sequence[T],
    index: Callable[[T], Mapping[str, Any]],
    tests: Sequence[Callable[[Mapping[str, Any]], bool]],
    wanted: int,
    after: str | None = None,
) -> list[tuple[T, Mapping[str, Any]]]:
    """The first `wanted` items in id order that pass every test, starting past `after` (an
    ``id > after`` conjunct of the query: the items up to it would fail)."""
    keyed = sorted(((_id_of(item, index), item) for item in items), key=lambda pair: pair[0])
    start = 0 if after is None else bisect_right([key for key, _ in keyed], after)
    found: list[tuple[T, Mapping[str, Any]]] = []
    for _, item in keyed[start:]:
        view = index(item)
        if all(test(view) for test in tests):
            found.append((item, view))
            if len(found) == wanted:
                break
    return found


def _id_of(item: T, index: Callable[[T], Mapping[str, Any]]) -> str:
    """A record's id without building its view when it carries one."""
    found = getattr(item, "id", None)
    return found if isinstance(found, str) else str(index(item).get("id", ""))


def _after_id(text: str) -> str | None:
    """X when `text` is ``(id > "X")`` or ``(REST) and (id > "X")`` with REST one group."""
    match = _AFTER.match(text.strip())
    if match is None:
        return None
    depth = 0
    for char in match["rest"] or "":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:  # "(a) or (b)": the id conjunct does not bound the whole query
            return None
    return match["after"] if depth == 0 else None


def version_of(body: Mapping[str, Any]) -> int:
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CtError(
            400,
            "InvalidJsonInput",
            "Request body does not contain valid JSON.",
            detailedErrorMessage="version: Missing required value",
        )
    return version


def actions_of(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    actions = body.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        raise invalid_input("actions: Missing required value")
    if len(actions) > MAX_LIMIT:
        raise invalid_input("Too many update actions (at most 500 per request).")
    return actions
