"""Full reads through Shopify's bulk query operations, streamed line by line.

`run_bulk` starts one ``bulkOperationRunQuery``, follows it to its end by polling (one point
a poll, the interval doubling up to `poll_interval`; a ``bulk_operations/finish`` webhook
naming the operation, through `BulkFinishes`, cuts the wait short: the poll stays the truth)
and answers the result file's URL. An operation that fails, is cancelled or expires raises
`BulkFailedError` with Shopify's status and error code, and the caller reads page by page instead.
`jsonl` downloads the file in chunks and yields one parsed line at a time, so the file is
never held in memory; `assemble_products` joins each product with its variants, images and
inventory levels (``__parentId``), which ``groupObjects`` puts right after it.

The download goes through a session of its own: the file sits on a signed storage URL that
must never see the shop's access token.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import structlog

from daemon.connectors.shopify.graphql import GraphQL
from daemon.connectors.shopify.graphql_wire import ProductParts, media_url, numeric_id
from daemon.connectors.shopify.queries import BULK_CANCEL, BULK_POLL, BULK_RUN
from daemon.domain.models import BadRecord, Product, StockLevel
from daemon.errors import RetriableError

log = structlog.get_logger(__name__)

_CHUNK = 1 << 16
_ENDED = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}


class BulkFailedError(Exception):
    """A bulk operation did not complete; the message says how and why."""


class BulkFinishes:
    """``bulk_operations/finish`` deliveries, as hints: a wait for the end of the operation
    one names ends at once (the poll that follows says how it ended). A delivery for an
    operation nobody waits for is dropped; a lost one costs a poll interval."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Event] = {}

    def finished(self, operation_gid: str) -> None:
        event = self._waiting.get(operation_gid)
        if event is not None:
            event.set()

    def expect(self, operation_gid: str) -> None:
        self._waiting.setdefault(operation_gid, asyncio.Event())

    def done(self, operation_gid: str) -> None:
        self._waiting.pop(operation_gid, None)

    async def wait(self, operation_gid: str, seconds: float) -> bool:
        """Wait up to `seconds` for the operation's finish; True when a delivery said so."""
        event = self._waiting.get(operation_gid)
        if event is None:
            await asyncio.sleep(seconds)
            return False
        with contextlib.suppress(TimeoutError):  # no word within the interval: poll anyway
            async with asyncio.timeout(seconds):
                await event.wait()
        woken = event.is_set()
        event.clear()  # a poll that still finds it running waits a whole interval again
        return woken


async def run_bulk(
    gql: GraphQL,
    query: str,
    *,
    poll_interval: float,
    give_up_after: float,
    finishes: BulkFinishes | None = None,
) -> str | None:
    """Run `query` in bulk; the result URL when it completes (None: nothing matched)."""
    data = await gql.run(BULK_RUN, {"query": query}, endpoint="bulk.run", mutation=True)
    started = data.get("bulkOperationRunQuery") or {}
    problems = started.get("userErrors") or []
    op = started.get("bulkOperation")
    if problems or not isinstance(op, dict):
        reasons = "; ".join(str(p.get("message")) for p in problems) or "no operation started"
        raise BulkFailedError(f"Shopify refused the bulk query: {reasons}")
    op_id = str(op["id"])
    finishes = finishes or BulkFinishes()
    finishes.expect(op_id)
    try:
        return await _follow(gql, op_id, finishes, poll_interval, give_up_after)
    finally:
        finishes.done(op_id)


async def _follow(
    gql: GraphQL, op_id: str, finishes: BulkFinishes, poll_interval: float, give_up_after: float
) -> str | None:
    """Poll the operation to its end, sooner when its finish webhook arrives."""
    deadline = time.monotonic() + give_up_after
    wait = min(0.05, poll_interval)
    while True:
        polled = await gql.run(BULK_POLL, {"id": op_id}, endpoint="bulk.poll")
        node = polled.get("node") or {}
        status = node.get("status")
        if status == "COMPLETED":
            url = node.get("url")
            return str(url) if url else None
        if status in _ENDED:
            code = node.get("errorCode") or "no error code"
            raise BulkFailedError(f"bulk operation {numeric_id(op_id)} ended {status} ({code})")
        if time.monotonic() > deadline:
            await gql.run(BULK_CANCEL, {"id": op_id}, endpoint="bulk.cancel", mutation=True)
            late = f"bulk operation {numeric_id(op_id)} did not finish in {give_up_after:.0f} s"
            raise BulkFailedError(late)
        if await finishes.wait(op_id, wait):
            log.debug("shopify_bulk_finish_hint", operation=numeric_id(op_id))
        wait = min(wait * 2, poll_interval)


async def jsonl(url: str, read_timeout: float) -> AsyncIterator[dict[str, Any] | str]:
    """Each line of the file: the parsed object, or the reason it cannot be read."""
    client_timeout = aiohttp.ClientTimeout(total=None, sock_read=read_timeout)
    try:
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.get(url) as response,
        ):
            if response.status != 200:  # noqa: PLR2004 the one good answer
                raise RetriableError(f"bulk.download: HTTP {response.status}")
            pending = b""
            async for chunk in response.content.iter_chunked(_CHUNK):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        yield _parse(line)
            if pending.strip():
                yield _parse(pending)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise RetriableError(f"bulk.download: {type(exc).__name__}") from None


def _parse(line: bytes) -> dict[str, Any] | str:
    try:
        value = json.loads(line)
    except ValueError:
        return "a line of the bulk result is not JSON"
    return value if isinstance(value, dict) else "a line of the bulk result is not an object"


async def assemble_products(  # noqa: C901 one branch per kind of line
    lines: AsyncIterator[dict[str, Any] | str], currency: str
) -> AsyncIterator[Product | BadRecord]:
    """Products with their variants, images and stock levels, one at a time, in file
    order."""
    current: ProductParts | None = None
    broken: str | None = None
    async for line in lines:
        if isinstance(line, str):  # the line's owner cannot be told: the product at hand
            broken = line
            continue
        parent = line.get("__parentId")
        if parent is None:
            if current is not None:
                yield _finish(current, broken, currency)
            current, broken = ProductParts(line), None
            current.levels = []  # the bulk query reads each variant's stock with it
            continue
        if current is None:
            continue
        kind = str(line.get("id", "")).split("/")[3:4]
        if kind == ["ProductVariant"]:
            current.variants.append(line)
        elif kind == ["InventoryLevel"]:
            current.add_level(line)
        elif parent.startswith("gid://shopify/ProductVariant/"):
            url = media_url(line)
            if url:
                current.variant_images[parent] = url
        elif line.get("image"):
            current.images.append(line)
    if current is not None:
        yield _finish(current, broken, currency)


def _finish(parts: ProductParts, broken: str | None, currency: str) -> Product | BadRecord:
    if broken is not None:
        return BadRecord("product", parts.id, broken)
    return parts.build(currency)


async def assemble_levels(lines: AsyncIterator[dict[str, Any] | str]) -> list[StockLevel]:
    """Levels of tracked items from a locations → inventoryLevels bulk result."""
    levels: list[StockLevel] = []
    async for line in lines:
        if isinstance(line, str):
            log.warning("shopify_bulk_line_unreadable", reason=line)
            continue
        parent, item = line.get("__parentId"), line.get("item")
        if not isinstance(parent, str) or not isinstance(item, dict) or not item.get("tracked"):
            continue
        quantities = line.get("quantities") or ()
        available = next(
            (q.get("quantity") for q in quantities if q.get("name") == "available"), None
        )
        if isinstance(available, int):
            levels.append(StockLevel(numeric_id(str(item["id"])), numeric_id(parent), available))
    return levels
