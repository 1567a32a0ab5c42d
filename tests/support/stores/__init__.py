"""Per-kind fixtures for the store-neutral contract suites (`tests/contract/test_source_store.py`
and `tests/contract/test_store_orders.py`).

Each registered store kind has a module here, named as the kind, exporting two async context
managers: ``source_harness()`` yields a `SourceHarness` and ``orders_harness()`` an
`OrdersHarness`, each a connector built against that kind's simulator on loopback plus the few
store-side actions the contract needs. The suites run for every kind the registry knows; a kind
without a module here fails them.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

from daemon.connectors.base import SourceStore, StoreOrders

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


class _Kind(Protocol):
    def source_harness(self) -> AbstractAsyncContextManager[SourceHarness]: ...
    def orders_harness(self) -> AbstractAsyncContextManager[OrdersHarness]: ...


def fixtures_of(kind: str) -> _Kind:
    """The fixture module of store `kind` (a kind without one fails the suites loudly)."""
    module: _Kind = importlib.import_module(f"tests.support.stores.{kind}")
    return module
