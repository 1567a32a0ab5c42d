"""The order side of the Shopify connector: create (with an inventory behaviour), look up by
an external reference, relabel (tags and note attributes), cancel with restock, cancelled
orders since a time, fulfilment orders, fulfilments and tracking.

Creating an order or a fulfilment is not repeated after a timeout or a 5xx (it may have
happened); the caller looks the order up before trying again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from daemon.connectors.shopify.mapping import (
    draft_to_wire,
    fulfillment_from_wire,
    fulfillment_order_from_wire,
    order_from_wire,
    raw_id,
    utc,
    validation_summary,
)
from daemon.connectors.shopify.models import (
    FulfillmentEnvelope,
    FulfillmentOrdersEnvelope,
    FulfillmentsEnvelope,
    OrderEnvelope,
    OrderFulfillmentsWire,
    OrderRefsEnvelope,
    OrdersEnvelope,
    OrderWire,
)
from daemon.connectors.shopify.transport import Transport, parse_body
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    CancelReason,
    OrderDraft,
    StoreFulfillment,
    StoreFulfillmentOrder,
    StoreOrder,
    TrackingInfo,
)
from daemon.errors import FatalError

_REF_FIELDS = "id,tags,note_attributes,source_identifier"


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
    def _page_size(self) -> str:
        return "250"

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        """``POST orders.json``; stock moves as `draft.inventory_behaviour` says."""
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
        if not order_id.isdigit():
            return None
        answer = await self._transport.call(
            "GET", f"orders/{order_id}", endpoint="orders.get", missing_ok=True
        )
        if answer is None:
            return None
        return order_from_wire(parse_body(OrderEnvelope, answer, "orders.get").order)

    async def find_orders(
        self,
        *,
        attribute: tuple[str, str] | None = None,
        tag: str | None = None,
        source_identifier: str | None = None,
        created_since: datetime | None = None,
    ) -> list[StoreOrder]:
        """Orders (any status) carrying the note attribute ``(name, value)``, the tag, or the
        source identifier. REST has no filter for these: every order (created since
        `created_since`, when given) is paged through with few fields and matched here."""
        if attribute is None and tag is None and source_identifier is None:
            raise ValueError("say what to look for: an attribute, a tag or a source identifier")
        query = {"status": "any", "limit": self._page_size, "fields": _REF_FIELDS}
        if created_since is not None:
            query["created_at_min"] = _time(created_since)
        matched: list[str] = []
        async for answer in self._transport.pages("orders", endpoint="orders.list", query=query):
            for ref in parse_body(OrderRefsEnvelope, answer, "orders.list").orders:
                tags = {part.strip() for part in ref.tags.split(",")}
                attributes = {(a.name, a.value) for a in ref.note_attributes}
                if (
                    (attribute is not None and attribute in attributes)
                    or (tag is not None and tag in tags)
                    or (
                        source_identifier is not None and ref.source_identifier == source_identifier
                    )
                ):
                    matched.append(str(ref.id))
        found = [await self.order(order_id) for order_id in matched]
        return [order for order in found if order is not None]

    async def set_order_labels(
        self, order_id: str, *, tags: Sequence[str], note_attributes: Sequence[tuple[str, str]]
    ) -> StoreOrder:
        """Replace the order's tags and note attributes (``PUT orders/{id}.json``); the same
        values twice change nothing but ``updated_at``."""
        body = {
            "order": {
                "id": int(_order_id(order_id)),
                "tags": ", ".join(tags),
                "note_attributes": [{"name": n, "value": v} for n, v in note_attributes],
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
        reason: CancelReason = CancelReason.OTHER,
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
            "reason": reason.value,
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

    async def fulfillment_orders(self, order_id: str) -> list[StoreFulfillmentOrder]:
        answer = await self._transport.call(
            "GET",
            f"orders/{_order_id(order_id)}/fulfillment_orders",
            endpoint="fulfillment_orders.list",
        )
        assert answer is not None
        envelope = parse_body(FulfillmentOrdersEnvelope, answer, "fulfillment_orders.list")
        return [fulfillment_order_from_wire(fo) for fo in envelope.fulfillment_orders]

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        """Every fulfilment of one order (``GET orders/{id}/fulfillments.json``)."""
        answer = await self._transport.call(
            "GET",
            f"orders/{_order_id(order_id)}/fulfillments",
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
