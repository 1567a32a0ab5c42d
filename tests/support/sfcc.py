"""Starting the SFCC feeds simulator for tests, and the connector against it with a real
ledger keeping its feed state; driving the simulator (the neutral store API, the kit's
``/_sim/`` routes and its own ``/_sim/sfcc/`` ones)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import aiohttp

from daemon.connectors.sfcc import SfccOrders, SfccSettings, SfccStore, WebDav
from daemon.connectors.transport import RetrySettings
from daemon.domain.models import BadRecord, Product
from daemon.ledger import Ledger, shops
from daemon.metrics import Metrics
from daemon.runtime.feed_state import LedgerFeedState
from simulators.sfcc import SfccSimulator, SfccSimulatorConfig
from tests.support.sim_control import NeutralControl

ACCESS_KEY = "sfcc_test_access_key_0123456789"
CONFIG = SfccSimulatorConfig(access_key=ACCESS_KEY, locations=("Leeds Warehouse",))
SHOP = "sfcc-shop"
#: Retries as the daemon makes them, with short waits (failures are injected, not slow).
QUICK_RETRY = RetrySettings(wait_initial=0.01, wait_max=0.05, wait_jitter=0.0)


class SfccControl(NeutralControl):
    async def advance(self, seconds: float) -> datetime:
        """Move the clock; the new time as the server shows it (whole seconds)."""
        answer = await self.sim("POST", "clock/advance", {"seconds": seconds})
        return datetime.fromisoformat(answer["now"]).astimezone(UTC).replace(microsecond=0)

    async def drop(self, folder: str, name: str, content: str, *, marker: bool = True) -> None:
        body = {"folder": folder, "name": name, "content": content, "marker": marker}
        await self.sim("POST", "sfcc/files", body)


def settings_for(simulator: SfccSimulator, **changes: Any) -> SfccSettings:
    assert simulator.base_url is not None
    config = simulator.config
    fields: dict[str, Any] = {
        "base_url": simulator.base_url,
        "username": config.username,
        "access_key": config.access_key,
        "site_id": config.site_id,
        "currency": config.currency,
        "list_pricebook": config.list_pricebook,
        "settle": timedelta(milliseconds=50),
        **changes,
    }
    return SfccSettings(**fields)


@dataclass
class Connected:
    store: SfccStore
    orders: SfccOrders
    ledger: Ledger
    state: LedgerFeedState


@asynccontextmanager
async def connected(
    simulator: SfccSimulator, folder: Path, *, timeout: float = 5.0, **changes: Any
) -> AsyncIterator[Connected]:
    """The store and order sides against `simulator`, their state in a ledger in `folder`."""
    settings = settings_for(simulator, request_timeout=timedelta(seconds=timeout), **changes)
    ledger = await Ledger.open(folder / "ledger.sqlite3")
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, SHOP, "sfcc", datetime.now(UTC))
    state = LedgerFeedState(ledger, SHOP)
    dav = WebDav(
        settings.davroot,
        settings.username,
        settings.access_key.get_secret_value(),
        Metrics(),
        timeout=settings.request_timeout,
        retry=QUICK_RETRY,
    )
    await dav.start()
    store = SfccStore(settings, dav, state)
    orders = SfccOrders(
        dav,
        state,
        folder=settings.orders_folder,
        prefix=settings.order_prefix,
        refresh=store.refresh,
    )
    try:
        yield Connected(store, orders, ledger, state)
    finally:
        await dav.close()
        await ledger.close()


@asynccontextmanager
async def running(
    config: SfccSimulatorConfig = CONFIG, **changes: Any
) -> AsyncIterator[tuple[SfccSimulator, SfccControl, Path]]:
    """The simulator, its control, and a scratch folder for the daemon's side."""
    simulator = SfccSimulator(replace(config, **changes))
    base_url = await simulator.start("127.0.0.1", 0)
    session = aiohttp.ClientSession()
    try:
        with TemporaryDirectory(prefix="sfcc-daemon-") as scratch:
            yield simulator, SfccControl(base_url, session), Path(scratch)
    finally:
        await session.close()
        await simulator.stop()


@dataclass
class Feeds:
    sides: Connected
    control: SfccControl

    async def drop(self, folder: str, name: str, content: str, *, marker: bool = True) -> None:
        await self.control.drop(folder, name, content, marker=marker)

    async def products(self) -> dict[str, Product | BadRecord]:
        await self.sides.store.refresh()
        return {item.id: item async for item in self.sides.store.products()}


# Feed files as the storefront's export jobs write them.
CATALOG = "Impex/src/tiktok/catalog"
PRICES = "Impex/src/tiktok/pricebooks"
STOCK = "Impex/src/tiktok/inventory"
CAT_NS = "http://www.demandware.com/xml/impex/catalog/2006-10-31"


def catalog(*products: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="{CAT_NS}" catalog-id="c">\n'
        + "\n".join(products)
        + "\n</catalog>\n"
    )


def prices(book: str, currency: str, **amounts: str) -> str:
    tables = "".join(
        f'<price-table product-id="{pid}"><amount quantity="1">{amount}</amount></price-table>'
        for pid, amount in amounts.items()
    )
    return (
        '<?xml version="1.0"?><pricebooks xmlns="http://www.demandware.com/xml/impex/pricebook/'
        f'2006-10-31"><pricebook><header pricebook-id="{book}"><currency>{currency}</currency>'
        f"</header><price-tables>{tables}</price-tables></pricebook></pricebooks>"
    )


def inventory(list_id: str, records: str) -> str:
    return (
        '<?xml version="1.0"?><inventory xmlns="http://www.demandware.com/xml/impex/inventory/'
        f'2007-05-31"><inventory-list><header list-id="{list_id}"><default-instock>false'
        f"</default-instock></header><records>{records}</records></inventory-list></inventory>"
    )
