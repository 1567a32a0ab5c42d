"""SFCC feeds' fixtures for the store-neutral contract suites (see `tests.support.stores`).

The store is the feed state the connector keeps in a real ledger from the files on a real
WebDAV server; the merchant's actions are the simulator's export jobs writing feed files.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import aiohttp
from lxml import etree

from daemon.connectors.base import SourceStore
from daemon.connectors.sfcc import SFCC, SfccOrders, SfccStore
from simulators.kit import RunningStore
from simulators.sfcc import DAV_ROOT
from tests.support.sfcc import SfccControl, connected, running
from tests.support.stores import (
    Created,
    Failure,
    NeutralOrderActions,
    OrdersHarness,
    PlatformProbe,
    ProductFixture,
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


def _spec(fixture: ProductFixture, first_list: str) -> dict[str, Any]:
    several = len(fixture.variants) > 1
    return {
        "title": fixture.title,
        "published": fixture.sellable,
        "variants": [
            {
                "sku": v.sku,
                "price": str(v.price),
                "options": {"variant": v.sku} if several else {},
                "tracked": v.tracked,
                "backorders": v.continue_selling,
                "stock": [
                    {"location": location or first_list, "available": available}
                    for location, available in v.stock
                ],
            }
            for v in fixture.variants
        ],
    }


@dataclass
class SfccSource:
    """Each merchant action drops its feed files and then alerts the daemon (seed 000: the
    file is dropped, the consumer is alerted and picks it up), so the store changes then."""

    store: SourceStore
    control: SfccControl
    currency: str
    secret: str
    alert: Callable[[], Awaitable[None]]
    deletion_feed: bool = SFCC.capabilities.deletion_feed

    async def _first_list(self) -> str:
        return (await self.control.locations())[0]

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        first = await self._first_list()
        created = await self.control.products([_spec(p, first) for p in products])
        await self.alert()
        return [Created(p["id"], tuple(v["stock_key"] for v in p["variants"])) for p in created]

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("POST", f"sfcc/products/{product_id}/rename", {"name": "Edited"})
        await self.alert()

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"store/products/{product_id}")
        await self.alert()

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim("POST", "sfcc/lists", {"name": name, "active": active})
        await self.alert()
        return str(answer["id"])

    async def set_stock(self, stock_key: str, available: int) -> None:
        level = {"sku": stock_key, "location": await self._first_list(), "available": available}
        await self.control.sim("POST", "store/stock", {"levels": [level]})
        await self.alert()

    async def break_product(self, product_id: str) -> None:
        await self.control.sim("POST", f"sfcc/products/{product_id}/break", {})
        await self.alert()

    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None:
        queued: dict[str, object] = (
            {"kind": "timeout", "seconds": 3 * _CLIENT_TIMEOUT, "times": times}
            if kind == "timeout"
            else {"kind": "error", "status": int(kind), "times": times}
        )
        if retry_after is not None:
            queued["retry_after"] = retry_after
        await self.control.sim("POST", "faults", {"queue": [queued]})

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "sfcc/revoke", {"access_keys": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        """The WebDAV server has no request-rate limit to set."""
        del burst, per_second

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with (
        running() as (simulator, control, scratch),
        connected(simulator, scratch, timeout=_CLIENT_TIMEOUT) as sides,
    ):
        store = sides.store
        yield SfccSource(store, control, "GBP", simulator.config.access_key, store.refresh)


@dataclass
class SfccOrdersHarness(NeutralOrderActions):
    orders: SfccOrders
    store: SfccStore
    control: SfccControl
    currency: str
    variant_ids: tuple[str, ...]

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.store.stock_levels([variant_id])
        return sum(level.available for level in levels)

    async def lose_next_create_answer(self) -> None:
        # The server writes the order file only after the client has given up waiting.
        fault = {"endpoint": "orders.create", "kind": "slow", "seconds": 3 * _CLIENT_TIMEOUT}
        await self.control.sim("POST", "faults", {"queue": [fault]})

    async def settle(self) -> None:
        await asyncio.sleep(4 * _CLIENT_TIMEOUT)

    async def creates(self) -> int:
        return len(await self.control.calls(endpoint="orders.create"))


@asynccontextmanager
async def orders_harness() -> AsyncIterator[OrdersHarness]:
    async with running() as (simulator, control, scratch):
        first = (await control.locations())[0]
        stock = [{"location": first, "available": 10}]
        [lamp] = await control.products(
            [
                {
                    "title": "Lamp",
                    "variants": [
                        {
                            "sku": "LAMP-A",
                            "price": "12.00",
                            "options": {"colour": "A"},
                            "stock": stock,
                        },
                        {
                            "sku": "LAMP-B",
                            "price": "8.00",
                            "options": {"colour": "B"},
                            "stock": stock,
                        },
                    ],
                }
            ]
        )
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
