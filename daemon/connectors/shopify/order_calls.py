"""The order side of the Shopify connector (`StoreOrders`): create, find by the TikTok order
id, show the TikTok status (tags and note attributes), cancel with restock, cancelled orders
since a time, fulfilments; plus the fulfilment-order calls a merchant's own tools make.

Creating an order or a fulfilment is not repeated after a timeout or a 5xx (it may have
happened); the caller looks the order up before trying again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from daemon.connectors.shopify.mapping import raw_id, utc, validation_summary
from daemon.connectors.shopify.models import (
    FulfillmentEnvelope,
    FulfillmentOrdersEnvelope,
    FulfillmentsEnvelope,
    OrderEnvelope,
    OrderFulfillmentsWire,
    OrdersEnvelope,
    OrderWire,
)
from daemon.connectors.shopify.order_mapping import (
    FulfillmentOrder,
    TrackingInfo,
    draft_to_wire,
    fulfillment_from_wire,
    fulfillment_order_from_wire,
    order_from_wire,
    reference_of,
    relabel,
    split_tags,
)
from daemon.connectors.shopify.queries import ORDER_REFS
from daemon.connectors.shopify.reader import Reader
from daemon.connectors.shopify.transport import Transport, parse_body
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    CancelReason,
    OrderDraft,
    OrderState,
    StoreFulfillment,
    StoreOrder,
)
from daemon.errors import FatalError

_SEARCHABLE = re.compile(r"[A-Za-z0-9_.-]+")  # safe inside a quoted search term
# Shopify's cancel reasons: customer, inventory, fraud, declined, staff, other.
_CANCEL_REASONS = {reason: reason.value for reason in CancelReason}


def _time(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="seconds")


def _order_id(order_id: str) -> str:
    if not order_id.isdigit():
        raise FatalError(f"{order_id!r} is not a Shopify order id")
    return order_id


def _tracking(tracking: TrackingInfo) -> dict[str, str]:
    given = {"company": tracking.company, "number": tracking.number, "url": tracking.url}
    return {key: value for key, value in given.items() if value}


class OrderCalls:
    """Mixed into `ShopifyClient`; needs only its transport and page size."""

    @property
    def _transport(self) -> Transport:
        raise NotImplementedError

    @property
    def _reader(self) -> Reader:
        raise NotImplementedError

    @property
    def _page_size(self) -> str:
        return "250"

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        """``POST orders.json``; stock moves as `draft.stock` says."""
        try:
            body = draft_to_wire(draft)
        except ValueError as exc:
            raise FatalError(f"orders.create: the order cannot be sent: {exc}") from None
        answer = await self._transport.call(
            "POST", "orders", endpoint="orders.create", body=body, idempotent=False
        )
        assert answer is not None
        return order_from_wire(parse_body(OrderEnvelope, answer, "orders.create").order)

    async def order(self, order_id: str) -> StoreOrder | None:
        wire = await self._order_wire(order_id)
        return None if wire is None else order_from_wire(wire)

    async def _order_wire(self, order_id: str) -> OrderWire | None:
        if not order_id.isdigit():
            return None
        answer = await self._transport.call(
            "GET", f"orders/{order_id}", endpoint="orders.get", missing_ok=True
        )
        if answer is None:
            return None
        return parse_body(OrderEnvelope, answer, "orders.get").order

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        """The earliest order (any status) created since `created_since` that carries the
        TikTok order id `reference`. GraphQL ``orders(query:)`` narrows by creation time and
        ``source_identifier`` (ttsync writes it on every order it creates); the few fields
        answered are matched here as before (note attribute first, then source identifier)."""
        search = f"created_at:>='{_time(created_since)}'"
        if _SEARCHABLE.fullmatch(reference):
            search += f' AND source_identifier:"{reference}"'
        variables = {"query": search}
        matched: list[int] = []
        pages = self._reader.pages(ORDER_REFS, variables, ("orders",), "orders.refs")
        async for node in pages:
            attributes = [
                (str(a.get("key")), str(a.get("value") or ""))
                for a in node.get("customAttributes") or ()
                if isinstance(a, Mapping)
            ]
            source_name, identifier = node.get("sourceName"), node.get("sourceIdentifier")
            found = reference_of(
                attributes,
                source_name if isinstance(source_name, str) else None,
                identifier if isinstance(identifier, str) else None,
            )
            legacy = str(node.get("legacyResourceId") or "")
            if found == reference and legacy.isdigit():
                matched.append(int(legacy))
        return await self.order(str(min(matched))) if matched else None

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder:
        """Replace the order's ``TikTok: ...`` tag and ``tiktok_status`` note attribute
        (``PUT orders/{id}.json``), unless they already show `state`."""
        current = await self._order_wire(order_id)
        if current is None:
            raise FatalError(f"orders.update: order {order_id} does not exist")
        tags, attributes = relabel(
            split_tags(current.tags),
            [(a.name, a.value or "") for a in current.note_attributes],
            state,
        )
        if set(tags) == split_tags(current.tags) and attributes == [
            (a.name, a.value or "") for a in current.note_attributes
        ]:
            return order_from_wire(current)
        body = {
            "order": {
                "id": current.id,
                "tags": ", ".join(tags),
                "note_attributes": [{"name": n, "value": v} for n, v in attributes],
            }
        }
        answer = await self._transport.call(
            "PUT", f"orders/{order_id}", endpoint="orders.update", body=body
        )
        assert answer is not None
        return order_from_wire(parse_body(OrderEnvelope, answer, "orders.update").order)

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        """Orders cancelled and updated at or after `since` (any cancel time; the caller
        checks ``cancelled_at``)."""
        query = {"status": "cancelled", "updated_at_min": _time(since), "limit": self._page_size}
        found: list[StoreOrder | BadRecord] = []
        async for answer in self._transport.pages("orders", endpoint="orders.list", query=query):
            for raw in parse_body(OrdersEnvelope, answer, "orders.list").orders:
                try:
                    wire = OrderWire.model_validate(raw)
                except ValidationError as exc:
                    found.append(BadRecord("order", raw_id(raw), validation_summary(exc)))
                    continue
                found.append(order_from_wire(wire))
        return found

    async def cancel_order(
        self,
        order_id: str,
        *,
        reason: CancelReason,
        restock: bool = True,
        notify_customer: bool = False,
    ) -> StoreOrder:
        """Cancel (and by default restock) the order; an order already cancelled is returned
        as it is, so calling this twice is harmless."""
        current = await self.order(_order_id(order_id))
        if current is None:
            raise FatalError(f"orders.cancel: order {order_id} does not exist")
        if current.cancelled:
            return current
        body: dict[str, Any] = {
            "reason": _CANCEL_REASONS[reason],
            "restock": restock,
            "email": notify_customer,
        }
        try:
            answer = await self._transport.call(
                "POST",
                f"orders/{order_id}/cancel",
                endpoint="orders.cancel",
                body=body,
                idempotent=False,
            )
        except FatalError:
            again = await self.order(order_id)
            if again is not None and again.cancelled:
                return again
            raise
        assert answer is not None
        return order_from_wire(parse_body(OrderEnvelope, answer, "orders.cancel").order)

    async def fulfillment_orders(self, order_id: str) -> list[FulfillmentOrder]:
        answer = await self._transport.call(
            "GET",
            f"orders/{_order_id(order_id)}/fulfillment_orders",
            endpoint="fulfillment_orders.list",
        )
        assert answer is not None
        envelope = parse_body(FulfillmentOrdersEnvelope, answer, "fulfillment_orders.list")
        return [fulfillment_order_from_wire(fo) for fo in envelope.fulfillment_orders]

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        """Every fulfilment of one order (``GET orders/{id}/fulfillments.json``); none for an
        order Shopify does not have."""
        if not order_id.isdigit():
            return []
        answer = await self._transport.call(
            "GET",
            f"orders/{order_id}/fulfillments",
            endpoint="fulfillments.list",
            missing_ok=True,
        )
        if answer is None:
            return []
        envelope = parse_body(FulfillmentsEnvelope, answer, "fulfillments.list")
        return [fulfillment_from_wire(wire) for wire in envelope.fulfillments]

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        """Fulfilments created or changed at or after `since`, from orders updated since then
        (a fulfilment or a tracking change moves its order's ``updated_at``)."""
        query = {
            "status": "any",
            "updated_at_min": _time(since),
            "limit": self._page_size,
            "fields": "id,name,fulfillments",
        }
        threshold = utc(since).replace(microsecond=0)
        found: list[StoreFulfillment | BadRecord] = []
        async for answer in self._transport.pages("orders", endpoint="orders.list", query=query):
            for raw in parse_body(OrdersEnvelope, answer, "orders.list").orders:
                try:
                    order = OrderFulfillmentsWire.model_validate(raw)
                except ValidationError as exc:
                    found.append(BadRecord("order", raw_id(raw), validation_summary(exc)))
                    continue
                found.extend(
                    fulfillment_from_wire(wire, order.name)
                    for wire in order.fulfillments
                    if utc(wire.updated_at) >= threshold
                )
        return found

    async def create_fulfillment(
        self, order_id: str, tracking: TrackingInfo, *, notify_customer: bool = False
    ) -> list[StoreFulfillment]:
        """Fulfil everything still open on the order with this tracking: one fulfilment per
        location, through the fulfillment-order flow."""
        by_location: dict[str | None, list[str]] = defaultdict(list)
        for fulfillment_order in await self.fulfillment_orders(order_id):
            if fulfillment_order.can_fulfil:
                by_location[fulfillment_order.location_id].append(fulfillment_order.id)
        created = []
        for fo_ids in by_location.values():
            body = {
                "fulfillment": {
                    "line_items_by_fulfillment_order": [
                        {"fulfillment_order_id": int(fo_id)} for fo_id in fo_ids
                    ],
                    "tracking_info": _tracking(tracking),
                    "notify_customer": notify_customer,
                }
            }
            answer = await self._transport.call(
                "POST", "fulfillments", endpoint="fulfillments.create", body=body, idempotent=False
            )
            assert answer is not None
            wire = parse_body(FulfillmentEnvelope, answer, "fulfillments.create").fulfillment
            created.append(fulfillment_from_wire(wire))
        return created

    async def update_tracking(
        self, fulfillment_id: str, tracking: TrackingInfo, *, notify_customer: bool = False
    ) -> StoreFulfillment:
        if not fulfillment_id.isdigit():
            raise FatalError(f"{fulfillment_id!r} is not a Shopify fulfillment id")
        body = {
            "fulfillment": {
                "tracking_info": _tracking(tracking),
                "notify_customer": notify_customer,
            }
        }
        answer = await self._transport.call(
            "POST",
            f"fulfillments/{fulfillment_id}/update_tracking",
            endpoint="fulfillments.update_tracking",
            body=body,
        )
        assert answer is not None
        wire = parse_body(FulfillmentEnvelope, answer, "fulfillments.update_tracking").fulfillment
        return fulfillment_from_wire(wire)
