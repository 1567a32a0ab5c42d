"""The order side of the WooCommerce connector (`StoreOrders`): create, find by the TikTok
order id, show the TikTok status (meta data and a note), cancel, cancelled orders and
fulfilments since a time.

Creating an order is not repeated after a timeout or a 5xx (it may have happened); the caller
looks it up first. The order list has no meta data filter, so the lookup reads the orders
created through the REST API since the attempt, 100 a page, up to the configured bound, and
matches the meta data here; past the bound it fails rather than answer "not there".
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from daemon.connectors.woocommerce.mapping import raw_id, wc_time
from daemon.connectors.woocommerce.models import NoteWire, OrderWire, TrackingWire, VariationWire
from daemon.connectors.woocommerce.order_mapping import (
    CANCEL_KEY,
    CREATED_VIA,
    REDUCED_KEY,
    REFERENCE_KEY,
    STATUS_KEY,
    STOCK_KEY,
    draft_to_wire,
    meta,
    note_fulfillment,
    order_from_wire,
    status_note,
    tracking_fulfillment,
)
from daemon.connectors.woocommerce.rest import TRACKING_ROOT, Rest, parse, rows, validation_summary
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


def _carries(raw: Any, reference: str) -> bool:
    """Whether an order payload, read loosely, has `reference` in its meta data."""
    entries = raw.get("meta_data") if isinstance(raw, dict) else None
    return isinstance(entries, list) and any(
        isinstance(e, dict) and e.get("key") == REFERENCE_KEY and str(e.get("value")) == reference
        for e in entries
    )


class OrderCalls:
    """Mixed into `WooCommerceClient`; needs its REST calls, a concurrency limit and whether
    the Shipment Tracking extension is active."""

    tracking_extension: bool | None
    _limit: asyncio.Semaphore

    @property
    def _rest(self) -> Rest:
        raise NotImplementedError

    @property
    def _scan_pages(self) -> int:
        raise NotImplementedError

    async def store_info(self) -> Any:
        raise NotImplementedError

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        """``POST /orders``; stock moves as `draft.stock` says (for ``reduce_if_available``
        the lines' stock is read first: WooCommerce itself takes an order whatever it has)."""
        try:
            body = draft_to_wire(draft)
        except ValueError as exc:
            raise FatalError(f"orders.create: the order cannot be sent: {exc}") from None
        if draft.stock is StockOnCreate.REDUCE_IF_AVAILABLE:
            await self._check_available(draft)
        answer = await self._rest.call(
            "POST", "orders", endpoint="orders.create", body=body, idempotent=False
        )
        assert answer is not None
        return order_from_wire(parse(OrderWire, answer.body, "orders.create"))

    async def _check_available(self, draft: OrderDraft) -> None:
        for line in draft.lines:
            answer = await self._rest.call(
                "GET", f"products/{line.variant_id}", endpoint="products.get", missing_ok=True
            )
            if answer is None:
                raise FatalError(f"orders.create: product {line.variant_id} does not exist")
            item = parse(VariationWire, answer.body, "products.get")
            counted = item.manage_stock is True and item.backorders == "no"
            if counted and (item.stock_quantity or 0) < line.quantity:
                have, wanted = item.stock_quantity or 0, line.quantity
                raise FatalError(
                    f"orders.create: product {line.variant_id} has {have} in stock, {wanted} wanted"
                )

    async def order(self, order_id: str) -> StoreOrder | None:
        wire = await self._order_wire(order_id)
        return None if wire is None else order_from_wire(wire)

    async def _order_wire(self, order_id: str) -> OrderWire | None:
        if not order_id.isdigit():
            return None
        answer = await self._rest.call(
            "GET", f"orders/{order_id}", endpoint="orders.get", missing_ok=True
        )
        return None if answer is None else parse(OrderWire, answer.body, "orders.get")

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        """The earliest order created through the REST API since `created_since` carrying
        `reference` in its meta data."""
        query = {
            "after": wc_time(created_since),
            "dates_are_gmt": "true",
            "created_via": CREATED_VIA,
            "orderby": "date",
            "order": "asc",
            "per_page": "100",
        }
        read = 0
        async for page in self._rest.pages(
            "orders", endpoint="orders.list", query=query, limit=self._scan_pages
        ):
            read += 1
            for raw in page:
                try:
                    wire = OrderWire.model_validate(raw)
                except ValidationError as exc:
                    if _carries(raw, reference):  # found, but unreadable: never create again
                        why = validation_summary(exc)
                        raise FatalError(
                            f"orders.list: order {raw_id(raw)} carries TikTok order "
                            f"{reference} but cannot be read: {why}"
                        ) from None
                    continue
                if meta(wire.meta_data, REFERENCE_KEY) == reference:
                    return order_from_wire(wire)
            if read >= self._scan_pages and len(page) == int(query["per_page"]):
                raise FatalError(
                    f"orders.list: more than {read * 100} orders since {query['after']}: "
                    f"TikTok order {reference} cannot be ruled out (raise order_scan_limit)"
                )
        return None

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder:
        """Set ``_tiktok_order_status`` and add a note saying so, unless it already shows it."""
        current = await self._order_wire(order_id)
        if current is None:
            raise FatalError(f"orders.update: order {order_id} does not exist")
        if meta(current.meta_data, STATUS_KEY) == state.value:
            return order_from_wire(current)
        note = {"note": status_note(state), "customer_note": False}
        await self._rest.call(
            "POST", f"orders/{order_id}/notes", endpoint="notes.create", body=note, idempotent=False
        )
        body = {"meta_data": [{"key": STATUS_KEY, "value": state.value}]}
        answer = await self._rest.call(
            "PUT", f"orders/{order_id}", endpoint="orders.update", body=body
        )
        assert answer is not None
        return order_from_wire(parse(OrderWire, answer.body, "orders.update"))

    async def cancel_order(
        self, order_id: str, *, reason: CancelReason, restock: bool = True
    ) -> StoreOrder:
        """Status ``cancelled`` (WooCommerce gives the stock it took back); without `restock`,
        or for an order whose stock was left alone, the items' marks are cleared first in the
        same call so nothing is given back. An order already cancelled is returned as it is."""
        current = await self._order_wire(order_id)
        if current is None:
            raise FatalError(f"orders.cancel: order {order_id} does not exist")
        if current.status == "cancelled":
            return order_from_wire(current)
        body: dict[str, Any] = {
            "status": "cancelled",
            "meta_data": [{"key": CANCEL_KEY, "value": reason.value}],
        }
        if not restock or meta(current.meta_data, STOCK_KEY) == StockOnCreate.LEAVE.value:
            body["line_items"] = [
                {"id": line.id, "meta_data": [{"key": REDUCED_KEY, "value": ""}]}
                for line in current.line_items
            ]
        answer = await self._rest.call(
            "PUT", f"orders/{order_id}", endpoint="orders.update", body=body
        )
        assert answer is not None
        return order_from_wire(parse(OrderWire, answer.body, "orders.update"))

    async def _orders_since(self, since: datetime, status: str) -> list[OrderWire | BadRecord]:
        query = {
            "modified_after": wc_time(since),
            "dates_are_gmt": "true",
            "status": status,
            "orderby": "id",
            "order": "asc",
            "per_page": "100",
        }
        found: list[OrderWire | BadRecord] = []
        async for page in self._rest.pages("orders", endpoint="orders.list", query=query):
            for raw in page:
                try:
                    found.append(OrderWire.model_validate(raw))
                except ValidationError as exc:
                    found.append(BadRecord("order", raw_id(raw), validation_summary(exc)))
        return found

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        """Cancelled orders changed at or after `since` (WooCommerce keeps no cancel time:
        the order's last change stands for it)."""
        return [
            item if isinstance(item, BadRecord) else order_from_wire(item)
            for item in await self._orders_since(since, "cancelled")
        ]

    async def _uses_trackings(self) -> bool:
        if self.tracking_extension is None:
            await self.store_info()
        return bool(self.tracking_extension)

    async def _fulfillments(self, wire: OrderWire) -> list[StoreFulfillment]:
        path = f"orders/{wire.id}"
        async with self._limit:
            if await self._uses_trackings():
                answer = await self._rest.call(
                    "GET",
                    f"{path}/shipment-trackings",
                    endpoint="trackings.list",
                    root=TRACKING_ROOT,
                )
                assert answer is not None
                trackings = [
                    parse(TrackingWire, raw, "trackings.list")
                    for raw in rows(answer.body, "trackings.list")
                ]
                return [tracking_fulfillment(wire, tracking) for tracking in trackings]
            if wire.status != "completed":
                return []
            answer = await self._rest.call("GET", f"{path}/notes", endpoint="notes.list")
            assert answer is not None
            notes = [parse(NoteWire, raw, "notes.list") for raw in rows(answer.body, "notes.list")]
            return [note_fulfillment(wire, notes)]

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        """Shipments of orders changed at or after `since`: their Shipment Tracking entries,
        or (without the extension) completed orders with the tracking their notes give."""
        status = "any" if await self._uses_trackings() else "completed"
        orders = await self._orders_since(since, status)
        wires = [o for o in orders if isinstance(o, OrderWire)]
        found: list[StoreFulfillment | BadRecord] = [o for o in orders if isinstance(o, BadRecord)]
        for shipped in await asyncio.gather(*(self._fulfillments(w) for w in wires)):
            found.extend(shipped)
        return found

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        wire = await self._order_wire(order_id)
        return [] if wire is None else await self._fulfillments(wire)
