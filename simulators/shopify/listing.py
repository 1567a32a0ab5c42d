"""List endpoints: `limit`, `fields`, id lists, and cursor pagination through the Link header.

A first page takes any filters. A follow-up page is asked for with the opaque ``page_info``
from the previous answer's ``Link`` header, and then only ``limit`` and ``fields`` may come
with it: the filters travel inside the cursor, and any other parameter is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.errors import ApiError, not_found
from simulators.shopify.times import parse_time

PAGE_PARAMS = frozenset({"page_info", "limit", "fields"})

Key = Any  # an int id, or a (item id, location id) pair for inventory levels


@dataclass(frozen=True, slots=True)
class ListQuery:
    filters: dict[str, str]
    limit: int
    fields: tuple[str, ...] | None
    anchor: Key | None
    direction: str  # "next" | "prev"
    resource: str


@dataclass(frozen=True, slots=True)
class Page:
    keys: list[Key]
    has_next: bool
    has_previous: bool


def parse_limit(raw: str | None, config: ShopifySimulatorConfig) -> int:
    if raw is None:
        return config.default_limit
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, {"limit": ["must be a number"]}) from None
    if not 1 <= value <= config.max_limit:
        raise ApiError(400, {"limit": [f"must be between 1 and {config.max_limit}"]})
    return value


def parse_fields(raw: str | None) -> tuple[str, ...] | None:
    if not raw:
        return None
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def id_list(name: str, raw: str | None, maximum: int) -> list[int] | None:
    """A comma-joined id list, or None when the parameter is absent."""
    if raw is None:
        return None
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise ApiError(400, {name: ["must be a comma-separated list of numeric ids"]})
    if len(parts) > maximum:
        raise ApiError(422, {name: [f"too many ids: at most {maximum} are allowed"]})
    return [int(part) for part in parts]


def only_fields(body: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    if fields is None:
        return body
    return {name: body[name] for name in fields if name in body}


def _encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError):
        raise ApiError(400, {"page_info": ["Invalid value."]}) from None
    if not isinstance(payload, dict):
        raise ApiError(400, {"page_info": ["Invalid value."]})
    return payload


def list_query(request: web.Request, config: ShopifySimulatorConfig, resource: str) -> ListQuery:
    query = request.query
    limit = parse_limit(query.get("limit"), config)
    fields = parse_fields(query.get("fields"))
    if "page_info" not in query:
        filters = {name: value for name, value in query.items() if name not in PAGE_PARAMS}
        return ListQuery(filters, limit, fields, None, "next", resource)
    extra = sorted(set(query) - PAGE_PARAMS)
    if extra:
        message = (
            f"cannot be combined with other parameters ({', '.join(extra)}); "
            "send only page_info, limit and fields"
        )
        raise ApiError(400, {"page_info": [message]})
    cursor = _decode(query["page_info"])
    if cursor.get("r") != resource or cursor.get("d") not in {"next", "prev"}:
        raise ApiError(400, {"page_info": ["Invalid value."]})
    anchor = cursor.get("a")
    if isinstance(anchor, list):
        anchor = tuple(anchor)
    return ListQuery(dict(cursor.get("f", {})), limit, fields, anchor, cursor["d"], resource)


def take_page(
    listing: ListQuery,
    after: Callable[[Key | None], Iterator[Key]],
    before: Callable[[Key], Iterator[Key]],
    match: Callable[[Key], bool],
) -> Page:
    """One page of keys matching `match`, walking forward or back from the cursor's anchor."""
    wanted = listing.limit + 1
    found: list[Key] = []
    walk = (
        after(listing.anchor)
        if listing.direction == "next" or listing.anchor is None
        else before(listing.anchor)
    )
    for key in walk:
        if match(key):
            found.append(key)
            if len(found) == wanted:
                break
    more = len(found) == wanted
    found = found[: listing.limit]
    if listing.direction == "next" or listing.anchor is None:
        return Page(found, has_next=more, has_previous=listing.anchor is not None)
    found.reverse()
    return Page(found, has_next=True, has_previous=more)


def link_header(request: web.Request, listing: ListQuery, page: Page) -> str | None:
    links = []
    for rel, present, anchor, direction in (
        ("previous", page.has_previous, page.keys[0] if page.keys else None, "prev"),
        ("next", page.has_next, page.keys[-1] if page.keys else None, "next"),
    ):
        if not present or anchor is None:
            continue
        cursor = _encode({"r": listing.resource, "f": listing.filters, "a": anchor, "d": direction})
        params: dict[str, str] = {"limit": str(listing.limit)}
        if listing.fields:
            params["fields"] = ",".join(listing.fields)
        params["page_info"] = cursor
        url = request.url.with_query(params)
        links.append(f'<{url}>; rel="{rel}"')
    return ", ".join(links) or None


def page_response(
    request: web.Request,
    listing: ListQuery,
    page: Page,
    key: str,
    bodies: list[dict[str, Any]],
) -> web.Response:
    headers: dict[str, str] = {}
    link = link_header(request, listing, page)
    if link is not None:
        headers["Link"] = link
    return web.json_response(
        {key: [only_fields(body, listing.fields) for body in bodies]}, headers=headers
    )


def flag(filters: Mapping[str, str], name: str) -> bool | None:
    raw = filters.get(name)
    if raw is None:
        return None
    return raw.lower() in {"true", "1"}


def path_id(request: web.Request, name: str) -> int:
    """A numeric id from the path; anything else is Shopify's 404."""
    raw = request.match_info[name]
    if not raw.isdigit():
        raise not_found()
    return int(raw)


Window = tuple[datetime | None, datetime | None]


def time_window(zone: timezone, filters: Mapping[str, str], field: str) -> Window:
    """The ``{field}_min`` / ``{field}_max`` pair (both inclusive), each optional."""
    low, high = filters.get(f"{field}_min"), filters.get(f"{field}_max")
    return (
        None if low is None else parse_time(f"{field}_min", low, zone),
        None if high is None else parse_time(f"{field}_max", high, zone),
    )


def within(moment: datetime | None, window: Window) -> bool:
    low, high = window
    if low is None and high is None:
        return True
    if moment is None:
        return False
    return (low is None or moment >= low) and (high is None or moment <= high)
