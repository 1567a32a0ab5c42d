"""Shopify's fixtures for the store-neutral contract suites (see `tests.support.stores`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from daemon.connectors.base import SourceStore
from daemon.connectors.shopify import SHOPIFY, ShopifyClient, ShopifyClientOptions
from tests.support.shopify import SimControl, client_for, product, running
from tests.support.stores import (
    Created,
    Failure,
    OrdersHarness,
    ProductFixture,
    SourceHarness,
)

_CLIENT_TIMEOUT = 0.5


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
        body = {"size": burst, "leak_rate": per_second, "reset": True}
        await self.control.sim("POST", "bucket", body)

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


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
        fault = {"endpoint": "orders.create", "kind": "slow", "seconds": 3 * _CLIENT_TIMEOUT}
        await self.control.sim("POST", "faults", {"queue": [fault]})

    async def settle(self) -> None:
        await asyncio.sleep(4 * _CLIENT_TIMEOUT)

    async def creates(self) -> int:
        return len(await self.control.calls(endpoint="orders.create"))


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
