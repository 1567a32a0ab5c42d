"""Shopify's fixtures for the store-neutral contract suites (see `tests.support.stores`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp

from daemon.connectors.base import SourceStore
from daemon.connectors.shopify import SHOPIFY, ShopifyClient, ShopifyClientOptions
from simulators.kit import RunningStore
from simulators.shopify import RunningShopify
from tests.support.shopify import SimControl, client_for, product, running
from tests.support.stores import (
    Created,
    Failure,
    OrdersHarness,
    PlatformProbe,
    ProductFixture,
    SourceHarness,
)

_CLIENT_TIMEOUT = 0.5

#: Secrets a simulated shop of this kind is configured with (logs and pages must not show them).
SECRETS = ("shpat_0123456789abcdef", "shpss_webhook_secret_abc")
#: Store settings for tests that hammer the store (crash tests): a fast plan.
FAST_SETTINGS = "restore_rate = 1000.0\n"


def store_section(name: str, port: int) -> str:
    """The ``[shops.store]`` table of a shop whose store is this kind's simulator on `port`."""
    return f"""
[shops.store]
kind = "shopify"
shop_domain = "{name}-demo.myshopify.com"
base_url = "http://127.0.0.1:{port}"
access_token = "{SECRETS[0]}"
webhook_secret = "{SECRETS[1]}"
"""


async def unthrottle(store: RunningStore) -> None:
    """Let the simulator take calls as fast as they come (no leaky bucket to wait for)."""
    assert isinstance(store, RunningShopify)
    store.simulator.shop.buckets.configure(size=None, rate=1000.0, reset=False)


@dataclass
class ShopifySource:
    store: SourceStore
    control: SimControl
    currency: str
    secret: str
    deletion_feed: bool = SHOPIFY.capabilities.deletion_feed

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        specs = [
            {
                "title": p.title,
                "status": "active" if p.sellable else "draft",
                "options": [{"name": "Variant"}],
                "variants": [
                    {
                        "sku": v.sku,
                        "price": str(v.price),
                        "options": [v.sku],
                        "tracked": v.tracked,
                        "inventory_policy": "continue" if v.continue_selling else "deny",
                        "stock": [
                            {"location_id": None if loc is None else int(loc), "available": n}
                            for loc, n in v.stock
                        ],
                    }
                    for v in p.variants
                ],
            }
            for p in products
        ]
        created = await self.control.load(specs)
        return [
            Created(str(p["id"]), tuple(str(v["inventory_item_id"]) for v in p["variants"]))
            for p in created
        ]

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("PATCH", f"products/{product_id}", {"title": "Edited"})

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"products/{product_id}")

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim("POST", "locations", {"name": name, "active": active})
        return str(answer["location"]["id"])

    async def set_stock(self, stock_key: str, available: int) -> None:
        body = {"levels": [{"inventory_item_id": int(stock_key), "available": available}]}
        await self.control.sim("POST", "inventory", body)

    async def break_product(self, product_id: str) -> None:
        # Money as a number, not a string: not the documented shape.
        body = {"variant": {"price": 12.5}}
        await self.control.sim("POST", f"products/{product_id}/corrupt", body)

    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None:
        queued: dict[str, object] = {"kind": kind, "times": times}
        if retry_after is not None:
            queued["seconds"] = retry_after
        await self.control.sim("POST", "faults", {"queue": [queued]})

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "tokens", {"revoke": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        # REST in calls; GraphQL in points, a call taken as worth 50 of them.
        body = {
            "size": burst,
            "leak_rate": per_second,
            "restore_rate": per_second * 50,
            "maximum_available": burst * 50,
            "reset": True,
        }
        await self.control.sim("POST", "bucket", body)

    async def throttled_responses(self) -> int:
        bucket = await self.control.sim("GET", "bucket")
        return len(await self.control.calls(status="429")) + int(bucket["graphql"]["throttled"])


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with running(hang_seconds=3.0) as (simulator, control):
        options = ShopifyClientOptions(request_timeout=timedelta(seconds=_CLIENT_TIMEOUT))
        async with client_for(simulator, options) as client:
            yield ShopifySource(client, control, "GBP", simulator.config.access_token)


@dataclass
class ShopifyOrders:
    orders: ShopifyClient
    control: SimControl
    currency: str
    variant_ids: tuple[str, ...]
    stock_keys: dict[str, str]

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.orders.stock_levels([self.stock_keys[variant_id]])
        return sum(level.available for level in levels)

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def ship_in_store(self, order_id: str, carrier: str, tracking_number: str) -> None:
        body = {"tracking_company": carrier, "tracking_number": tracking_number}
        await self.control.sim("POST", f"orders/{order_id}/fulfil", body)

    async def cancel_in_store(self, order_id: str) -> None:
        await self.control.sim("POST", f"orders/{order_id}/cancel", {})

    async def lose_next_create_answer(self) -> None:
        # The simulator creates the order only after the client has given up waiting.
        fault = {"endpoint": "graphql.orderCreate", "kind": "slow", "seconds": 3 * _CLIENT_TIMEOUT}
        await self.control.sim("POST", "faults", {"queue": [fault]})

    async def settle(self) -> None:
        await asyncio.sleep(4 * _CLIENT_TIMEOUT)

    async def creates(self) -> int:
        return len(await self.control.calls(endpoint="graphql.orderCreate"))


@asynccontextmanager
async def orders_harness() -> AsyncIterator[OrdersHarness]:
    async with running() as (simulator, control):
        [lamp] = await control.load(
            [
                product(
                    "Lamp",
                    {"sku": "LAMP-A", "price": "12.00", "options": ["A"], "stock": 10},
                    {"sku": "LAMP-B", "price": "8.00", "options": ["B"], "stock": 10},
                    options=[{"name": "Colour"}],
                )
            ]
        )
        variants = {str(v["id"]): str(v["inventory_item_id"]) for v in lamp["variants"]}
        options = ShopifyClientOptions(request_timeout=timedelta(seconds=_CLIENT_TIMEOUT))
        async with client_for(simulator, options) as client:
            yield ShopifyOrders(client, control, "GBP", tuple(variants), variants)


class ShopifyProbe:
    """The Admin REST API, with the seed's access token."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._base = f"{store.base_url}/admin/api/{options['api_version']}"
        self._headers = {"X-Shopify-Access-Token": options["access_token"]}
        self._session = session

    async def _call(self, method: str, resource: str, body: Any = None, **query: str) -> Any:
        async with self._session.request(
            method, f"{self._base}/{resource}.json", json=body, params=query, headers=self._headers
        ) as response:
            if response.status == 404:
                return None
            assert response.status < 300, await response.text()
            return await response.json()

    async def stock(self, stock_key: str, location: str) -> int | None:
        body = await self._call(
            "GET", "inventory_levels", inventory_item_ids=stock_key, location_ids=location
        )
        levels = body["inventory_levels"]
        return None if not levels else int(levels[0]["available"])

    async def price(self, variant_id: str) -> Decimal:
        return Decimal((await self._call("GET", f"variants/{variant_id}"))["variant"]["price"])

    async def published(self, product_id: str) -> bool:
        return (await self._call("GET", f"products/{product_id}"))["product"]["status"] == "active"

    async def exists(self, product_id: str) -> bool:
        return await self._call("GET", f"products/{product_id}") is not None

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        order = {
            "line_items": [{"variant_id": int(variant_id), "quantity": quantity}],
            "note_attributes": [{"name": "tiktok_order_id", "value": reference}],
            "inventory_behaviour": "decrement_obeying_policy",
            "financial_status": "paid",
        }
        return str((await self._call("POST", "orders", {"order": order}))["order"]["id"])

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        body = await self._call("GET", f"orders/{order_id}/fulfillments")
        return [
            (f["tracking_company"], (f["tracking_numbers"] or [None])[0])
            for f in body["fulfillments"]
        ]

    async def cancelled(self, order_id: str) -> bool:
        return (await self._call("GET", f"orders/{order_id}"))["order"]["cancelled_at"] is not None


def probe(
    store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
) -> PlatformProbe:
    return ShopifyProbe(store, session, options)
