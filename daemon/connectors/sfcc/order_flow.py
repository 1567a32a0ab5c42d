"""The store's order side over feeds: TikTok orders are written as order XML files for the
storefront's import job; shipments and cancellations come back in shipping-order status
feeds; TikTok's status and cancellations go out as further order files (see
`order_mapping`). The daemon keeps an ``order`` record of each order it wrote and a
``shipment`` record of each shipment a status feed reported.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from daemon.connectors.feeds import FeedRecord, FeedState, FeedWrites
from daemon.connectors.sfcc.apply import SEP, key_of
from daemon.connectors.sfcc.order_mapping import (
    cancel_xml,
    fulfillment,
    order_xml,
    record_from_file,
    record_of,
    shipped_lines,
    status_xml,
    store_order,
    valid,
)
from daemon.connectors.sfcc.status_feed import ShippingUpdate, read_status
from daemon.connectors.sfcc.webdav import WebDav
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    CancelReason,
    OrderDraft,
    OrderState,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
)
from daemon.errors import FatalError

log = structlog.get_logger("ttsync.sfcc")

_ORDER_NO = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
_PAGE = 500


async def apply_status(path: Path, writes: FeedWrites, now: datetime) -> int:
    """Apply a checked shipping-order status feed to the orders the daemon wrote."""
    count = 0
    for update in read_status(path):
        count += 1
        order = (await writes.get("order", [update.order_no])).get(update.order_no)
        if order is None:
            log.warning("status_for_unknown_order", order_no=update.order_no)
            continue
        body = dict(order.body)
        if update.status == "cancelled" and body["cancelled_at"] is None:
            body["cancelled_at"] = now.isoformat()
            body["cancel_reason"] = CancelReason.OTHER.value
        elif update.status == "shipped":
            await _shipped(update, body, writes)
        await writes.put("order", {update.order_no: body})
    return count


async def _shipped(update: ShippingUpdate, body: dict[str, Any], writes: FeedWrites) -> None:
    lines = shipped_lines(body, update.items)
    trackings = update.tracking or ()
    first = trackings[0] if trackings else None
    key = f"{update.order_no}/{first.id if first else len(body['shipments']) + 1}"
    if key in body["shipments"]:
        return
    await writes.put(
        "shipment",
        {
            key: {
                "order_no": update.order_no,
                "carrier": first.carrier if first else None,
                "tracking_number": first.tracking_number if first else None,
                "lines": lines,
            }
        },
    )
    shipped = dict(body["shipped"])
    for _, variant, quantity in lines:
        shipped[variant] = shipped.get(variant, 0) + quantity
    body["shipped"] = shipped
    body["shipments"] = [*body["shipments"], key]


class SfccOrders:
    """`StoreOrders` over order files and status feeds."""

    def __init__(
        self,
        dav: WebDav,
        state: FeedState,
        *,
        folder: str,
        prefix: str,
        refresh: Callable[[], Awaitable[None]],
    ) -> None:
        self._dav = dav
        self._state = state
        self._folder = folder
        self._prefix = prefix
        self._refresh = refresh

    def _path(self, order_no: str, suffix: str = "") -> str:
        return f"{self._folder}/order_{order_no}{suffix}.xml"

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        order_no = f"{self._prefix}{draft.reference}"
        if not _ORDER_NO.match(order_no):
            raise FatalError(f"reference {draft.reference!r} cannot name an order file")
        if draft.stock is StockOnCreate.REDUCE_IF_AVAILABLE:
            short = await self._short(draft)
            if short:
                raise FatalError(f"orders.create: {short} (stock_on_create is reduce_if_available)")
        content = valid(order_xml(order_no, draft, written_at=datetime.now(UTC)))
        written, when = await self._dav.put_new(self._path(order_no), content)
        if not written:
            log.info("order_file_exists", order_no=order_no, reference=draft.reference)
            existing = await self.order(order_no)
            if existing is None:
                raise FatalError(f"order file for {order_no} exists but cannot be read")
            return existing
        await self._state.put("order", {order_no: record_of(order_no, draft, when)}, when)
        log.info("order_file_written", order_no=order_no, reference=draft.reference)
        found = await self._record(order_no)
        assert found is not None
        return store_order(found.body, found.updated_at)

    async def _short(self, draft: OrderDraft) -> str | None:
        """What the inventory feeds say is short for `draft`, None when all is there (an item
        with no record, or perpetual, or on backorder, is never short)."""
        await self._refresh()
        wanted: dict[str, int] = {}
        for line in draft.lines:
            wanted[line.variant_id] = wanted.get(line.variant_id, 0) + line.quantity
        lists: list[str] = []
        while page := await self._state.page("list", after=lists[-1] if lists else "", limit=_PAGE):
            lists.extend(record.key for record in page)
        keys = [key_of(list_id, sku) for list_id in lists for sku in wanted]
        levels = await self._state.get("stock", keys)
        for sku, quantity in wanted.items():
            mine = [levels[key].body for key in keys if key in levels and key.endswith(SEP + sku)]
            if not mine or any(body["perpetual"] or body["backorder"] for body in mine):
                continue
            available = sum(int(body["available"]) for body in mine)
            if available < quantity:
                return f"{sku}: {available} available, {quantity} ordered"
        return None

    async def _record(self, order_no: str) -> FeedRecord | None:
        if not _ORDER_NO.match(order_no) or not order_no.startswith(self._prefix):
            return None
        found = (await self._state.get("order", [order_no])).get(order_no)
        if found is not None:
            return found
        content, when = await self._dav.read_with_time(self._path(order_no))
        if content is None:
            return None
        body = record_from_file(content, when)
        if body is None or body["order_no"] != order_no:
            return None
        await self._state.put("order", {order_no: body}, when)
        return (await self._state.get("order", [order_no])).get(order_no)

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        found = await self.order(f"{self._prefix}{reference}")
        if found is None or found.created_at < created_since:
            return None
        return found

    async def order(self, order_id: str) -> StoreOrder | None:
        record = await self._record(order_id)
        return None if record is None else store_order(record.body, record.updated_at)

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder:
        record = await self._existing(order_id)
        body = dict(record.body)
        if body["marketplace_status"] == state.value:
            return store_order(body, record.updated_at)
        number = int(body["status_files"]) + 1
        path = self._path(order_id, f"_status_{number:03d}_{state.value}")
        _, when = await self._dav.put_new(path, valid(status_xml(order_id, state.value)))
        body.update(marketplace_status=state.value, status_files=number)
        await self._state.put("order", {order_id: body}, when)
        return store_order(body, when)

    async def _existing(self, order_id: str) -> FeedRecord:
        record = await self._record(order_id)
        if record is None:
            raise FatalError(f"no order {order_id!r} was written")
        return record

    async def cancel_order(
        self, order_id: str, *, reason: CancelReason, restock: bool = True
    ) -> StoreOrder:
        record = await self._existing(order_id)
        body = dict(record.body)
        if body["cancelled_at"] is not None:
            return store_order(body, record.updated_at)
        content = valid(cancel_xml(order_id, reason, restock=restock))
        _, when = await self._dav.put_new(self._path(order_id, "_cancel"), content)
        body.update(cancelled_at=when.isoformat(), cancel_reason=reason.value)
        await self._state.put("order", {order_id: body}, when)
        log.info("order_cancel_written", order_no=order_id, reason=reason.value)
        return store_order(body, when)

    async def _changed(self, kind: str, since: datetime) -> list[FeedRecord]:
        await self._refresh()
        found: list[FeedRecord] = []
        after = ""
        while page := await self._state.page(kind, after=after, limit=_PAGE, updated_since=since):
            found.extend(page)
            after = page[-1].key
        return found

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        return [
            store_order(r.body, r.updated_at)
            for r in await self._changed("order", since)
            if r.body["cancelled_at"] and datetime.fromisoformat(r.body["cancelled_at"]) >= since
        ]

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        return [
            fulfillment(r.key, r.body, r.updated_at) for r in await self._changed("shipment", since)
        ]

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        await self._refresh()
        record = await self._record(order_id) if _ORDER_NO.match(order_id) else None
        if record is None:
            return []
        shipments = await self._state.get("shipment", list(record.body["shipments"]))
        return [fulfillment(k, shipments[k].body, shipments[k].updated_at) for k in shipments]
