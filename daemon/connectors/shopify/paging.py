"""Cursor pagination of the REST API: the ``Link`` header and its opaque ``page_info``."""

from __future__ import annotations

import re

from yarl import URL

# The same shape the official SDK reads: <url>; rel="next", <url>; rel="previous"
_LINK = re.compile(r'<([^<>]+)>\s*;\s*rel="([^"]+)"')


def parse_link_header(value: str | None) -> dict[str, str]:
    """Map each ``rel`` of a ``Link`` header to its URL ({} when absent or unreadable)."""
    if not value:
        return {}
    return {rel: url for url, rel in _LINK.findall(value)}


def next_page_info(link_header: str | None) -> str | None:
    """The ``page_info`` of the next page, or None on the last page.

    Only the cursor is taken from the URL: the next request is rebuilt against the configured
    base URL, so the access token never follows a link to another host.
    """
    url = parse_link_header(link_header).get("next")
    if url is None:
        return None
    return URL(url).query.get("page_info") or None
