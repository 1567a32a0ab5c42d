"""Per-kind fixtures for the store-neutral contract suites (`tests/contract/test_source_store.py`
and `tests/contract/test_store_orders.py`).

Each registered store kind has a module here, named as the kind, exporting two async context
managers: ``source_harness()`` yields a `SourceHarness` and ``orders_harness()`` an
`OrdersHarness`, each a connector built against that kind's simulator on loopback plus the few
store-side actions the contract needs; and ``probe(...)``, the `PlatformProbe` the simulators'
store-control suite reads the platform's own API with; ``store_section(name, port)``, the
``[shops.store]`` table of a simulated shop (with ``SECRETS`` and ``FAST_SETTINGS``) and
``unthrottle(store)`` for the end-to-end tests. The suites run for every kind the
registry knows; a kind without a module here fails them.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal, Protocol

import aiohttp

from daemon.connectors.base import SourceStore, StoreOrders
from simulators.kit import RunningStore
from tests.support.sim_control import NeutralControl

Failure = Literal["500", "503", "429", "timeout"]


@dataclass(frozen=True)
class VariantFixture:
    sku: str
    price: Decimal = Decimal("9.99")
    tracked: bool = True
    continue_selling: bool = False
    stock: tuple[tuple[str | None, int], ...] = ()  # (location id, None = default; available)


@dataclass(frozen=True)
class ProductFixture:
    title: str
    variants: tuple[VariantFixture, ...] = field(default=(VariantFixture("SKU"),))
    sellable: bool = True  # False: a draft, or whatever the kind calls not for sale


class SimControl(Protocol):
    """A kind's test control client: its simulator's ``/_sim/`` routes and clock."""

    async def sim(self, method: str, path: str, body: Any = None, **query: str) -> Any: ...
    async def advance(self, seconds: float) -> datetime: ...


class NeutralOrderActions:
    """The merchant's side of an `OrdersHarness` through the neutral store controls
    (``/_sim/store/``), the same for every kind whose harness has a `control`."""

    control: SimControl

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def ship_in_store(self, order_id: str, carrier: str, tracking_number: str) -> None:
        body = {"carrier": carrier, "tracking_number": tracking_number}
        await self.control.sim("POST", f"store/orders/{order_id}/ship", body)

    async def cancel_in_store(self, order_id: str) -> None:
        await self.control.sim("POST", f"store/orders/{order_id}/cancel", {})


class SlowCreates:
    """An `OrdersHarness`'s lost create answer through the kit's faults: the simulator carries
    out the create (`create_endpoint`) only after the client (timing out after
    `client_timeout`) has given up waiting."""

    control: NeutralControl
    create_endpoint: str
    client_timeout: ClassVar[float] = 0.5

    async def lose_next_create_answer(self) -> None:
        seconds = 3 * self.client_timeout
        fault = {"endpoint": self.create_endpoint, "kind": "slow", "seconds": seconds}
        await self.control.sim("POST", "faults", {"queue": [fault]})

    async def settle(self) -> None:
        await asyncio.sleep(4 * self.client_timeout)

    async def creates(self) -> int:
        return len(await self.control.calls(endpoint=self.create_endpoint))


class OrdersAndStock(StoreOrders, SourceStore, Protocol):
    """A connector that is both a store's order side and its catalog side."""


@dataclass
class ConnectorOrders(SlowCreates, NeutralOrderActions):
    """An `OrdersHarness` over one connector that is both sides: stock is read back through it
    by stock key; `skus` maps each sellable store variant to its stock key."""

    orders: OrdersAndStock
    control: NeutralControl
    currency: str
    skus: dict[str, str]
    create_endpoint: str

    @property
    def variant_ids(self) -> tuple[str, ...]:
        return tuple(self.skus)

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.orders.stock_levels([self.skus[variant_id]])
        return sum(level.available for level in levels)


def neutral_spec(
    fixture: ProductFixture, default_location: str, option: str = "Variant"
) -> dict[str, Any]:
    """`fixture` as the neutral store API's product (``POST /_sim/store/products``)."""
    several = len(fixture.variants) > 1
    return {
        "title": fixture.title,
        "published": fixture.sellable,
        "variants": [
            {
                "sku": v.sku,
                "price": str(v.price),
                "options": {option: v.sku} if several else {},
                "tracked": v.tracked,
                "backorders": v.continue_selling,
                "stock": [
                    {"location": location or default_location, "available": available}
                    for location, available in v.stock
                ],
            }
            for v in fixture.variants
        ],
    }


class NeutralSourceActions:
    """The merchant's side of a `SourceHarness` through the neutral store controls and the
    kit's faults, for kinds whose simulator has them. `changed` runs after each change (a
    feed-based kind alerts its consumer there)."""

    control: NeutralControl
    option_name: ClassVar[str] = "Variant"
    client_timeout: ClassVar[float] = 0.5
    fault_endpoint: ClassVar[str | None] = None  # None: the next calls, whatever they are

    async def changed(self) -> None:
        """Nothing to do: the store answers from its own state."""

    async def _first_location(self) -> str:
        return (await self.control.locations())[0]

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        first = await self._first_location()
        specs = [neutral_spec(p, first, self.option_name) for p in products]
        created = await self.control.products(specs)
        await self.changed()
        return [Created(p["id"], tuple(v["stock_key"] for v in p["variants"])) for p in created]

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"store/products/{product_id}")
        await self.changed()

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def set_stock(self, stock_key: str, available: int) -> None:
        level = {"sku": stock_key, "location": await self._first_location(), "available": available}
        await self.control.sim("POST", "store/stock", {"levels": [level]})
        await self.changed()

    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None:
        queued: dict[str, object] = (
            {"kind": "timeout", "seconds": 3 * self.client_timeout, "times": times}
            if kind == "timeout"
            else {"kind": "error", "status": int(kind), "times": times}
        )
        if retry_after is not None:
            queued["retry_after"] = retry_after
        if self.fault_endpoint is not None:
            queued["endpoint"] = self.fault_endpoint
        await self.control.sim("POST", "faults", {"queue": [queued]})

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


@dataclass(frozen=True)
class Created:
    id: str
    stock_keys: tuple[str, ...]


class SourceHarness(Protocol):
    store: SourceStore
    currency: str
    secret: str  # a credential that must never show in an error
    deletion_feed: bool  # the kind's capability

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]: ...
    async def edit_product(self, product_id: str) -> None: ...
    async def delete_product(self, product_id: str) -> None: ...
    async def advance_clock(self, seconds: float) -> datetime: ...
    async def add_location(self, name: str, *, active: bool) -> str: ...
    async def set_stock(self, stock_key: str, available: int) -> None: ...
    async def break_product(self, product_id: str) -> None: ...
    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None: ...
    async def revoke_credentials(self) -> None: ...
    async def set_rate_limit(self, *, burst: int, per_second: float) -> None: ...
    async def throttled_responses(self) -> int: ...


class OrdersHarness(Protocol):
    orders: StoreOrders
    currency: str
    variant_ids: tuple[str, ...]  # store variants in stock (10 units each) for draft lines

    async def stock_of(self, variant_id: str) -> int: ...
    async def advance_clock(self, seconds: float) -> datetime: ...
    async def ship_in_store(self, order_id: str, carrier: str, tracking_number: str) -> None: ...
    async def cancel_in_store(self, order_id: str) -> None: ...
    async def lose_next_create_answer(self) -> None:
        """The next order create is carried out but its answer never reaches the connector."""
        ...

    async def settle(self) -> None:
        """Wait until an unanswered create has finished in the store."""
        ...

    async def creates(self) -> int:
        """How many create calls the store has received."""
        ...


class PlatformProbe(Protocol):
    """A store simulator seen through the platform's own API, for the store-control suite
    (`tests/simulators/test_store_control.py`); for orders it writes as the connector would."""

    async def stock(self, stock_key: str, location: str) -> int | None: ...

    async def price(self, variant_id: str) -> Decimal: ...

    async def published(self, product_id: str) -> bool: ...

    async def exists(self, product_id: str) -> bool: ...

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str: ...

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]: ...

    async def cancelled(self, order_id: str) -> bool: ...


class _Kind(Protocol):
    SECRETS: tuple[str, ...]  # the credentials its simulated shop is configured with
    FAST_SETTINGS: str  # [shops.store] lines for tests that hammer the store

    def store_section(self, name: str, port: int) -> str: ...
    async def unthrottle(self, store: RunningStore) -> None: ...
    def source_harness(self) -> AbstractAsyncContextManager[SourceHarness]: ...
    def orders_harness(self) -> AbstractAsyncContextManager[OrdersHarness]: ...
    def probe(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> PlatformProbe: ...


def fixtures_of(kind: str) -> _Kind:
    """The fixture module of store `kind` (a kind without one fails the suites loudly)."""
    module: _Kind = importlib.import_module(f"tests.support.stores.{kind}")
    return module
