"""The simulated project as a whole: its records, clock, faults, call log and tokens, and the
changes every route and the neutral store control go through (each bumps the resource's
``version`` and ``lastModifiedAt``)."""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from simulators.commercetools.config import CommercetoolsSimulatorConfig
from simulators.commercetools.records import (
    SUPPLY,
    ChannelRec,
    ClientRec,
    InventoryRec,
    OrderRec,
    ProductRec,
    TokenRec,
    TypeRec,
    VariantRec,
)
from simulators.kit import CallLog, DeliveryPolicy, FaultInjector, SimClock, WebhookSender

_SLUG = re.compile(r"[^a-z0-9]+")


def iso(moment: datetime) -> str:
    """The API's timestamps: ``2026-01-31T12:00:00.123Z``."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "item"


class Project:
    """Everything one simulator instance holds; handlers reach it through `PROJECT`."""

    def __init__(self, config: CommercetoolsSimulatorConfig) -> None:
        self.config = config
        self.clock = SimClock()
        self.faults = FaultInjector(config.fault_seed)
        self.calls = CallLog(self.clock)
        # Subscriptions deliver to cloud queues only; the kit's control routes want a sender.
        self.webhooks = WebhookSender(
            clock=self.clock,
            policy=DeliveryPolicy(retry_delays_seconds=()),
            sign=lambda _: {},
            address=lambda _: None,
        )
        self.stopping = asyncio.Event()
        self.base_url = ""
        self._random = random.Random(config.fault_seed)  # noqa: S311 ids, not security
        self.clients: dict[str, ClientRec] = {
            config.client_id: ClientRec(config.client_id, config.client_secret, config.granted())
        }
        self.tokens: dict[str, TokenRec] = {}
        self.products: dict[str, ProductRec] = {}
        self.channels: dict[str, ChannelRec] = {}
        self.categories: dict[str, str] = {}  # id -> name
        self.inventory: dict[str, InventoryRec] = {}
        self._entries: dict[tuple[str, str | None], str] = {}  # (sku, channel id) -> entry id
        self._sku_entries: dict[str, list[str]] = {}  # sku -> entry ids
        self._skus: dict[str, tuple[str, int]] = {}  # sku -> (product id, variant id)
        self.types: dict[str, TypeRec] = {}
        self.orders: dict[str, OrderRec] = {}
        self.order_numbers: dict[str, str] = {}  # order number -> order id
        self.messages: list[dict[str, object]] = []
        # What predicates read of each product and entry, kept while its version stands.
        self.views: dict[str, tuple[int, dict[str, Any]]] = {}
        for name in config.locations:
            self.add_channel(name, roles=[SUPPLY])

    def view(
        self, rec_id: str, version: int, build: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """The cached predicate view of a record at `version` (built anew when it moved)."""
        known = self.views.get(rec_id)
        if known is None or known[0] != version:
            known = (version, build())
            self.views[rec_id] = known
        return known[1]

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), UTC)

    def tick(self) -> None:
        """Nothing falls due: subscriptions are not simulated (docs/SIMULATORS.md)."""

    # --- auth -----------------------------------------------------------------------------

    def issue_token(self, client: ClientRec, scopes: tuple[str, ...]) -> tuple[str, int]:
        token = secrets.token_urlsafe(24)
        lifetime = self.config.token_lifetime_seconds
        self.tokens[token] = TokenRec(client.client_id, scopes, self.clock.now() + lifetime)
        return token, lifetime

    def revoke_client(self, client_id: str) -> None:
        self.clients.pop(client_id, None)
        for token, rec in list(self.tokens.items()):
            if rec.client_id == client_id:
                del self.tokens[token]

    # --- catalog --------------------------------------------------------------------------

    def add_channel(self, name: str, *, roles: list[str]) -> ChannelRec:
        base = slug(name)
        key, n = base, 1
        while any(c.key == key for c in self.channels.values()):
            n += 1
            key = f"{base}-{n}"
        moment = self.now()
        channel = ChannelRec(self.new_id(), key, {"en-GB": name}, roles, 1, moment, moment)
        self.channels[channel.id] = channel
        return channel

    def channel_by_key(self, key: str) -> ChannelRec | None:
        return next((c for c in self.channels.values() if c.key == key), None)

    def category(self, name: str) -> str:
        for category_id, known in self.categories.items():
            if known == name:
                return category_id
        category_id = self.new_id()
        self.categories[category_id] = name
        return category_id

    def add_product(self, product: ProductRec) -> ProductRec:
        self.products[product.id] = product
        for variant in product.variants:
            if variant.sku:
                self._skus[variant.sku] = (product.id, variant.id)
        self.message("ProductCreated", "product", product.id, product.version)
        return product

    def touch(self, product: ProductRec, message: str = "ProductPublished") -> None:
        """A change saved (and published, as the Merchant Center's "Save and publish")."""
        product.version += 1
        product.last_modified_at = self.now()
        self.message(message, "product", product.id, product.version)

    def delete_product(self, product: ProductRec) -> None:
        """Deleting a product leaves its SKUs' inventory entries, as the platform does."""
        del self.products[product.id]
        for variant in product.variants:
            if variant.sku:
                self._skus.pop(variant.sku, None)
        self.message("ProductDeleted", "product", product.id, product.version)

    def variant_by_sku(self, sku: str) -> tuple[ProductRec, VariantRec] | None:
        found = self._skus.get(sku)
        if found is None or found[0] not in self.products:
            return None
        product = self.products[found[0]]
        return product, next(v for v in product.variants if v.id == found[1])

    # --- inventory ------------------------------------------------------------------------

    def entry(self, sku: str, channel_id: str | None) -> InventoryRec | None:
        entry_id = self._entries.get((sku, channel_id))
        return None if entry_id is None else self.inventory.get(entry_id)

    def entries_of(self, skus: Iterable[str]) -> list[InventoryRec]:
        return [
            self.inventory[entry_id]
            for sku in dict.fromkeys(skus)
            for entry_id in self._sku_entries.get(sku, ())
        ]

    def set_quantity(self, sku: str, channel_id: str | None, on_stock: int) -> InventoryRec:
        """``changeQuantity``: the stock on hand becomes `on_stock`; reservations stay."""
        moment = self.now()
        entry = self.entry(sku, channel_id)
        if entry is None:
            entry = InventoryRec(self.new_id(), sku, channel_id, on_stock, 1, moment, moment)
            self.inventory[entry.id] = entry
            self._entries[sku, channel_id] = entry.id
            self._sku_entries.setdefault(sku, []).append(entry.id)
            return entry
        entry.on_stock = on_stock
        self.touch_entry(entry)
        return entry

    def touch_entry(self, entry: InventoryRec) -> None:
        entry.version += 1
        entry.last_modified_at = self.now()
        self.message("InventoryEntryQuantitySet", "inventory-entry", entry.id, entry.version)

    # --- orders and messages --------------------------------------------------------------

    def touch_order(self, order: OrderRec) -> None:
        order.version += 1
        order.last_modified_at = self.now()

    def message(self, kind: str, type_id: str, resource_id: str, version: int) -> None:
        """The Messages API keeps a message only when the project has it enabled."""
        if not self.config.messages_enabled:
            return
        moment = iso(self.now())
        self.messages.append(
            {
                "id": self.new_id(),
                "version": 1,
                "sequenceNumber": len(self.messages) + 1,
                "resource": {"typeId": type_id, "id": resource_id},
                "resourceVersion": version,
                "type": kind,
                "createdAt": moment,
                "lastModifiedAt": moment,
            }
        )


PROJECT = web.AppKey("commercetools_project", Project)


def project_of(request: web.Request) -> Project:
    return request.app[PROJECT]
