"""The order side of the Magento connector (`StoreOrders`): create through the order
repository with a deterministic increment id, invoice as paid, move stock as the draft says,
find by the TikTok order id, show the TikTok status in a comment, cancel (and put back the
stock ttsync took), cancelled orders and shipments since a time, and a shipment with tracks
made only after checking the order's existing ones.

Creating an order, an invoice or a shipment is not repeated after a timeout or a 5xx (it may
have happened); the caller looks the order up before trying again.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

import structlog
from pydantic import ValidationError

from daemon.connectors.magento.mapping import raw_id
from daemon.connectors.magento.models import (
    InvoiceWire,
    OrderWire,
    ProductWire,
    ShipmentWire,
    magento_time,
)
from daemon.connectors.magento.order_mapping import (
    CANCEL_PREFIX,
    FINISHED,
    RESTOCK_PREFIX,
    STATUS_PREFIX,
    Line,
    Moves,
    comment,
    draft_to_entity,
    fulfillment_from_wire,
    increment_id,
    is_unfinished,
    moves_comment,
    order_from_wire,
    shows,
    stock_moves,
)
from daemon.connectors.magento.order_stock import StockMover
from daemon.connectors.magento.rest import DuplicateKeyError, Rest, parse_body, validation_summary
from daemon.domain.models import BadRecord
from daemon.domain.orders import (
    CancelReason,
    OrderDraft,
    OrderState,
    StockOnCreate,
    StoreFulfillment,
    StoreOrder,
)
from daemon.errors import AuthError, FatalError, RetriableError, SyncError

log = structlog.get_logger(__name__)

# The store's clocks and ours may disagree: an existing order is looked for this far back.
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def _id(order_id: str) -> str | None:
    return order_id if order_id.isdigit() and len(order_id) < 12 else None  # noqa: PLR2004 an int(10) id


class OrderCalls:
    """Mixed into `MagentoClient`; needs only its REST caller and settings."""

    settings: Any

    @property
    def _rest(self) -> Rest:
        raise NotImplementedError

    async def _lines(self, draft: OrderDraft) -> dict[str, Line]:
        ids = sorted({line.variant_id for line in draft.lines if line.variant_id.isdigit()})
        if not ids:
            return {}
        found: dict[str, Line] = {}
        filters = [[("entity_id", ",".join(ids), "in")]]
        async for items, _ in self._rest.search(["products"], filters, endpoint="products.lines"):
            for raw in items:
                wire = parse_body(ProductWire, raw, "products.lines")
                found[str(wire.id)] = Line(wire.sku, wire.name, wire.id)
        return found

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        """Save the order (``POST /V1/orders``), invoice it when paid, move stock as
        `draft.stock` says. The increment id ``TT<TikTok id>`` is unique in the store: when an
        order with it exists already, that order is the answer and only the steps it lacks are
        done. A step that fails leaves the order `unfinished` and raises RetriableError: the
        next attempt finishes it."""
        lines = await self._lines(draft)
        mover = StockMover(self._rest)
        try:
            plan = await mover.plan(draft, lines) if draft.stock is not StockOnCreate.LEAVE else []
        except ValueError as exc:
            # Short: refused, unless an earlier attempt saved the order and took the stock.
            earlier = await self._by_reference(draft.reference, _ANY_TIME)
            if earlier is None or stock_moves(earlier) is None:
                raise FatalError(f"orders.save: {exc}") from None
            plan = []
        steps = [step for step, wanted in (("invoice", draft.paid), ("stock", plan)) if wanted]
        created = await self._save(draft, lines, steps)
        fresh = created is not None
        if created is None:
            created = await self._by_reference(draft.reference, _ANY_TIME)
            if created is None:
                raise FatalError(
                    f"orders.save: increment id {increment_id(draft.reference)} is taken by an "
                    f"order that does not carry TikTok order {draft.reference}"
                )
            log.info("magento_order_exists", order_id=created.entity_id, reference=draft.reference)
            if not is_unfinished(created):
                return order_from_wire(created)
        order_id = str(created.entity_id)
        if draft.paid and (fresh or not await self._invoices(order_id)):
            await self._step(created, "invoice", self._invoice(created))
        if plan and (fresh or stock_moves(created) is None):
            await self._step(created, "stock", self._take_stock(mover, order_id, plan))
        if steps or not fresh:  # an order found unfinished is finished now
            await self._comment(order_id, FINISHED)
        return await self._must(order_id)

    async def _take_stock(self, mover: StockMover, order_id: str, plan: Moves) -> None:
        await mover.apply(plan)
        await self._comment(order_id, moves_comment(plan))

    async def _step(self, order: OrderWire, step: str, work: Awaitable[None]) -> None:
        """One step after the save. The order exists but stays unfinished until every step is
        done: a failure is retriable, naming the order, the step and the reason."""
        try:
            await work
        except AuthError:
            raise
        except SyncError as exc:
            log.warning(
                "magento_order_unfinished",
                order_id=order.entity_id,
                increment_id=order.increment_id,
                reference=order.ext_order_id,
                missing=step,
                reason=str(exc),
            )
            raise RetriableError(
                f"order {order.increment_id} is saved but its {step} failed ({exc}); "
                "it is finished on the next attempt"
            ) from None

    async def _save(
        self, draft: OrderDraft, lines: dict[str, Line], steps: list[str]
    ) -> OrderWire | None:
        """The saved order; None when the store's unique key says it exists already."""
        try:
            entity = draft_to_entity(
                draft, lines, increment_id(draft.reference), self.settings.payment_method, steps
            )
        except ValueError as exc:
            raise FatalError(f"orders.save: the order cannot be sent: {exc}") from None
        try:
            answer = await self._rest.call(
                "POST",
                ["orders"],
                endpoint="orders.save",
                body={"entity": entity},
                idempotent=False,
            )
        except DuplicateKeyError:
            return None
        assert answer is not None
        return parse_body(OrderWire, answer.body, "orders.save")

    async def _invoice(self, order: OrderWire) -> None:
        """Invoice (capture) the whole order; after an unclear failure, only if no invoice
        exists yet."""
        order_id = str(order.entity_id)
        body = {"capture": True, "notify": False}
        try:
            await self._rest.call(
                "POST",
                ["order", order_id, "invoice"],
                endpoint="orders.invoice",
                body=body,
                idempotent=False,
            )
        except RetriableError:
            if await self._invoices(order_id):
                return
            await self._rest.call(
                "POST",
                ["order", order_id, "invoice"],
                endpoint="orders.invoice",
                body=body,
                idempotent=False,
            )

    async def _invoices(self, order_id: str) -> list[InvoiceWire]:
        found: list[InvoiceWire] = []
        async for items, _ in self._rest.search(
            ["invoices"], [[("order_id", order_id, "eq")]], endpoint="invoices.list"
        ):
            found.extend(parse_body(InvoiceWire, raw, "invoices.list") for raw in items)
        return found

    async def _comment(self, order_id: str, text: str, status: str | None = None) -> None:
        history = {**comment(text, status), "parent_id": int(order_id)}
        await self._rest.call(
            "POST",
            ["orders", order_id, "comments"],
            endpoint="orders.comment",
            body={"statusHistory": history},
            idempotent=False,
        )

    async def _wire(self, order_id: str) -> OrderWire | None:
        if _id(order_id) is None:
            return None
        answer = await self._rest.call(
            "GET", ["orders", order_id], endpoint="orders.get", missing_ok=True
        )
        return None if answer is None else parse_body(OrderWire, answer.body, "orders.get")

    async def _must(self, order_id: str) -> StoreOrder:
        wire = await self._wire(order_id)
        if wire is None:
            raise FatalError(f"orders.get: order {order_id} does not exist")
        return order_from_wire(wire)

    async def order(self, order_id: str) -> StoreOrder | None:
        wire = await self._wire(order_id)
        return None if wire is None else order_from_wire(wire)

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        """The earliest order carrying `reference` in ``ext_order_id`` created since then (one
        indexed search); an import whose steps are not all done is `unfinished`."""
        found = await self._by_reference(reference, created_since)
        return None if found is None else order_from_wire(found)

    async def _by_reference(self, reference: str, created_since: datetime) -> OrderWire | None:
        filters = [
            [("ext_order_id", reference, "eq")],
            [("created_at", magento_time(created_since), "gteq")],
        ]
        async for items, _ in self._rest.search(
            ["orders"], filters, endpoint="orders.find", sort="entity_id"
        ):
            return parse_body(OrderWire, items[0], "orders.find") if items else None
        return None

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder:
        """A ``TikTok Shop status: ...`` comment, unless the latest one already says it."""
        current = await self._wire(order_id)
        if current is None:
            raise FatalError(f"orders.comment: order {order_id} does not exist")
        if shows(current, state):
            return order_from_wire(current)
        await self._comment(order_id, STATUS_PREFIX + state.value)
        return await self._must(order_id)

    async def cancel_order(
        self, order_id: str, *, reason: CancelReason, restock: bool = True
    ) -> StoreOrder:
        """Cancel through ``POST /V1/orders/{id}/cancel`` (it answers false for an order it
        cannot cancel), record the reason, and put back the stock ttsync took on create."""
        current = await self._wire(order_id)
        if current is None:
            raise FatalError(f"orders.cancel: order {order_id} does not exist")
        if current.state == "canceled":
            return order_from_wire(current)
        answer = await self._rest.call(
            "POST", ["orders", order_id, "cancel"], endpoint="orders.cancel"
        )
        again = await self._wire(order_id)
        if again is None or again.state != "canceled":
            said = None if answer is None else answer.body
            state = "gone" if again is None else again.state
            raise FatalError(
                f"orders.cancel: Magento did not cancel order {order_id} ({said}; {state})"
            )
        await self._comment(order_id, CANCEL_PREFIX + reason.value, "canceled")
        moves = stock_moves(again)
        if restock and moves and stock_moves(again, RESTOCK_PREFIX) is None:
            await StockMover(self._rest).give_back(moves)
            await self._comment(order_id, moves_comment(moves, RESTOCK_PREFIX), "canceled")
        return await self._must(order_id)

    async def _orders(
        self, groups: list[list[tuple[str, str, str]]], endpoint: str
    ) -> list[StoreOrder | BadRecord]:
        found: list[StoreOrder | BadRecord] = []
        async for items, _ in self._rest.search(
            ["orders"], groups, endpoint=endpoint, sort="entity_id"
        ):
            for raw in items:
                try:
                    found.append(order_from_wire(OrderWire.model_validate(raw)))
                except ValidationError as exc:
                    found.append(BadRecord("order", raw_id(raw), validation_summary(exc)))
        return found

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        groups = [[("state", "canceled", "eq")], [("updated_at", magento_time(since), "gteq")]]
        return await self._orders(groups, "orders.cancelled")

    async def _shipments(
        self, groups: list[list[tuple[str, str, str]]], endpoint: str
    ) -> list[StoreFulfillment | BadRecord]:
        found: list[StoreFulfillment | BadRecord] = []
        async for items, _ in self._rest.search(
            ["shipments"], groups, endpoint=endpoint, sort="entity_id"
        ):
            for raw in items:
                try:
                    found.append(fulfillment_from_wire(ShipmentWire.model_validate(raw)))
                except ValidationError as exc:
                    found.append(BadRecord("shipment", raw_id(raw), validation_summary(exc)))
        return found

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        return await self._shipments(
            [[("updated_at", magento_time(since), "gteq")]], "shipments.since"
        )

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        if _id(order_id) is None:
            return []
        found = await self._shipments([[("order_id", order_id, "eq")]], "shipments.order")
        return [f for f in found if isinstance(f, StoreFulfillment)]

    async def create_shipment(
        self, order_id: str, carrier_code: str, title: str, tracking_number: str
    ) -> list[StoreFulfillment]:
        """Ship what is left with one track, unless a shipment of the order already carries
        `tracking_number` (``/ship`` makes a new shipment on every call)."""
        existing = await self.order_fulfillments(order_id)
        if any(tracking_number in f.tracking_numbers for f in existing):
            return existing
        body = {
            "notify": False,
            "tracks": [
                {"track_number": tracking_number, "title": title, "carrier_code": carrier_code}
            ],
        }
        await self._rest.call(
            "POST", ["order", order_id, "ship"], endpoint="orders.ship", body=body, idempotent=False
        )
        return await self.order_fulfillments(order_id)
