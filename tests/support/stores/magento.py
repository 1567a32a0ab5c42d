"""Magento's fixtures for the store-neutral contract suites (see `tests.support.stores`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.magento import MAGENTO, MagentoClient
from simulators.kit import RunningStore
from tests.support.magento import MagentoControl, client_for, running
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
SECRETS = ("magento_integration_0123456789abcdef",)
#: Store settings for tests that hammer the store (crash tests): Magento has no rate limit.
FAST_SETTINGS = ""


def store_section(name: str, port: int) -> str:
    """The ``[shops.store]`` table of a shop whose store is this kind's simulator on `port`."""
    del name
    return f"""
[shops.store]
kind = "magento"
base_url = "http://127.0.0.1:{port}"
store_code = "default"
access_token = "{SECRETS[0]}"
"""


async def unthrottle(store: RunningStore) -> None:
    """Magento has no request-rate limit: nothing to lift."""
    del store


def _spec(fixture: ProductFixture, default_location: str) -> dict[str, Any]:
    several = len(fixture.variants) > 1
    return {
        "title": fixture.title,
        "published": fixture.sellable,
        "variants": [
            {
                "sku": v.sku,
                "price": str(v.price),
                "options": {"Variant": v.sku} if several else {},
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


@dataclass
class MagentoSource:
    store: SourceStore
    control: MagentoControl
    currency: str
    secret: str
    deletion_feed: bool = MAGENTO.capabilities.deletion_feed

    async def _first_location(self) -> str:
        return (await self.control.locations())[0]

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        first = await self._first_location()
        created = await self.control.products([_spec(p, first) for p in products])
        return [Created(p["id"], tuple(v["stock_key"] for v in p["variants"])) for p in created]

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("PATCH", f"magento/products/{product_id}", {"name": "Edited"})

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"store/products/{product_id}")

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim(
            "POST", "magento/sources", {"name": name, "enabled": active}
        )
        return str(answer["source_code"])

    async def set_stock(self, stock_key: str, available: int) -> None:
        level = {"sku": stock_key, "location": await self._first_location(), "available": available}
        await self.control.sim("POST", "store/stock", {"levels": [level]})

    async def break_product(self, product_id: str) -> None:
        # A time Magento would never write: not the documented shape.
        body = {"fields": {"updated_at": "yesterday"}}
        await self.control.sim("POST", f"magento/products/{product_id}/corrupt", body)

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
        await self.control.sim("POST", "magento/tokens", {"revoke": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        """Magento has no request-rate limit to set."""
        del burst, per_second

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with (
        running() as (simulator, control),
        client_for(simulator, timeout=_CLIENT_TIMEOUT) as client,
    ):
        yield MagentoSource(client, control, "GBP", simulator.config.access_token)


@dataclass
class MagentoOrders(NeutralOrderActions):
    orders: MagentoClient
    control: MagentoControl
    currency: str
    variant_ids: tuple[str, ...]
    skus: dict[str, str]

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.orders.stock_levels([self.skus[variant_id]])
        return sum(level.available for level in levels)

    async def lose_next_create_answer(self) -> None:
        # The simulator saves the order only after the client has given up waiting.
        fault = {"endpoint": "orders.save", "kind": "slow", "seconds": 3 * _CLIENT_TIMEOUT}
        await self.control.sim("POST", "faults", {"queue": [fault]})

    async def settle(self) -> None:
        await asyncio.sleep(4 * _CLIENT_TIMEOUT)

    async def creates(self) -> int:
        return len(await self.control.calls(endpoint="orders.save"))


@asynccontextmanager
async def orders_harness() -> AsyncIterator[OrdersHarness]:
    async with running() as (simulator, control):
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
                            "options": {"Colour": "A"},
                            "stock": stock,
                        },
                        {
                            "sku": "LAMP-B",
                            "price": "8.00",
                            "options": {"Colour": "B"},
                            "stock": stock,
                        },
                    ],
                }
            ]
        )
        skus = {v["id"]: v["sku"] for v in lamp["variants"]}
        async with client_for(simulator, timeout=_CLIENT_TIMEOUT) as client:
            yield MagentoOrders(client, control, "GBP", tuple(skus), skus)


class MagentoProbe:
    """The REST API (default scope), with the seed's integration token."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._base = f"{store.base_url}/rest/{options['store_code']}/V1"
        self._headers = {"Authorization": f"Bearer {options['access_token']}"}
        self._session = session

    async def _call(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        async with self._session.request(
            method, f"{self._base}/{path}", json=body, params=query, headers=self._headers
        ) as response:
            if response.status == 404:
                return None
            assert response.status < 300, await response.text()
            return await response.json()

    async def _search(self, path: str, *filters: tuple[str, str]) -> list[dict[str, Any]]:
        query = {"searchCriteria[pageSize]": "300"}
        for n, (field, value) in enumerate(filters):
            query[f"searchCriteria[filter_groups][{n}][filters][0][field]"] = field
            query[f"searchCriteria[filter_groups][{n}][filters][0][value]"] = value
        return list((await self._call("GET", path, **query))["items"])

    async def stock(self, stock_key: str, location: str) -> int | None:
        items = await self._search(
            "inventory/source-items", ("sku", stock_key), ("source_code", location)
        )
        return None if not items else int(items[0]["quantity"])

    async def _product(self, product_id: str) -> dict[str, Any] | None:
        found = await self._search("products", ("entity_id", product_id))
        return found[0] if found else None

    async def price(self, variant_id: str) -> Decimal:
        product = await self._product(variant_id)
        assert product is not None
        return Decimal(str(product["price"]))

    async def published(self, product_id: str) -> bool:
        product = await self._product(product_id)
        assert product is not None
        return bool(product["status"] == 1 and product["visibility"] != 1)

    async def exists(self, product_id: str) -> bool:
        return await self._product(product_id) is not None

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        product = await self._product(variant_id)
        assert product is not None
        entity = {
            "increment_id": f"TT{reference}",
            "ext_order_id": reference,
            "items": [{"sku": product["sku"], "qty_ordered": quantity, "price": product["price"]}],
            "billing_address": {"firstname": "Ada", "lastname": "Lovelace"},
            "payment": {"method": "checkmo"},
        }
        return str((await self._call("POST", "orders", {"entity": entity}))["entity_id"])

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        found = await self._search("shipments", ("order_id", order_id))
        return [
            (s["tracks"][0]["title"], s["tracks"][0]["track_number"])
            if s["tracks"]
            else (None, None)
            for s in found
        ]

    async def cancelled(self, order_id: str) -> bool:
        return bool((await self._call("GET", f"orders/{order_id}"))["state"] == "canceled")


def probe(
    store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
) -> PlatformProbe:
    return MagentoProbe(store, session, options)
