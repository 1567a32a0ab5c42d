"""What a store kind gives the daemon: one `StoreKind` entry in `daemon.connectors.registry`.

The entry owns the kind's settings model (a member of the ``kind``-discriminated
``[shops.store]`` table), opens the store's catalog side, order side and optional webhook
receiver on the runtime's exit stack, states its capabilities, and names the store in TikTok's
external order references. Nothing outside the kind's own folders names a store.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar, Generic, TypeVar

from daemon.config_types import Duration, Section
from daemon.connectors.base import SourceStore, StoreOrders, WebhookReceiver
from daemon.connectors.feeds import FeedState
from daemon.metrics import Metrics


class StoreSettings(Section):
    """The ``[shops.store]`` table. Each kind pins `kind` to its name and adds its own keys."""

    #: Keys an older release read that this kind now ignores, with what to do instead: still
    #: accepted, so that an older config starts, and named in a warning at start and by
    #: ``ttsync check-config``.
    RETIRED: ClassVar[Mapping[str, str]] = {}

    kind: str
    # One call to the store may take this long; an order create left unanswered is given
    # a few of these to finish before it is looked for again.
    request_timeout: Duration = timedelta(seconds=30)

    def retired_keys(self) -> list[tuple[str, str]]:
        """The retired keys this table sets, each with what to do instead."""
        return [(key, hint) for key, hint in self.RETIRED.items() if key in self.model_fields_set]


@dataclass(frozen=True)
class Capabilities:
    """What the store can tell or do, which decides how the jobs work with it."""

    webhooks: bool  # it notifies changes (they only make the daemon look sooner)
    deletion_feed: bool  # deleted products can be listed since a time; else a full pass finds them
    several_locations: bool  # stock is kept per location (mapped to TikTok warehouses)
    reserved_stock: bool  # it tells stock held by open orders apart from stock on hand
    lookup_by_reference: bool  # an order is found by its reference with a filter, not a scan


@dataclass(frozen=True)
class StoreContext:
    """What the runtime hands a store kind when it opens one shop's store."""

    shop_name: str
    metrics: Metrics
    # Where a store whose data arrives as files keeps what they said (others ignore it).
    feeds: FeedState


@dataclass(frozen=True)
class StoreConnection:
    """One shop's store, open: its catalog side, its order side, its webhook receiver."""

    catalog: SourceStore
    orders: StoreOrders
    webhooks: WebhookReceiver | None = None
    # What the store warned of, for /readyz (e.g. it answered with another API version).
    notices: Callable[[], list[str]] | None = None


@dataclass(frozen=True)
class Simulation:
    """How ``ttsync simulate`` stands in for the store: where, and the kind's own options as
    plain values for its simulator (credentials it must accept, the store's domain...)."""

    base_url: str | None
    options: Mapping[str, Any]


S = TypeVar("S", bound=StoreSettings)


@dataclass(frozen=True)
class StoreKind(Generic[S]):
    name: str  # the ``kind`` value in the config file
    title: str  # how people call it, in messages
    settings: type[S]
    open: Callable[[S, StoreContext, AsyncExitStack], Awaitable[StoreConnection]]
    capabilities: Capabilities
    # How TikTok's external order references name the store platform.
    order_platform: str
    simulation: Callable[[S], Simulation]
    # The importable simulator package that ``ttsync simulate`` and ``ttsync demo`` start.
    simulator: str
