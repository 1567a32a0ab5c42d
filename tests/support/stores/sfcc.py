"""SFCC feeds' fixtures for the store-neutral contract suites (see `tests.support.stores`).

The store is the feed state the connector keeps in a real ledger from the files on a real
WebDAV server; the merchant's actions are the simulator's export jobs writing feed files.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import aiohttp
from lxml import etree

from daemon.connectors.base import SourceStore
from daemon.connectors.sfcc import SFCC, SfccOrders, SfccStore
from simulators.kit import RunningStore
from simulators.sfcc import DAV_ROOT
from tests.support.sfcc import SfccControl, connected, running
from tests.support.stores import (
    NeutralOrderActions,
    NeutralSourceActions,
    OrdersHarness,
    PlatformProbe,
    SlowCreates,
    SourceHarness,
)

_CLIENT_TIMEOUT = 0.5

#: Secrets a simulated store of this kind is configured with (logs and pages must not show them).
SECRETS = ("sfcc_webdav_key_0123456789abcdef", "sfcc_alert_secret_abc")
#: WebDAV has no request-rate limit to lift.
FAST_SETTINGS = 'settle = "50ms"\n'


def store_section(name: str, port: int) -> str:
    """The ``[shops.store]`` table of a shop whose store is this kind's simulator on `port`."""
    del name
    return f"""
[shops.store]
kind = "sfcc"
base_url = "http://127.0.0.1:{port}"
username = "ttsync@example.com"
access_key = "{SECRETS[0]}"
alert_secret = "{SECRETS[1]}"
list_pricebook = "gbp-list-prices"
image_base_url = "http://127.0.0.1:{port}"
"""


async def unthrottle(store: RunningStore) -> None:
    """WebDAV has no request-rate limit: nothing to lift."""
    del store


@dataclass
class SfccSource(NeutralSourceActions):
    """Each merchant action drops its feed files and then alerts the daemon (seed 000: the
    file is dropped, the consumer is alerted and picks it up), so the store changes then."""

    store: SourceStore
    control: SfccControl
    currency: str
    secret: str
    alert: Callable[[], Awaitable[None]]
    deletion_feed: bool = SFCC.capabilities.deletion_feed
    option_name: ClassVar[str] = "variant"

    async def changed(self) -> None:
        await self.alert()

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("POST", f"sfcc/products/{product_id}/rename", {"name": "Edited"})
        await self.alert()

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim("POST", "sfcc/lists", {"name": name, "active": active})
        await self.alert()
        return str(answer["id"])

    async def break_product(self, product_id: str) -> None:
        await self.control.sim("POST", f"sfcc/products/{product_id}/break", {})
        await self.alert()

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "sfcc/revoke", {"access_keys": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        """The WebDAV server has no request-rate limit to set."""
        del burst, per_second


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with (
        running() as (simulator, control, scratch),
        connected(simulator, scratch, timeout=_CLIENT_TIMEOUT) as sides,
    ):
        store = sides.store
        yield SfccSource(store, control, "GBP", simulator.config.access_key, store.refresh)


@dataclass
class SfccOrdersHarness(SlowCreates, NeutralOrderActions):
    orders: SfccOrders
    store: SfccStore
    control: SfccControl
    currency: str
    variant_ids: tuple[str, ...]
    create_endpoint: str = "orders.create"

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.store.stock_levels([variant_id])
        return sum(level.available for level in levels)


@asynccontextmanager
async def orders_harness() -> AsyncIterator[OrdersHarness]:
    async with running() as (simulator, control, scratch):
        lamp = await control.lamp("colour")
        variants = tuple(v["id"] for v in lamp["variants"])
        async with connected(simulator, scratch, timeout=_CLIENT_TIMEOUT) as sides:
            yield SfccOrdersHarness(sides.orders, sides.store, control, "GBP", variants)


# --- the probe: the platform seen through its WebDAV files -------------------------------------

_NS = {
    "c": "http://www.demandware.com/xml/impex/catalog/2006-10-31",
    "p": "http://www.demandware.com/xml/impex/pricebook/2006-10-31",
    "i": "http://www.demandware.com/xml/impex/inventory/2007-05-31",
    "s": "urn:demandware.com:oms:shipping_order_status_feed:99.9",
}


class SfccProbe:
    """Reads the feed files on the WebDAV server (PROPFIND, GET) with the seed's access key,
    the latest file that speaks of a thing saying how it is; writes orders as the connector
    does (a PUT of order XML for the storefront's import job)."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._root = f"{store.base_url}{DAV_ROOT}/"
        self._auth = aiohttp.encode_basic_auth(options["username"], options["access_key"])
        self._session = session

    async def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, bytes]:
        headers = {"Authorization": self._auth, **kwargs.pop("headers", {})}
        async with self._session.request(
            method, self._root + path, headers=headers, **kwargs
        ) as response:
            return response.status, await response.read()

    async def _files(self, folder: str) -> list[etree._Element]:
        status, body = await self._request("PROPFIND", folder + "/", headers={"Depth": "1"})
        assert status == 207, body
        hrefs = sorted(
            href.text
            for href in etree.fromstring(body).iter("{DAV:}href")
            if href.text and href.text.endswith(".xml")
        )
        documents = []
        for href in hrefs:
            status, content = await self._request("GET", href.removeprefix(DAV_ROOT + "/"))
            assert status == 200
            documents.append(etree.fromstring(content))
        return documents

    async def _last(self, folder: str, xpath: str, **values: str) -> etree._Element | None:
        found = None
        for document in await self._files(folder):
            for node in document.xpath(xpath, namespaces=_NS, **values):
                found = node
        return found

    async def stock(self, stock_key: str, location: str) -> int | None:
        record = await self._last(
            "Impex/src/tiktok/inventory",
            "//i:inventory-list[i:header/@list-id=$l]//i:record[@product-id=$p]",
            l=location,
            p=stock_key,
        )
        return None if record is None else int(record.findtext("i:allocation", namespaces=_NS))

    async def price(self, variant_id: str) -> Decimal:
        table = await self._last(
            "Impex/src/tiktok/pricebooks", "//p:price-table[@product-id=$p]", p=variant_id
        )
        assert table is not None
        return Decimal(table.findtext("p:amount", namespaces=_NS))

    async def _mentions(self, product_id: str) -> list[etree._Element]:
        mentions = []
        for document in await self._files("Impex/src/tiktok/catalog"):
            mentions.extend(
                document.xpath("//c:product[@product-id=$p]", namespaces=_NS, p=product_id)
            )
        return mentions

    async def published(self, product_id: str) -> bool:
        flags = [
            m.findtext("c:online-flag", namespaces=_NS) for m in await self._mentions(product_id)
        ]
        given = [flag for flag in flags if flag is not None]
        return bool(given) and given[-1] == "true"

    async def exists(self, product_id: str) -> bool:
        mentions = await self._mentions(product_id)
        return bool(mentions) and mentions[-1].get("mode") != "delete"

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        number = f"TT{reference}"
        order = f"""<?xml version="1.0" encoding="UTF-8"?>
<orders xmlns="http://www.demandware.com/xml/impex/order/2006-10-31">
  <order order-no="{number}">
    <currency>GBP</currency>
    <product-lineitems>
      <product-lineitem>
        <product-id>{variant_id}</product-id>
        <quantity unit="">{quantity}</quantity>
        <tax-rate>0.0</tax-rate>
        <shipment-id>1</shipment-id>
      </product-lineitem>
    </product-lineitems>
    <external-order-no>{reference}</external-order-no>
  </order>
</orders>"""
        status, body = await self._request(
            "PUT", f"Impex/src/tiktok/orders/order_{number}.xml", data=order.encode()
        )
        assert status == 201, body
        return number

    async def _updates(self, order_id: str) -> list[etree._Element]:
        found = []
        for document in await self._files("Impex/src/tiktok/order-status"):
            found.extend(
                document.xpath(
                    "//s:shipping_order[s:shipping_order_number=$o]", namespaces=_NS, o=order_id
                )
            )
        return found

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        return [
            (
                info.findtext("s:carrier", namespaces=_NS),
                info.findtext("s:tracking_number", namespaces=_NS),
            )
            for update in await self._updates(order_id)
            if update.findtext("s:status", namespaces=_NS) == "shipped"
            for info in update.iterfind("s:tracking_infos/s:tracking_info", namespaces=_NS)
        ]

    async def cancelled(self, order_id: str) -> bool:
        return any(
            u.findtext("s:status", namespaces=_NS) == "cancelled"
            for u in await self._updates(order_id)
        )


def probe(
    store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
) -> PlatformProbe:
    return SfccProbe(store, session, options)
