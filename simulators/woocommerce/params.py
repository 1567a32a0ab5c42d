"""Query parameters as WP REST validates them, and paging with its headers."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from aiohttp import web

from simulators.woocommerce.errors import WooError, invalid_param

T = TypeVar("T")
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10


def query_of(request: web.Request) -> dict[str, str]:
    return dict(request.query.items())


def integer(query: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_param(name, f"{name} is not of type integer.") from None
    if value < low or (high is not None and value > high):
        bound = f"between {low} (inclusive) and {high} (inclusive)" if high else f"at least {low}"
        raise invalid_param(name, f"{name} must be {bound}")
    return value


def date(query: Mapping[str, str], name: str) -> datetime | None:
    """An ISO 8601 date-time; one without a zone is read in the site's zone (UTC here)."""
    raw = query.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid_param(name, "Invalid date.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def choice(query: Mapping[str, str], name: str, default: str, allowed: Sequence[str]) -> str:
    value = query.get(name, default)
    if value not in allowed:
        raise invalid_param(name, f"{name} is not one of {', '.join(allowed)}.")
    return value


def ids(query: Mapping[str, str], name: str) -> list[int] | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise invalid_param(name, f"{name}[0] is not of type integer.") from None


def paged(request: web.Request, rows: Sequence[Any], render: Any) -> web.Response:
    """One page of `rows` with ``X-WP-Total``, ``X-WP-TotalPages`` and ``Link``."""
    query = query_of(request)
    per_page = integer(query, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = integer(query, "page", 1, 1, None)
    total = len(rows)
    pages = math.ceil(total / per_page)
    if total and page > pages:
        raise WooError(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    chunk = rows[(page - 1) * per_page : page * per_page]
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = _links(request, query, page, pages)
    if links:
        headers["Link"] = ", ".join(links)
    body = json.dumps([render(row) for row in chunk])
    return web.Response(text=body, content_type="application/json", headers=headers)


def _links(request: web.Request, query: dict[str, str], page: int, pages: int) -> list[str]:
    base = f"{request.scheme}://{request.host}{request.path}"
    kept = {k: v for k, v in query.items() if not k.startswith("oauth_") and k != "page"}

    def at(number: int) -> str:
        return f"{base}?{urlencode({**kept, 'page': str(number)})}"

    links = []
    if page > 1:
        links.append(f'<{at(page - 1)}>; rel="prev"')
    if page < pages:
        links.append(f'<{at(page + 1)}>; rel="next"')
    return links


async def body_of(request: web.Request) -> dict[str, Any]:
    """The JSON body (WP REST also reads form bodies; this simulator takes JSON only)."""
    raw = await request.read()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise WooError(400, "rest_invalid_json", "Invalid JSON body passed.") from None
    if not isinstance(data, dict):
        raise WooError(400, "rest_invalid_json", "Invalid JSON body passed.")
    return data
