"""The roles a connector plays. Jobs see these Protocols and domain types, never wire models."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from daemon.domain.models import (
    BadRecord,
    Location,
    MarketplaceShop,
    Product,
    StockLevel,
    StoreInfo,
    Warehouse,
)


class SourceStore(Protocol):
    """A store that is the source of truth for catalog, prices and stock.

    Contract (checked for every implementation by ``tests/contract/test_source_store.py``):

    - `products` yields every product updated at or after `updated_since` (all when None), each
      exactly once per call, paging as the platform requires; a product whose payload cannot be
      read is yielded as a `BadRecord` and the iteration carries on.
    - `deleted_product_ids` lists products deleted at or after `since`.
    - `stock_levels` returns one level per (inventory item, location) where the item is stocked,
      for the items asked for (any number; the connector batches).
    - Errors are the daemon's: `RetriableError`, `FatalError`/`AuthError`; never a library's.
    """

    platform: str

    async def store_info(self) -> StoreInfo: ...

    def products(
        self, *, updated_since: datetime | None = None
    ) -> AsyncIterator[Product | BadRecord]: ...

    async def product(self, product_id: str) -> Product | None: ...

    async def deleted_product_ids(self, since: datetime) -> list[str]: ...

    async def locations(self) -> list[Location]: ...

    async def stock_levels(self, inventory_item_ids: Sequence[str]) -> list[StockLevel]: ...


class Marketplace(Protocol):
    """The channel the catalog is published to and orders come from (TikTok Shop).

    Errors are the daemon's: `RetriableError`, `FatalError`/`AuthError`, and `SkippableError`
    for a refusal that concerns one record only.
    """

    platform: str

    async def connect(self) -> MarketplaceShop:
        """Obtain or refresh the authorisation and find the shop; raise `AuthError` if revoked."""
        ...

    async def warehouses(self) -> list[Warehouse]: ...


@dataclass(frozen=True)
class WebhookHint:
    """What a webhook delivery asks for: that `job` looks at `entity_ids` now."""

    delivery_id: str  # the platform's id for the delivery, for de-duplication
    topic: str
    job: str
    entity_ids: tuple[str, ...]


class WebhookReceiver(Protocol):
    """Turns one platform's signed deliveries into hints. Pure: no I/O."""

    platform: str

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """True when the delivery carries a valid signature for this shop."""
        ...

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        """What to look at; raise `SkippableError` for a payload that cannot be read."""
        ...
