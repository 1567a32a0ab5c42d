"""Magento's fixtures for the store-neutral contract suites (see `tests.support.stores`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.magento import MAGENTO
from simulators.kit import RunningStore
from tests.support.magento import MagentoControl, client_for, running
from tests.support.stores import (
    ConnectorOrders,
    NeutralSourceActions,
    OrdersHarness,
    PlatformProbe,
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


@dataclass
class MagentoSource(NeutralSourceActions):
    store: SourceStore
    control: MagentoControl
    currency: str
    secret: str
    deletion_feed: bool = MAGENTO.capabilities.deletion_feed

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("PATCH", f"magento/products/{product_id}", {"name": "Edited"})

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim(
            "POST", "magento/sources", {"name": name, "enabled": active}
        )
        return str(answer["source_code"])

    async def break_product(self, product_id: str) -> None:
        # A time Magento would never write: not the documented shape.
        body = {"fields": {"updated_at": "yesterday"}}
        await self.control.sim("POST", f"magento/products/{product_id}/corrupt", body)

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "magento/tokens", {"revoke": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        """Magento has no request-rate limit to set."""
        del burst, per_second


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with (
        running() as (simulator, control),
        client_for(simulator, timeout=_CLIENT_TIMEOUT) as client,
    ):
        yield MagentoSource(client, control, "GBP", simulator.config.access_token)


@asynccontextmanager
async def orders_harness() -> AsyncIterator[OrdersHarness]:
    async with running() as (simulator, control):
        lamp = await control.lamp()
        skus = {v["id"]: v["sku"] for v in lamp["variants"]}
        async with client_for(simulator, timeout=_CLIENT_TIMEOUT) as client:
            yield ConnectorOrders(client, control, "GBP", skus, "orders.save")


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
