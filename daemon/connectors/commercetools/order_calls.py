"""The order side (`StoreOrders`): Order Import by order number, lookups, the TikTok status
and cancel reason in ttsync's custom fields, cancels (stock given back once, marked on the
order), deliveries as fulfilments. Every update carries the version read; a 409
``ConcurrentModification`` is retried with the order read afresh."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog

from daemon.connectors.base import StoreOrders
from daemon.connectors.commercetools.mapping import localized
from daemon.connectors.commercetools.models import Channel, InventoryEntry, Projection
from daemon.connectors.commercetools.order_mapping import (
    INVENTORY_MODES,
    STOCK_RETURNED,
    OrderWire,
    fulfillments,
    import_draft,
    parse_order,
    store_order,
    type_draft,
    wire_money,
)
from daemon.connectors.commercetools.rest import (
    Api,
    ConcurrentModificationError,
    DuplicateFieldError,
    ct_time,
    quoted,
)
from daemon.connectors.commercetools.settings import CommercetoolsSettings
from daemon.connectors.http import parse_answer
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

log = structlog.get_logger(__name__)

_ID = re.compile(r"^[0-9a-fA-F-]{36}$")  # the platform's ids are UUIDs
_VERSION_TRIES = 5
_RESERVING = {"TrackOnly", "ReserveOnOrder"}


class OrderCalls:
    """Mixed into `CommercetoolsClient`, which provides `_api`, `settings` and `channels`."""

    settings: CommercetoolsSettings
    _type_ready: bool = False

    @property
    def _api(self) -> Api:
        raise NotImplementedError

    async def channels(self) -> tuple[Channel, ...]:
        raise NotImplementedError

    def _order_of(self, raw: Any) -> StoreOrder:
        parsed = parse_order(raw)
        if isinstance(parsed, BadRecord):
            raise FatalError(f"order {parsed.id}: the answer cannot be read: {parsed.reason}")
        return self._store(parsed)

    def _store(self, order: OrderWire) -> StoreOrder:
        return store_order(
            order, prefix=self.settings.order_number_prefix, locale=self.settings.locale
        )

    async def _ensure_type(self) -> None:
        if self._type_ready:
            return
        key = self.settings.order_type_key
        found = await self._api.get(
            ["types", f"key={key}"], endpoint="types.get_by_key", missing_ok=True
        )
        if found is None:
            try:
                await self._api.call(
                    "POST", ["types"], endpoint="types.create", body=type_draft(key)
                )
                log.info("commercetools_order_type_created", key=key)
            except DuplicateFieldError:
                log.info("commercetools_order_type_exists", key=key)
        else:
            defined = found.get("fieldDefinitions") if isinstance(found, dict) else None
            names = {d.get("name") for d in defined or [] if isinstance(d, dict)}
            wanted = {d["name"] for d in type_draft(key)["fieldDefinitions"]}
            if missing := sorted(wanted - names):
                raise FatalError(
                    f"order_type_key: the project's type {key!r} has no field "
                    f"{', '.join(missing)}: name a new key and ttsync creates it"
                )
        self._type_ready = True

    # --- creating --------------------------------------------------------------------------

    def _number(self, reference: str) -> str:
        return f"{self.settings.order_number_prefix}{reference}"

    async def _variants(self, draft: OrderDraft) -> dict[str, tuple[str | None, str]]:
        """Variant id -> (SKU, product name), from the projections of the draft's products."""
        wanted: dict[str, set[int]] = {}
        for line in draft.lines:
            product_id, _, number = line.variant_id.partition("/")
            if not _ID.match(product_id) or not number.isdigit():
                raise FatalError(f"line {line.variant_id!r}: not a commercetools variant id")
            wanted.setdefault(product_id, set()).add(int(number))
        found: dict[str, tuple[str | None, str]] = {}
        ids = ", ".join(quoted(p) for p in wanted)
        async for page in self._api.query(
            ["product-projections"],
            [f"id in ({ids})"],
            endpoint="product_projections.order",
            params={"staged": "true"},
        ):
            for raw in page:
                product = parse_answer(Projection, raw, "product_projections.order")
                name = localized(product.name, self.settings.locale) or product.id
                for variant in [product.master_variant, *product.variants]:
                    found[f"{product.id}/{variant.id}"] = (variant.sku, name)
        missing = [line.variant_id for line in draft.lines if line.variant_id not in found]
        if missing:
            raise FatalError(f"line {missing[0]!r}: no such product variant in the project")
        return found

    async def _supply(self, skus: Sequence[str]) -> dict[str, str]:
        """SKU -> the supply channel id its stock is taken from."""
        if not skus:
            return {}
        if self.settings.order_supply_channel:
            keyed = {c.key: c.id for c in await self.channels()}
            chosen = keyed.get(self.settings.order_supply_channel)
            if chosen is None:
                raise FatalError(
                    "order_supply_channel: the project has no channel "
                    f"{self.settings.order_supply_channel!r}"
                )
        best: dict[str, tuple[int, str]] = {}
        batch = ", ".join(quoted(s) for s in skus)
        async for page in self._api.query(
            ["inventory"], [f"sku in ({batch})"], endpoint="inventory.order"
        ):
            for raw in page:
                entry = parse_answer(InventoryEntry, raw, "inventory.order")
                if entry.supply_channel is None:
                    continue
                channel = entry.supply_channel.id
                if self.settings.order_supply_channel and channel != chosen:
                    continue
                if entry.sku not in best or entry.available > best[entry.sku][0]:
                    best[entry.sku] = (entry.available, channel)
        return {sku: channel for sku, (_, channel) in best.items()}

    async def _lines(self, draft: OrderDraft) -> list[dict[str, Any]]:
        variants = await self._variants(draft)
        skus = sorted({sku for sku, _ in variants.values() if sku})
        supply = await self._supply(skus) if draft.stock is not StockOnCreate.LEAVE else {}
        lines = []
        for line in draft.lines:
            product_id, _, number = line.variant_id.partition("/")
            sku, name = variants[line.variant_id]
            item: dict[str, Any] = {
                "productId": product_id,
                "name": {self.settings.locale: name},
                "variant": {"id": int(number), **({"sku": sku} if sku else {})},
                "quantity": line.quantity,
                "price": {"value": wire_money(line.price)},
            }
            channel = supply.get(sku or "")
            if channel is not None:
                item["supplyChannel"] = {"typeId": "channel", "id": channel}
            elif draft.stock is not StockOnCreate.LEAVE:
                item["inventoryMode"] = "None"  # no inventory entry: the SKU is not tracked
            lines.append(item)
        return lines

    async def create_order(self, draft: OrderDraft) -> StoreOrder:
        await self._ensure_type()
        number = self._number(draft.reference)
        body = import_draft(
            draft,
            number=number,
            type_key=self.settings.order_type_key,
            lines=await self._lines(draft),
            status=str(draft.marketplace_status),
        )
        try:
            raw = await self._api.call(
                "POST",
                ["orders", "import"],
                endpoint="orders.by_import",
                body=body,
                idempotent=False,
            )
        except DuplicateFieldError:  # the order number is taken: the order is already there
            found = await self._by_number(number)
            if found is None:
                raise
            log.info("commercetools_order_already_imported", order_number=number)
            return self._store(found)
        order = self._order_of(raw)
        log.info(
            "commercetools_order_imported",
            order_id=order.id,
            order_number=number,
            inventory_mode=INVENTORY_MODES[draft.stock],
        )
        return order

    # --- reading ---------------------------------------------------------------------------

    async def _by_number(self, number: str) -> OrderWire | None:
        raw = await self._api.get(
            ["orders", f"order-number={number}"], endpoint="orders.get_by_number", missing_ok=True
        )
        if raw is None:
            return None
        parsed = parse_order(raw)
        if isinstance(parsed, BadRecord):
            raise FatalError(f"order {number}: the answer cannot be read: {parsed.reason}")
        return parsed

    async def _wire(self, order_id: str) -> OrderWire | None:
        if not _ID.match(order_id):
            return None
        raw = await self._api.get(["orders", order_id], endpoint="orders.get", missing_ok=True)
        if raw is None:
            return None
        parsed = parse_order(raw)
        if isinstance(parsed, BadRecord):
            raise FatalError(f"order {order_id}: the answer cannot be read: {parsed.reason}")
        return parsed

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None:
        found = await self._by_number(self._number(reference))
        if found is None or found.created_at < created_since:
            return None
        return self._store(found)

    async def order(self, order_id: str) -> StoreOrder | None:
        found = await self._wire(order_id)
        return None if found is None else self._store(found)

    # --- updating --------------------------------------------------------------------------

    async def _update(
        self,
        order_id: str,
        actions_for: Callable[[OrderWire], list[dict[str, Any]]],
    ) -> OrderWire:
        """Apply the actions `actions_for` gives for the order as read (none: as it is); a
        version conflict reads the order again and asks anew."""
        for _ in range(_VERSION_TRIES):
            order = await self._wire(order_id)
            if order is None:
                raise FatalError(f"order {order_id} does not exist")
            actions = actions_for(order)
            if not actions:
                return order
            body = {"version": order.version, "actions": actions}
            try:
                raw = await self._api.call(
                    "POST", ["orders", order_id], endpoint="orders.update", body=body
                )
            except ConcurrentModificationError as exc:
                log.info("commercetools_version_conflict", order_id=order_id, detail=str(exc))
                continue
            parsed = parse_order(raw)
            if isinstance(parsed, BadRecord):
                raise FatalError(f"order {order_id}: the answer cannot be read: {parsed.reason}")
            return parsed
        raise FatalError(f"order {order_id}: it kept changing under {_VERSION_TRIES} updates")

    @staticmethod
    def _set(name: str, value: Any) -> dict[str, Any]:
        return {"action": "setCustomField", "name": name, "value": value}

    def _custom_ready(self, order: OrderWire) -> list[dict[str, Any]]:
        """An order made elsewhere has no custom type: ttsync's is set before its fields."""
        if order.custom is not None:
            return []
        return [
            {
                "action": "setCustomType",
                "type": {"typeId": "type", "key": self.settings.order_type_key},
            }
        ]

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder:
        def actions(order: OrderWire) -> list[dict[str, Any]]:
            if order.field("tiktokStatus") == str(state):
                return []
            return [*self._custom_ready(order), self._set("tiktokStatus", str(state))]

        return self._store(await self._update(order_id, actions))

    async def cancel_order(
        self, order_id: str, *, reason: CancelReason, restock: bool = True
    ) -> StoreOrder:
        await self._ensure_type()
        now = ct_time(datetime.now(UTC))

        def cancel(order: OrderWire) -> list[dict[str, Any]]:
            if order.order_state == "Cancelled":
                return []
            returns = restock and order.inventory_mode in _RESERVING
            return [
                *self._custom_ready(order),
                {"action": "changeOrderState", "orderState": "Cancelled"},
                self._set("cancelReason", str(reason)),
                self._set("cancelledAt", now),
                self._set(STOCK_RETURNED, value=not returns),
            ]

        order = await self._update(order_id, cancel)
        if order.field(STOCK_RETURNED) is False:
            await self._return_stock(order)
            order = await self._update(
                order_id,
                lambda o: (
                    [] if o.field(STOCK_RETURNED) else [self._set(STOCK_RETURNED, value=True)]
                ),
            )
        log.info("commercetools_order_cancelled", order_id=order_id, reason=str(reason))
        return self._store(order)

    async def _return_stock(self, order: OrderWire) -> None:
        """Give each reserving line's units back to its entry (``addQuantity``)."""
        for line in order.line_items:
            if not line.variant.sku or line.supply_channel is None:
                continue
            where = [
                f"sku = {quoted(line.variant.sku)}",
                f"supplyChannel(id = {quoted(line.supply_channel.id)})",
            ]
            await self._add_quantity(where, line.quantity)

    async def _add_quantity(self, where: list[str], quantity: int) -> None:
        for _ in range(_VERSION_TRIES):
            entries = [
                parse_answer(InventoryEntry, raw, "inventory.restock")
                async for page in self._api.query(
                    ["inventory"], where, endpoint="inventory.restock"
                )
                for raw in page
            ]
            if not entries:
                return
            entry = entries[0]
            body = {
                "version": entry.version,
                "actions": [{"action": "addQuantity", "quantity": quantity}],
            }
            try:
                await self._api.call(
                    "POST", ["inventory", entry.id], endpoint="inventory.update", body=body
                )
            except ConcurrentModificationError:
                continue
            return
        raise FatalError("inventory: the entry kept changing while stock was given back")

    # --- changes since ---------------------------------------------------------------------

    async def _orders_where(self, where: list[str], endpoint: str) -> list[OrderWire | BadRecord]:
        found: list[OrderWire | BadRecord] = []
        async for page in self._api.query(["orders"], where, endpoint=endpoint):
            found.extend(parse_order(raw) for raw in page)
        return found

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]:
        where = ['orderState = "Cancelled"', f"lastModifiedAt >= {quoted(ct_time(since))}"]
        found = await self._orders_where(where, "orders.cancelled")
        return [o if isinstance(o, BadRecord) else self._store(o) for o in found]

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]:
        where = [f"lastModifiedAt >= {quoted(ct_time(since))}"]
        result: list[StoreFulfillment | BadRecord] = []
        for order in await self._orders_where(where, "orders.fulfilled"):
            if isinstance(order, BadRecord):
                result.append(order)
            else:
                result.extend(fulfillments(order, since))
        return result

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]:
        found = await self._wire(order_id)
        return [] if found is None else fulfillments(found)


if TYPE_CHECKING:  # mypy proves that the order side plays the StoreOrders role

    def _as_store_orders(calls: OrderCalls) -> StoreOrders:
        return calls
