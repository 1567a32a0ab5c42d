"""The order side of the Shopify connector (`StoreOrders`) on Admin GraphQL: create, find by
the TikTok order id, show the TikTok status (tags and custom attributes), cancel with
restock, cancelled orders since a time, fulfilments; plus the fulfilment-order calls a
merchant's own tools make.

``orderCreate``, ``fulfillmentCreate`` and ``orderCancel`` are not repeated after a timeout
or a 5xx (they may have happened); the caller looks the order up before trying again. A
refusal (``userErrors``) is a `FatalError` naming the field and Shopify's reason. In a
listing, an order that cannot be read is a `BadRecord`; the others carry on.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from daemon.connectors.http import parse_answer
from daemon.connectors.shopify import order_queries as q
from daemon.connectors.shopify.graphql import GraphQL
from daemon.connectors.shopify.graphql_wire import numeric_id
from daemon.connectors.shopify.mapping import utc, validation_summary
from daemon.connectors.shopify.order_mapping import (
    FulfillmentOrder,
    TrackingInfo,
    attributes_of,
    draft_to_input,
    fulfillment_from_node,
    fulfillment_order_from_node,
    gid,
    order_from_node,
    reference_of,
    relabel,
    split_tags,
)
from daemon.connectors.shopify.order_wire import (
    FulfilledLineNode,
    FulfilledLinePage,
    FulfilledOrderNode,
    FulfillmentNode,
    FulfillmentOrderNode,
    LineNode,
    LinePage,
    OrderNode,
)
from daemon.connectors.shopify.reader import Reader, shop_time
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    CancelReason,
    OrderDraft,
    OrderState,
    StoreFulfillment,
    StoreOrder,
)
from daemon.errors import FatalError, RetriableError

_SEARCHABLE = re.compile(r"[A-Za-z0-9_.-]+")  # safe inside a quoted search term
# How long a cancel is followed (Shopify cancels in a background job) before the caller is
# told to come back; the next attempt finds the order cancelled.
_CANCEL_POLLS = (0.1, 0.25, 0.5, 1.0, 1.0, 2.0, 2.0, 3.0)


def _order_id(order_id: str) -> str:
    if not order_id.isdigit():
        raise FatalError(f"{order_id!r} is not a Shopify order id")
    return order_id


def _tracking(tracking: TrackingInfo) -> dict[str, str]:
    given = {"company": tracking.company, "number": tracking.number, "url": tracking.url}
    return {key: value for key, value in given.items() if value}


def _node_id(raw: Mapping[str, Any]) -> str:
    """The number of an unreadable node, as far as it can be told."""
    legacy = raw.get("legacyResourceId")
    if isinstance(legacy, str | int) and str(legacy).isdigit():
        return str(legacy)
    value = raw.get("id")
    return numeric_id(value) if isinstance(value, str) else "unknown"


def _refusal(errors: Sequence[Any]) -> str:
    """Shopify's userErrors as one line: each field path with its message."""
    parts = []
    for error in errors:
        if not isinstance(error, Mapping):
            continue
        field = error.get("field")
        where = ".".join(str(p) for p in field) if isinstance(field, list) and field else ""
        message = str(error.get("message") or "refused")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "refused without a reason"


class OrderCalls:
    """Mixed into `ShopifyClient`; needs only its GraphQL client and reader."""

    @property
    def _gql(self) -> GraphQL:
        raise NotImplementedError

    @property
    def _reader(self) -> Reader:
        raise NotImplementedError

    async def _mutate(
        self,
        document: str,
        variables: Mapping[str, Any],
        root: str,
        *,
        repeatable: bool = False,
        errors_key: str = "userErrors",
    ) -> Mapping[str, Any]:
        """The payload of mutation `root`; refusals raise. Only a `repeatable` mutation
        (it sets values, so doing it twice changes nothing) is repeated after a 5xx."""
        data = await self._gql.run(document, variables, endpoint=root, mutation=not repeatable)
        payload = data.get(root)
        if not isinstance(payload, Mapping):
            raise FatalError(f"{root}: the answer holds no payload")
        errors = payload.get(errors_key)
        if errors:
            listed = errors if isinstance(errors, list) else [errors]
            raise FatalError(f"{root}: Shopify refused it: {_refusal(listed)}")
        return payload

    # --- orders -----------------------------------------------------------------------------

    async def _complete(self, order: OrderNode) -> StoreOrder:
        """The order with every line: the first page came with it, the rest are read."""
        lines: list[LineNode] = list(order.lines.nodes)
        page = order.lines.page_info
        while page.has_next_page:
            variables = {"id": order.id, "after": page.end_cursor}
            data = await self._gql.run(q.ORDER_LINES, variables, endpoint="order.lines")
            found = parse_answer(
                LinePage, (data.get("order") or {}).get("lineItems"), "order.lines"
            )
            lines.extend(found.nodes)
            page = found.page_info
        return order_from_node(order, lines)

    async def _order_node(self, order_id: str) -> OrderNode | None:
        if not order_id.isdigit():
            return None
        data = await self._gql.run(q.ORDER, {"id": gid("Order", order_id)}, endpoint="order")
        raw = data.get("order")
        return None if raw is None else parse_answer(OrderNode, raw, "order")

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        """``orderCreate``; stock moves as `draft.stock` says (``inventoryBehaviour``)."""
        try:
            order, options = draft_to_input(draft)
        except ValueError as exc:
            raise FatalError(f"orderCreate: the order cannot be sent: {exc}") from None
        payload = await self._mutate(
            q.ORDER_CREATE, {"order": order, "options": options}, "orderCreate"
        )
        return await self._complete(parse_answer(OrderNode, payload.get("order"), "orderCreate"))

    async def order(self, order_id: str) -> StoreOrder | None:
        node = await self._order_node(order_id)
        return None if node is None else await self._complete(node)

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        """The earliest order (any status) created since `created_since` that carries the
        TikTok order id `reference`. ``orders(query:)`` narrows by creation time and
        ``source_identifier`` (ttsync writes it on every order it creates); the few fields
        answered are matched here (custom attribute first, then source identifier)."""
        search = f"created_at:>='{shop_time(created_since)}'"
        if _SEARCHABLE.fullmatch(reference):
            search += f' AND source_identifier:"{reference}"'
        matched: list[int] = []
        pages = self._reader.pages(q.ORDER_REFS, {"query": search}, ("orders",), "orders.refs")
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
        """Replace the order's ``TikTok: ...`` tag and ``tiktok_status`` custom attribute
        (``orderUpdate``, which sets both lists whole), unless they already show `state`."""
        current = await self._order_node(order_id)
        if current is None:
            raise FatalError(f"orderUpdate: order {order_id} does not exist")
        attributes = attributes_of(current)
        tags, wanted = relabel(split_tags(current.tags), attributes, state)
        if set(tags) == split_tags(current.tags) and wanted == attributes:
            return await self._complete(current)
        update = {
            "id": current.id,
            "tags": tags,
            "customAttributes": [{"key": k, "value": v} for k, v in wanted],
        }
        payload = await self._mutate(
            q.ORDER_UPDATE, {"input": update}, "orderUpdate", repeatable=True
        )
        return await self._complete(parse_answer(OrderNode, payload.get("order"), "orderUpdate"))

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        """Orders cancelled and updated at or after `since` (any cancel time; the caller
        checks ``cancelled_at``)."""
        search = f"updated_at:>='{shop_time(since)}' AND status:cancelled"
        found: list[StoreOrder | BadRecord] = []
        async for raw in self._reader.pages(q.ORDERS, {"query": search}, ("orders",), "orders"):
            try:
                node = OrderNode.model_validate(raw)
            except ValidationError as exc:
                found.append(BadRecord("order", _node_id(raw), validation_summary(exc)))
                continue
            try:
                found.append(await self._complete(node))
            except FatalError as exc:
                found.append(BadRecord("order", node.legacy_id, str(exc)))
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
        as it is, so calling this twice is harmless. Shopify cancels in a background job:
        the order is read until it shows the cancel."""
        current = await self.order(_order_id(order_id))
        if current is None:
            raise FatalError(f"orderCancel: order {order_id} does not exist")
        if current.cancelled:
            return current
        variables = {
            "orderId": gid("Order", order_id),
            "reason": reason.value.upper(),
            "restock": restock,
            "notifyCustomer": notify_customer,
        }
        try:
            await self._mutate(
                q.ORDER_CANCEL, variables, "orderCancel", errors_key="orderCancelUserErrors"
            )
        except FatalError:
            again = await self.order(order_id)  # an earlier attempt's job may have finished
            if again is not None and again.cancelled:
                return again
            raise
        for pause in _CANCEL_POLLS:
            done = await self.order(order_id)
            if done is not None and done.cancelled:
                return done
            await asyncio.sleep(pause)
        raise RetriableError(f"orderCancel: Shopify is still cancelling order {order_id}")

    # --- fulfilments ------------------------------------------------------------------------

    async def _fulfilled_lines(self, fulfillment: FulfillmentNode) -> list[FulfilledLineNode]:
        lines = list(fulfillment.lines.nodes)
        page = fulfillment.lines.page_info
        while page.has_next_page:
            variables = {"id": fulfillment.id, "after": page.end_cursor}
            data = await self._gql.run(q.FULFILLMENT_LINES, variables, endpoint="fulfillment.lines")
            raw = (data.get("fulfillment") or {}).get("fulfillmentLineItems")
            found = parse_answer(FulfilledLinePage, raw, "fulfillment.lines")
            lines.extend(found.nodes)
            page = found.page_info
        return lines

    async def _fulfillment(
        self, node: FulfillmentNode, order_id: str, order_name: str | None = None
    ) -> StoreFulfillment:
        lines = await self._fulfilled_lines(node)
        return fulfillment_from_node(node, lines, order_id, order_name)

    async def fulfillment_orders(self, order_id: str) -> list[FulfillmentOrder]:
        variables = {"id": gid("Order", _order_id(order_id))}
        path = ("order", "fulfillmentOrders")
        return [
            fulfillment_order_from_node(
                order_id, parse_answer(FulfillmentOrderNode, raw, "fulfillmentOrders")
            )
            async for raw in self._reader.pages(
                q.FULFILLMENT_ORDERS, variables, path, "fulfillmentOrders"
            )
        ]

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        """Every fulfilment of one order; none for an order Shopify does not have."""
        if not order_id.isdigit():
            return []
        variables = {"id": gid("Order", order_id)}
        data = await self._gql.run(q.ORDER_FULFILLMENTS, variables, endpoint="order.fulfillments")
        order = data.get("order")
        if not isinstance(order, Mapping):
            return []
        nodes = [
            parse_answer(FulfillmentNode, raw, "order.fulfillments")
            for raw in order.get("fulfillments") or ()
        ]
        return [await self._fulfillment(node, order_id) for node in nodes]

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        """Fulfilments created or changed at or after `since`, from orders updated since then
        (a fulfilment or a tracking change moves its order's ``updatedAt``)."""
        search = f"updated_at:>='{shop_time(since)}'"
        threshold = utc(since).replace(microsecond=0)
        found: list[StoreFulfillment | BadRecord] = []
        pages = self._reader.pages(
            q.FULFILLED_ORDERS, {"query": search}, ("orders",), "orders.fulfillments"
        )
        async for raw in pages:
            try:
                order = FulfilledOrderNode.model_validate(raw)
            except ValidationError as exc:
                found.append(BadRecord("order", _node_id(raw), validation_summary(exc)))
                continue
            for node in order.fulfillments:
                if utc(node.updated_at) < threshold:
                    continue
                try:
                    found.append(await self._fulfillment(node, order.legacy_id, order.name))
                except FatalError as exc:
                    found.append(BadRecord("fulfillment", node.legacy_id, str(exc)))
        return found

    async def create_fulfillment(
        self, order_id: str, tracking: TrackingInfo, *, notify_customer: bool = False
    ) -> list[StoreFulfillment]:
        """Fulfil everything still open on the order with this tracking: one fulfilment per
        location, through the fulfillment-order flow (``fulfillmentCreate``)."""
        by_location: dict[str | None, list[str]] = defaultdict(list)
        for fulfillment_order in await self.fulfillment_orders(order_id):
            if fulfillment_order.can_fulfil:
                by_location[fulfillment_order.location_id].append(fulfillment_order.id)
        created = []
        for fo_ids in by_location.values():
            fulfillment = {
                "lineItemsByFulfillmentOrder": [
                    {"fulfillmentOrderId": gid("FulfillmentOrder", fo_id)} for fo_id in fo_ids
                ],
                "trackingInfo": _tracking(tracking),
                "notifyCustomer": notify_customer,
            }
            payload = await self._mutate(
                q.FULFILLMENT_CREATE, {"fulfillment": fulfillment}, "fulfillmentCreate"
            )
            node = parse_answer(FulfillmentNode, payload.get("fulfillment"), "fulfillmentCreate")
            created.append(await self._fulfillment(node, order_id))
        return created

    async def update_tracking(
        self, fulfillment_id: str, tracking: TrackingInfo, *, notify_customer: bool = False
    ) -> StoreFulfillment:
        """``fulfillmentTrackingInfoUpdate``: sets the tracking whole, so it may be repeated."""
        if not fulfillment_id.isdigit():
            raise FatalError(f"{fulfillment_id!r} is not a Shopify fulfillment id")
        variables = {
            "fulfillmentId": gid("Fulfillment", fulfillment_id),
            "trackingInfoInput": _tracking(tracking),
            "notifyCustomer": notify_customer,
        }
        root = "fulfillmentTrackingInfoUpdate"
        payload = await self._mutate(q.TRACKING_UPDATE, variables, root, repeatable=True)
        node = parse_answer(FulfillmentNode, payload.get("fulfillment"), root)
        if node.order is None:
            raise FatalError(f"{root}: the answer lacks the fulfilment's order")
        return await self._fulfillment(node, node.order.legacy_id)
