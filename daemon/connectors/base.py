"""The roles a connector plays. Jobs see these Protocols and domain types, never wire models."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from daemon.connectors.images import ImageFile
from daemon.domain.listing import HostedImage, ItemRefusal, Listing, ListingDraft
from daemon.domain.models import (
    BadRecord,
    Location,
    MarketplaceShop,
    Money,
    Product,
    ShopBinding,
    StockLevel,
    StoreInfo,
    TokenRecord,
    Warehouse,
)
from daemon.errors import SkippableError


class SourceStore(Protocol):
    """A store that is the source of truth for catalog, prices and stock.

    Contract (checked for every implementation by ``tests/contract/test_source_store.py``):

    - `products` yields every product updated at or after `updated_since` (all when None), each
      exactly once per call, paging as the platform requires; a product whose payload cannot be
      read is yielded as a `BadRecord` and the iteration carries on.
    - A product may carry its stock (`Product.levels`, when the kind's product read includes
      it): then exactly the levels `stock_levels` gives for its variants' stock keys; None
      when the read does not include stock.
    - `deleted_product_ids` lists products deleted at or after `since` (a store whose kind has
      no deletion feed returns none: full passes find its deletions).
    - A product the store does not sell (draft, archived, unpublished) is still yielded, with
      its `state` and `published` saying so: the domain decides what is published.
    - `stock_levels` returns one level per (stock key, location) where the SKU is stocked, for
      the stock keys asked for (any number; the connector batches). The stock key is the
      store's own handle on a SKU's stock (`Variant.stock_key`).
    - `stock_changes` returns the levels updated at or after `since` at every location, each
      once; with None, every level of the store (a level it leaves out is one the store no
      longer keeps: the inventory job forgets it).
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

    async def stock_levels(self, stock_keys: Sequence[str]) -> list[StockLevel]: ...

    async def stock_changes(self, since: datetime | None) -> list[StockLevel]:
        """Levels (at every location) updated at or after `since`; all levels when None."""
        ...


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

    async def upload_image(
        self, content: bytes, content_type: str, *, for_description: bool = False
    ) -> HostedImage:
        """Host one JPEG or PNG image on the marketplace."""
        ...

    async def check(self, draft: ListingDraft) -> list[str]:
        """What the marketplace would object to in `draft` (a dry run; nothing is created)."""
        ...

    async def publish(self, draft: ListingDraft) -> Listing:
        """Create the listing. Repeating the same draft never creates a second one."""
        ...

    async def republish(self, product_id: str, draft: ListingDraft) -> Listing:
        """Replace a listing's content with `draft` (content updates)."""
        ...

    async def listing(self, product_id: str) -> Listing:
        """One listing with its review outcome."""
        ...

    def changed_listings(self, since: datetime | None) -> AsyncIterator[Listing]:
        """Listings updated at or after `since` (all of them when None)."""
        ...

    async def listings_with_seller_skus(self, seller_skus: Sequence[str]) -> list[Listing]:
        """Listings carrying any of these seller SKUs (to link instead of creating twice)."""
        ...

    async def set_stock(
        self, product_id: str, stock: Mapping[str, Mapping[str, int]]
    ) -> list[ItemRefusal]:
        """Quantities per SKU id and warehouse id, for SKUs of one listing, in one call."""
        ...

    async def set_prices(self, product_id: str, prices: Mapping[str, Money]) -> list[ItemRefusal]:
        """Prices per SKU id, for SKUs of one listing, in one call."""
        ...

    async def deactivate(self, product_ids: Sequence[str]) -> list[ItemRefusal]: ...

    async def reactivate(self, product_ids: Sequence[str]) -> list[ItemRefusal]:
        """Put listings deactivated by `deactivate` back on sale."""
        ...


class TokenStore(Protocol):
    """What a connector's authorisation must survive a restart with, kept for one configured
    shop. The runtime provides it (backed by the ledger); connectors own no state."""

    async def load_tokens(self) -> TokenRecord | None: ...

    async def save_tokens(
        self, tokens: TokenRecord, now: datetime, *, code_hash: str | None = None
    ) -> None:
        """Keep `tokens` (with `code_hash`: and that the auth code they came from is used, in
        the same commit); `LedgerError` when the shop is not registered."""
        ...

    async def code_used(self, code_hash: str) -> bool:
        """True when the auth code with this hash was exchanged or refused before."""
        ...

    async def code_refused(self, code_hash: str, now: datetime) -> None:
        """Remember that the auth host refused this code: it is never sent again."""
        ...

    async def load_binding(self) -> ShopBinding | None: ...

    async def save_binding(self, binding: ShopBinding, now: datetime) -> None: ...


#: A hint for a marketplace listing (not a store product) carries this prefix.
LISTING_HINT = "listing:"


@dataclass(frozen=True)
class WebhookHint:
    """What a webhook delivery asks for: that `job` looks at `entity_ids` now."""

    delivery_id: str  # the platform's id for the delivery, for de-duplication
    topic: str
    job: str
    entity_ids: tuple[str, ...]


class UnknownTopicError(SkippableError):
    """A delivery whose topic the platform does not define (or no subscription asks for)."""


class WebhookReceiver(Protocol):
    """Turns one platform's signed deliveries into hints. Pure: no I/O."""

    platform: str
    content_types: frozenset[str]  # the media types the platform's deliveries carry

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """True when the delivery carries a valid signature for this shop."""
        ...

    def hints(self, headers: Mapping[str, str], body: bytes) -> list[WebhookHint]:
        """What to look at; raise `SkippableError` for a payload that cannot be read,
        `UnknownTopicError` for a topic the platform does not send."""
        ...


class ImageSource(Protocol):
    """Where store images are downloaded from (and made acceptable to the marketplace)."""

    async def fetch(self, url: str) -> ImageFile:
        """The image, as JPEG or PNG; `SkippableError` when it cannot be had or read."""
        ...


# --- the order side (issue 5) ------------------------------------------------------------------
# Appended below the catalog roles so that the two halves of this file can change separately.
from daemon.domain.orders import (  # noqa: E402 kept beside the order roles that use it
    CancelReason,
    MarketplaceCancellation,
    MarketplaceOrder,
    MarketplaceReturn,
    OrderDraft,
    OrderState,
    Shipment,
    ShippingProvider,
    StoreFulfillment,
    StoreOrder,
    StoreOrderLink,
)


class OrderChannel(Protocol):
    """Where orders come from and shipments and cancellations go (TikTok Shop's order side).

    - `updated_orders` pages through orders changed at or after `since` (Unix seconds on the
      channel's clock; every order when None), oldest change first; an order that cannot be
      read is a `BadRecord` in its page and the others carry on.
    - `orders` reads the given orders (any number); an id that is unknown or unreadable is a
      `BadRecord`, never an error for the rest.
    - `link_store_orders` writes each store order id back as the order's external reference and
      returns the refusals by order id.
    - `returns` pages through return and refund requests changed at or after `since` (or of
      the given orders), oldest change first; one that cannot be read is a `BadRecord`.
    - `ship` and `cancel` are not repeated by the connector after an ambiguous failure.
    """

    platform: str

    def updated_orders(
        self, since: int | None
    ) -> AsyncIterator[Sequence[MarketplaceOrder | BadRecord]]: ...

    async def orders(self, order_ids: Sequence[str]) -> list[MarketplaceOrder | BadRecord]: ...

    async def link_store_orders(self, links: Sequence[StoreOrderLink]) -> dict[str, str]: ...

    def cancellations(
        self, *, since: int | None = None, order_ids: Sequence[str] = ()
    ) -> AsyncIterator[Sequence[MarketplaceCancellation]]: ...

    def returns(
        self, *, since: int | None = None, order_ids: Sequence[str] = ()
    ) -> AsyncIterator[Sequence[MarketplaceReturn | BadRecord]]: ...

    async def cancel(self, order_id: str, reason: str) -> str:
        """Cancel the whole order as the seller; the cancellation's id."""
        ...

    async def shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]: ...

    async def ship(self, order_id: str, shipment: Shipment) -> str:
        """Mark the shipment's units as shipped; the package id."""
        ...

    async def update_tracking(self, order_id: str, shipment: Shipment) -> None: ...


class StoreOrders(Protocol):
    """The store's order side, in intents. Checked for every store kind by
    ``tests/contract/test_store_orders.py``.

    - `create_order` creates the order and keeps `draft.reference` (the marketplace order id)
      on it the store's own way; it is not repeated by the connector after an ambiguous
      failure (the caller looks the order up first).
    - `find_order` is the order carrying `reference` created at or after `created_since`
      (the earliest, should there be several); it is how a lost answer is recovered.
    - `show_status` makes the order show the marketplace status `state` (replacing the one
      shown); showing the same status again changes nothing.
    - `cancel_order` cancels (and restocks, when asked); an order already cancelled is
      returned as it is.
    - `cancelled_orders_since` and `fulfillments_since` list what changed at or after `since`;
      a record that cannot be read is a `BadRecord` and the rest carry on.
    - Ids are opaque strings; an id the store cannot hold is simply not found.
    """

    async def create_order(self, draft: OrderDraft) -> StoreOrder: ...

    async def find_order(self, reference: str, *, created_since: datetime) -> StoreOrder | None: ...

    async def order(self, order_id: str) -> StoreOrder | None: ...

    async def show_status(self, order_id: str, state: OrderState) -> StoreOrder: ...

    async def cancel_order(
        self, order_id: str, *, reason: CancelReason, restock: bool = True
    ) -> StoreOrder: ...

    async def cancelled_orders_since(self, since: datetime) -> list[StoreOrder | BadRecord]: ...

    async def fulfillments_since(self, since: datetime) -> list[StoreFulfillment | BadRecord]: ...

    async def order_fulfillments(self, order_id: str) -> list[StoreFulfillment]: ...
