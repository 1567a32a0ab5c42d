"""The Open API route table: paths with a version segment, methods, shop_cipher rules.

Resolution mirrors the platform's gateway errors: an unknown path is 36009009, a known path
with the wrong method 36009010, a known path and method with an unsupported version 36009014.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from simulators.tiktok.context import RequestContext
from simulators.tiktok.errors import (
    INVALID_METHOD,
    INVALID_PATH,
    INVALID_VERSION,
    ApiError,
)
from simulators.tiktok.model import JsonObject

Handler = Callable[[RequestContext], JsonObject]

_PARAM = re.compile(r"\{(\w+)\}")
_VERSION_PATTERN = r"(?P<version>\d{6})"


class ShopScope(StrEnum):
    REQUIRED = "required"
    FORBIDDEN = "forbidden"


class BodyKind(StrEnum):
    NONE = "none"
    JSON = "json"
    MULTIPART = "multipart"


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint; `template` uses ``{version}`` and ``{name}`` placeholders."""

    method: str
    template: str
    versions: frozenset[str]
    operation: str
    handler: Handler
    shop: ShopScope = ShopScope.REQUIRED
    body: BodyKind = BodyKind.JSON
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)
    literal_segments: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        regex = "^"
        literals = 0
        for segment in self.template.strip("/").split("/"):
            if segment == "{version}":
                regex += "/" + _VERSION_PATTERN
            elif _PARAM.fullmatch(segment):
                regex += f"/(?P<{segment[1:-1]}>[^/]+)"
            else:
                regex += "/" + re.escape(segment)
                literals += 1
        object.__setattr__(self, "pattern", re.compile(regex + "$"))
        object.__setattr__(self, "literal_segments", literals)


def route(
    method: str,
    template: str,
    versions: Sequence[str],
    operation: str,
    handler: Handler,
    *,
    shop: ShopScope = ShopScope.REQUIRED,
    body: BodyKind | None = None,
) -> Route:
    """Build a route; GET routes default to no body, others to JSON."""
    kind = body if body is not None else (BodyKind.NONE if method == "GET" else BodyKind.JSON)
    return Route(method, template, frozenset(versions), operation, handler, shop, kind)


@dataclass(frozen=True, slots=True)
class Match:
    route: Route
    version: str
    params: dict[str, str]


class RouteTable:
    """Routes ordered most specific first (more literal segments win over placeholders)."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self._routes = sorted(routes, key=lambda r: -r.literal_segments)

    @property
    def routes(self) -> list[Route]:
        return list(self._routes)

    def resolve(self, method: str, path: str) -> Match:
        path_matches = [(r, m) for r in self._routes if (m := r.pattern.match(path))]
        if not path_matches:
            raise ApiError(INVALID_PATH)
        same_method = [(r, m) for r, m in path_matches if r.method == method]
        if not same_method:
            raise ApiError(INVALID_METHOD)
        for candidate, found in same_method:
            version = found.group("version")
            if version in candidate.versions:
                params = {k: v for k, v in found.groupdict().items() if k != "version"}
                return Match(candidate, version, params)
        raise ApiError(INVALID_VERSION)
