"""The order side of the BigCommerce connector (`StoreOrders`) over V2 orders: create with
the TikTok order id as ``external_order_id``, find by it (``GET /v2/orders?external_order_id=``),
show the TikTok status in the staff notes, cancel by status (5, which returns stock), cancelled
orders and shipments since a time; and `create_shipment`, which first looks for the same
tracking number on the order, because a shipment create is not idempotent.

Creating an order or a shipment is not repeated after a timeout or a 5xx (it may have
happened); the caller looks the order up before trying again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from daemon.connectors.bigcommerce.mapping import raw_id, utc, validation_summary
from daemon.connectors.bigcommerce.models import (
    AddressWire,
    OrderProductWire,
    OrderWire,
    ShipmentWire,
    VariantRefWire,
)
from daemon.connectors.bigcommerce.order_mapping import (
    CANCELLED,
    REASON_NOTE,
    STATUS_NOTE,
    draft_to_wire,
    fulfillment_from_wire,
    note_value,
    order_from_wire,
    with_note,
)
from daemon.connectors.bigcommerce.transport import Transport, parse_body
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    CancelReason,
    OrderDraft,
    OrderState,
    StoreFulfillment,
    StoreOrder,
)
from daemon.errors import FatalError, SkippableError


def _time(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="seconds")


def _parse_list(model: type[Any], raws: list[Any] | None, endpoint: str) -> list[Any]:
    return [parse_body(model, raw, endpoint) for raw in raws or []]


class OrderCalls:
    """Mixed into `BigCommerceClient`; needs its transport and the catalog lookups."""

    @property
    def _transport(self) -> Transport:
        raise NotImplementedError

    async def _variant_refs(self, variant_ids: list[str]) -> dict[str, VariantRefWire]:
        raise NotImplementedError

    async def _variants_by_sku(self, skus: list[str]) -> dict[str, str]:
        raise NotImplementedError

    # --- reading ---------------------------------------------------------------------------

    async def _order_wire(self, order_id: str) -> OrderWire | None:
        if not order_id.isdigit():
            return None
        raw = await self._transport.call(
            "GET", f"v2/orders/{order_id}", endpoint="orders.get", missing_ok=True
        )
        return None if raw is None else parse_body(OrderWire, raw, "orders.get")

    async def _lines(self, order_id: int) -> list[OrderProductWire]:
        raws = await self._transport.call(
            "GET", f"v2/orders/{order_id}/products", endpoint="orders.products"
        )
        return _parse_list(OrderProductWire, raws, "orders.products")

    async def _by_sku(self, lines: list[OrderProductWire]) -> dict[str, str]:
        custom = sorted({line.sku for line in lines if not line.product_id and line.sku})
        return await self._variants_by_sku(custom) if custom else {}

    async def _store_order(self, wire: OrderWire) -> StoreOrder:
        lines = await self._lines(wire.id)
        try:
            return order_from_wire(wire, lines, await self._by_sku(lines))
        except ValueError as exc:
            raise SkippableError(f"order {wire.id} cannot be read: {exc}") from None

    async def order(self, order_id: str) -> StoreOrder | None:
        wire = await self._order_wire(order_id)
        return None if wire is None else await self._store_order(wire)

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        """The earliest order created since `created_since` carrying `reference` as its
        ``external_order_id`` (BigCommerce filters on it)."""
        query = {
            "external_order_id": reference,
            "min_date_created": _time(created_since),
            "sort": "id:asc",
            "limit": "1",
        }
        raws = await self._transport.call("GET", "v2/orders", endpoint="orders.list", query=query)
        found = _parse_list(OrderWire, raws, "orders.list")
        matching = [w for w in found if w.external_order_id == reference]
        return await self._store_order(matching[0]) if matching else None

    async def _listed(self, query: dict[str, str]) -> list[StoreOrder | BadRecord]:
        found: list[StoreOrder | BadRecord] = []
        pages = self._transport.v2_pages("v2/orders", endpoint="orders.list", query=query)
        async for raws in pages:
            for raw in raws:
                try:
                    wire = OrderWire.model_validate(raw)
                    found.append(await self._store_order(wire))
                except ValidationError as exc:
                    found.append(BadRecord("order", raw_id(raw), validation_summary(exc)))
                except SkippableError as exc:
                    found.append(BadRecord("order", raw_id(raw), str(exc)))
        return found

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        """Cancelled orders modified at or after `since` (the caller checks ``cancelled_at``)."""
        query = {"status_id": str(CANCELLED), "min_date_modified": _time(since), "sort": "id:asc"}
        return await self._listed(query)

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        if not order_id.isdigit():
            return []
        wire = await self._order_wire(order_id)
        if wire is None:
            return []
        fulfilments = await self._shipments(wire.id)
        return [f for f in fulfilments if isinstance(f, StoreFulfillment)]

    async def _shipments(self, order_id: int) -> list[StoreFulfillment | BadRecord]:
        raws = await self._transport.call(
            "GET", f"v2/orders/{order_id}/shipments", endpoint="orders.shipments.list"
        )
        if not raws:
            return []
        lines = await self._lines(order_id)
        by_line = {line.id: line for line in lines}
        by_sku = await self._by_sku(lines)
        found: list[StoreFulfillment | BadRecord] = []
        for raw in raws:
            try:
                found.append(
                    fulfillment_from_wire(ShipmentWire.model_validate(raw), by_line, by_sku)
                )
            except ValidationError as exc:
                found.append(BadRecord("fulfillment", raw_id(raw), validation_summary(exc)))
            except ValueError as exc:
                found.append(BadRecord("fulfillment", raw_id(raw), str(exc)))
        return found

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        """Shipments created at or after `since`, from orders modified since then (a shipment
        moves its order's status and ``date_modified``)."""
        query = {"min_date_modified": _time(since), "sort": "id:asc"}
        threshold = utc(since).replace(microsecond=0)
        found: list[StoreFulfillment | BadRecord] = []
        pages = self._transport.v2_pages("v2/orders", endpoint="orders.list", query=query)
        async for raws in pages:
            for raw in raws:
                try:
                    wire = OrderWire.model_validate(raw)
                except ValidationError as exc:
                    found.append(BadRecord("order", raw_id(raw), validation_summary(exc)))
                    continue
                if wire.items_shipped == 0:
                    continue
                found.extend(
                    item
                    for item in await self._shipments(wire.id)
                    if isinstance(item, BadRecord) or item.created_at >= threshold
                )
        return found

    # --- writing ---------------------------------------------------------------------------

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        """``POST /v2/orders``; stock moves as `draft.stock` says. BigCommerce itself refuses
        (409, a `FatalError` naming each short variant) an order whose catalog lines want more
        than the channel's location has plus its backorder limit: `REDUCE` and
        `REDUCE_IF_AVAILABLE` are the same here, and `LEAVE` (custom lines) is never short."""
        variant_ids = [line.variant_id for line in draft.lines]
        refs = await self._variant_refs(variant_ids)
        products = {key: (ref.product_id, ref.sku) for key, ref in refs.items()}
        try:
            body = draft_to_wire(draft, products)
        except ValueError as exc:
            raise FatalError(f"orders.create: the order cannot be sent: {exc}") from None
        raw = await self._transport.call(
            "POST", "v2/orders", endpoint="orders.create", body=body, idempotent=False
        )
        return await self._store_order(parse_body(OrderWire, raw, "orders.create"))

    async def _update(self, order_id: int, body: dict[str, Any]) -> StoreOrder:
        raw = await self._transport.call(
            "PUT", f"v2/orders/{order_id}", endpoint="orders.update", body=body
        )
        return await self._store_order(parse_body(OrderWire, raw, "orders.update"))

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder:
        """Replace the staff notes' ``TikTok Shop status:`` line, unless it shows `state`."""
        current = await self._order_wire(order_id)
        if current is None:
            raise FatalError(f"orders.update: order {order_id} does not exist")
        if note_value(current.staff_notes, STATUS_NOTE) == state.value:
            return await self._store_order(current)
        notes = with_note(current.staff_notes, STATUS_NOTE, state.value)
        return await self._update(current.id, {"staff_notes": notes})

    async def cancel_order(
        self, order_id: str, *, reason: CancelReason, restock: bool = True
    ) -> StoreOrder:
        """Set status 5 (Cancelled) with the reason in the staff notes; BigCommerce gives the
        stock the order took back (`restock` cannot be turned off per order: it is the
        store's setting). An order already cancelled is returned as it is."""
        del restock
        current = await self._order_wire(order_id)
        if current is None:
            raise FatalError(f"orders.cancel: order {order_id} does not exist")
        if current.status_id == CANCELLED:
            return await self._store_order(current)
        notes = with_note(current.staff_notes, REASON_NOTE, reason.value)
        return await self._update(current.id, {"status_id": CANCELLED, "staff_notes": notes})

    async def create_shipment(
        self, order_id: str, tracking_number: str, carrier: str, *, link: str = ""
    ) -> StoreFulfillment:
        """Ship every unit left to ship with this tracking, unless a shipment of the order
        already carries the same tracking number (then that one is returned)."""
        current = await self._order_wire(order_id)
        if current is None:
            raise FatalError(f"orders.shipments.create: order {order_id} does not exist")
        for existing in await self._shipments(current.id):
            if (
                isinstance(existing, StoreFulfillment)
                and tracking_number in existing.tracking_numbers
            ):
                return existing
        lines = await self._lines(current.id)
        raw_addresses = await self._transport.call(
            "GET", f"v2/orders/{current.id}/shipping_addresses", endpoint="orders.addresses"
        )
        addresses = _parse_list(AddressWire, raw_addresses, "orders.addresses")
        items = [
            {"order_product_id": line.id, "quantity": line.quantity - line.quantity_shipped}
            for line in lines
            if line.quantity > line.quantity_shipped
        ]
        if not addresses or not items:
            raise FatalError(f"orders.shipments.create: order {order_id} has nothing to ship")
        body = {
            "order_address_id": addresses[0].id,
            "tracking_number": tracking_number,
            "tracking_carrier": carrier,
            "tracking_link": link,
            "items": items,
        }
        raw = await self._transport.call(
            "POST",
            f"v2/orders/{current.id}/shipments",
            endpoint="orders.shipments.create",
            body=body,
            idempotent=False,
        )
        shipment = parse_body(ShipmentWire, raw, "orders.shipments.create")
        by_line = {line.id: line for line in lines}
        return fulfillment_from_wire(shipment, by_line, await self._by_sku(lines))
