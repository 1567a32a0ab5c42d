"""The order side of one shop: the "orders", "fulfillment" and "cancellations" jobs, built from
the shop's settings, its connectors, and the carrier map file (read here, once, at start-up)."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from daemon.connectors.base import OrderChannel
from daemon.connectors.store_kind import StoreConnection
from daemon.domain.carriers import CarrierBook, carrier_entries
from daemon.domain.order_import import ImportRules
from daemon.domain.orders import StockOnCreate
from daemon.errors import ConfigError
from daemon.jobs import JobFn
from daemon.jobs.cancellations import MirrorCancellations
from daemon.jobs.failures import FailureQueue
from daemon.jobs.fulfillment import SendFulfillments
from daemon.jobs.order_import import OrderImporter
from daemon.jobs.order_labels import StatusMirror
from daemon.jobs.orders import ImportOrders
from daemon.jobs.returns import RecordReturns
from daemon.jobs.shipment import ShipmentSender
from daemon.jobs.store_cancellations import StoreCancellations
from daemon.ledger import Ledger
from daemon.settings import ShopSection

JobEntry = tuple[str, JobFn, timedelta | None, bool]
# An unanswered store create (or TikTok ship call) is given this many request timeouts to
# finish before the order is looked for (and created, or shipped) again.
SETTLE_TIMEOUTS = 3


class OrderParts(Protocol):
    """What the order jobs need of a shop's parts (`daemon.runtime.shops.ShopParts`)."""

    @property
    def settings(self) -> ShopSection: ...

    @property
    def store(self) -> StoreConnection: ...

    @property
    def channel(self) -> OrderChannel: ...


def load_carriers(path: Path | None) -> CarrierBook:
    """The built-in UK carriers plus the entries of `path` (``orders.carriers_file``)."""
    if path is None:
        return CarrierBook.uk()
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(source, [f"cannot read the carrier map: {exc.strerror}"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(source, [f"invalid TOML: {exc}"]) from None
    try:
        return CarrierBook.uk(carrier_entries(data, source))
    except ValueError as exc:
        raise ConfigError(source, str(exc).split("; ")) from None


def order_jobs(
    parts: OrderParts, ledger: Ledger, failures: FailureQueue, *, dry_run: bool = False
) -> list[JobEntry]:
    """(job, what runs, how often, runs while halted) for the three order jobs; none in a dry
    run, which must change nothing (they create store orders and write to TikTok)."""
    if dry_run:
        return []
    shop = parts.settings
    orders = shop.orders
    channel = parts.channel
    store = parts.store.orders
    mirror = StatusMirror(ledger, store, failures)
    importer = OrderImporter(
        ledger,
        store,
        failures,
        ImportRules(orders.tag, StockOnCreate(orders.stock_on_create)),
        mirror,
        settle=SETTLE_TIMEOUTS * shop.store.request_timeout,
    )
    importing = ImportOrders(ledger, channel, importer, failures, orders.overlap, orders.backfill)
    sender = ShipmentSender(
        ledger, channel, failures, load_carriers(orders.carriers_file), orders.default_carrier
    )
    shipping = SendFulfillments(
        ledger,
        store,
        channel,
        sender,
        failures,
        orders.overlap,
        orders.backfill,
        settle=SETTLE_TIMEOUTS * shop.tiktok.request_timeout,
    )
    store_side = StoreCancellations(
        ledger,
        store,
        channel,
        failures,
        push=shop.rules.push_store_cancellations,
        market=shop.tiktok.market,
        default_reason=orders.cancel_reason,
        overlap=orders.overlap,
        backfill=orders.backfill,
    )
    returns = RecordReturns(ledger, channel, orders.overlap, orders.backfill)
    cancelling = MirrorCancellations(
        ledger, channel, store, failures, store_side, orders.overlap, orders.backfill, returns
    )
    schedules = shop.schedules
    return [
        ("orders", importing, schedules.orders, False),
        ("fulfillment", shipping, schedules.fulfillment, False),
        ("cancellations", cancelling, schedules.cancellations, False),
    ]
