"""commercetools' fixtures for the store-neutral contract suites (see `tests.support.stores`)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.commercetools import COMMERCETOOLS
from simulators.kit import RunningStore
from tests.support.commercetools import CommercetoolsControl, client_for, running
from tests.support.stores import (
    ConnectorOrders,
    NeutralSourceActions,
    OrdersHarness,
    PlatformProbe,
    SourceHarness,
)

_CLIENT_TIMEOUT = 0.5

#: Secrets a simulated store of this kind is configured with (logs and pages must not show them).
SECRETS = ("ct_demo_client_secret_0123456789",)
#: Store settings for tests that hammer the store: no published rate limit to lift.
FAST_SETTINGS = ""


def store_section(name: str, port: int) -> str:
    """The ``[shops.store]`` table of a shop whose store is this kind's simulator on `port`."""
    del name
    return f"""
[shops.store]
kind = "commercetools"
project_key = "tt-shop"
api_url = "http://127.0.0.1:{port}"
auth_url = "http://127.0.0.1:{port}"
client_id = "ttsync"
client_secret = "{SECRETS[0]}"
price_currency = "GBP"
price_country = "GB"
"""


async def unthrottle(store: RunningStore) -> None:
    """commercetools publishes no request-rate limit: nothing to lift."""
    del store


@dataclass
class CommercetoolsSource(NeutralSourceActions):
    fault_endpoint: ClassVar[str | None] = "channels.query"

    store: SourceStore
    control: CommercetoolsControl
    currency: str
    secret: str
    client_id: str
    deletion_feed: bool = COMMERCETOOLS.capabilities.deletion_feed

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("PATCH", f"commercetools/products/{product_id}", {"name": "Edited"})

    async def add_location(self, name: str, *, active: bool) -> str:
        roles = ["InventorySupply"] if active else ["ProductDistribution"]
        answer = await self.control.sim(
            "POST", "commercetools/channels", {"name": name, "roles": roles}
        )
        return str(answer["key"])

    async def break_product(self, product_id: str) -> None:
        # A time the API would never write: not the documented shape.
        body = {"fields": {"lastModifiedAt": "yesterday"}}
        await self.control.sim("POST", f"commercetools/products/{product_id}/corrupt", body)

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "commercetools/clients", {"revoke": [self.client_id]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        """commercetools publishes no request-rate limit to set."""
        del burst, per_second


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with (
        running() as (simulator, control),
        client_for(simulator, timeout=_CLIENT_TIMEOUT) as client,
    ):
        config = simulator.config
        yield CommercetoolsSource(client, control, "GBP", config.client_secret, config.client_id)


@asynccontextmanager
async def orders_harness() -> AsyncIterator[OrdersHarness]:
    async with running() as (simulator, control):
        lamp = await control.lamp()
        skus = {v["id"]: v["sku"] for v in lamp["variants"]}
        async with client_for(simulator, timeout=_CLIENT_TIMEOUT) as client:
            yield ConnectorOrders(client, control, "GBP", skus, "orders.by_import")


class CommercetoolsProbe:
    """The HTTP API with the seed's API client (a token fetched on first use)."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._base = store.base_url
        self._options = options
        self._session = session
        self._token: str | None = None

    async def _headers(self) -> dict[str, str]:
        if self._token is None:
            pair = f"{self._options['client_id']}:{self._options['client_secret']}"
            basic = base64.b64encode(pair.encode()).decode()
            async with self._session.post(
                f"{self._base}/oauth/token",
                data={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {basic}"},
            ) as response:
                assert response.status == 200, await response.text()
                self._token = (await response.json())["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    async def _call(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        url = f"{self._base}/{self._options['project_key']}/{path}"
        async with self._session.request(
            method, url, json=body, params=query, headers=await self._headers()
        ) as response:
            if response.status == 404:
                return None
            assert response.status < 300, await response.text()
            return await response.json()

    async def _channel_id(self, key: str) -> str:
        found = await self._call("GET", "channels", where=f'key = "{key}"')
        return str(found["results"][0]["id"])

    async def stock(self, stock_key: str, location: str) -> int | None:
        channel = await self._channel_id(location)
        where = f'sku = "{stock_key}" and supplyChannel(id = "{channel}")'
        found = (await self._call("GET", "inventory", where=where))["results"]
        return None if not found else int(found[0]["availableQuantity"])

    async def _variant(self, variant_id: str) -> dict[str, Any]:
        product_id, _, number = variant_id.partition("/")
        product = await self._call("GET", f"product-projections/{product_id}", staged="true")
        assert product is not None
        return next(
            v for v in [product["masterVariant"], *product["variants"]] if str(v["id"]) == number
        )

    async def price(self, variant_id: str) -> Decimal:
        variant = await self._variant(variant_id)
        return Decimal(variant["prices"][0]["value"]["centAmount"]) / 100

    async def published(self, product_id: str) -> bool:
        return await self._call("GET", f"product-projections/{product_id}") is not None

    async def exists(self, product_id: str) -> bool:
        found = await self._call("GET", f"product-projections/{product_id}", staged="true")
        return found is not None

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        variant = await self._variant(variant_id)
        draft = {
            "orderNumber": f"TT-{reference}",
            "lineItems": [
                {
                    "name": {"en": "Item"},
                    "variant": {"sku": variant["sku"]},
                    "quantity": quantity,
                    "price": {"value": variant["prices"][0]["value"]},
                }
            ],
            "totalPrice": {
                "currencyCode": "GBP",
                "centAmount": variant["prices"][0]["value"]["centAmount"] * quantity,
            },
        }
        return str((await self._call("POST", "orders/import", draft))["id"])

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        order = await self._call("GET", f"orders/{order_id}")
        deliveries = (order.get("shippingInfo") or {}).get("deliveries", [])
        return [
            (p["trackingData"].get("carrier"), p["trackingData"].get("trackingId"))
            for d in deliveries
            for p in d["parcels"]
        ]

    async def cancelled(self, order_id: str) -> bool:
        return bool((await self._call("GET", f"orders/{order_id}"))["orderState"] == "Cancelled")


def probe(
    store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
) -> PlatformProbe:
    return CommercetoolsProbe(store, session, options)
