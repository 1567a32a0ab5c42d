"""WooCommerce's fixtures for the store-neutral contract suites (see `tests.support.stores`).

WooCommerce core keeps stock at one place, so `add_location` skips the tests that need a
second one (the kind's `several_locations` capability is False).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from daemon.connectors.base import SourceStore
from daemon.connectors.woocommerce import WOOCOMMERCE, WooCommerceClient, WooCommerceSettings
from daemon.metrics import Metrics
from simulators.kit import RunningStore, StoreSeed
from simulators.woocommerce import SAMPLE_OPTIONS, RunningWoo, oauth_signature, start_store
from tests.support.stores import (
    Created,
    Failure,
    OrdersHarness,
    PlatformProbe,
    ProductFixture,
    SourceHarness,
)

_CLIENT_TIMEOUT = 0.5
_LOCATION = "default"  # the simulator's one location

#: Secrets a simulated store of this kind is configured with (logs and pages must not show them).
SECRETS = ("ck_0123456789abcdef", "cs_fedcba9876543210", "wc_webhook_secret_abc")
#: Store settings for tests that hammer the store (crash tests): nothing to speed up.
FAST_SETTINGS = "concurrency = 8\n"


def store_section(name: str, port: int) -> str:
    """The ``[shops.store]`` table of a shop whose store is this kind's simulator on `port`."""
    del name
    return f"""
[shops.store]
kind = "woocommerce"
base_url = "http://127.0.0.1:{port}"
consumer_key = "{SECRETS[0]}"
consumer_secret = "{SECRETS[1]}"
webhook_secret = "{SECRETS[2]}"
# The simulated shops' rules name their one location so.
location_name = "Main warehouse"
"""


async def unthrottle(store: RunningStore) -> None:
    """WooCommerce core has no rate limit: nothing to lift."""
    assert isinstance(store, RunningWoo)


class Control:
    """The simulator's ``/_sim/`` routes."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self._base = base_url
        self._session = session

    async def sim(self, method: str, path: str, body: Any = None) -> Any:
        async with self._session.request(method, f"{self._base}/_sim/{path}", json=body) as answer:
            data = await answer.json()
            assert answer.status == 200, data
            return data

    async def advance(self, seconds: float) -> datetime:
        return datetime.fromisoformat(
            (await self.sim("POST", "clock/advance", {"seconds": seconds}))["now"]
        )

    async def calls(self, **query: str) -> list[dict[str, Any]]:
        async with self._session.get(f"{self._base}/_sim/calls", params=query) as answer:
            return list((await answer.json())["calls"])


def _variant(
    sku: str, price: Decimal, tracked: bool, backorders: bool, stock: int
) -> dict[str, Any]:
    levels = [{"location": _LOCATION, "available": stock}] if tracked else []
    return {
        "sku": sku,
        "price": str(price),
        "tracked": tracked,
        "backorders": backorders,
        "stock": levels,
    }


def _spec(product: ProductFixture) -> dict[str, Any]:
    variants = []
    for variant in product.variants:
        if any(location is not None for location, _ in variant.stock):
            pytest.skip("WooCommerce core keeps stock at one location")
        stock = sum(available for _, available in variant.stock)
        entry = _variant(
            variant.sku, variant.price, variant.tracked, variant.continue_selling, stock
        )
        if len(product.variants) > 1:
            entry["options"] = {"Variant": variant.sku}
        variants.append(entry)
    return {"title": product.title, "published": product.sellable, "variants": variants}


@asynccontextmanager
async def _running(**options: Any) -> AsyncIterator[tuple[RunningWoo, Control]]:
    seed = StoreSeed(
        name="Woo contract shop",
        currency="GBP",
        locations=("Warehouse",),
        webhook_url=None,
        options={**SAMPLE_OPTIONS, **options},
    )
    running = await start_store(seed, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield running, Control(running.base_url, session)
    finally:
        await running.stop()


@asynccontextmanager
async def _client(running: RunningWoo) -> AsyncIterator[WooCommerceClient]:
    settings = WooCommerceSettings.model_validate(
        {
            "base_url": running.base_url,
            "consumer_key": SAMPLE_OPTIONS["consumer_key"],
            "consumer_secret": SAMPLE_OPTIONS["consumer_secret"],
            "request_timeout": timedelta(seconds=_CLIENT_TIMEOUT),
        }
    )
    async with WooCommerceClient(settings, Metrics()) as client:
        yield client


@dataclass
class WooSource:
    store: SourceStore
    control: Control
    currency: str
    secret: str
    deletion_feed: bool = WOOCOMMERCE.capabilities.deletion_feed

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        specs = [_spec(product) for product in products]
        created = (await self.control.sim("POST", "store/products", {"products": specs}))[
            "products"
        ]
        return [Created(p["id"], tuple(v["stock_key"] for v in p["variants"])) for p in created]

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("POST", f"products/{product_id}/edit", {"name": "Edited"})

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"store/products/{product_id}")

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def add_location(self, name: str, *, active: bool) -> str:
        del name, active
        pytest.skip("WooCommerce core keeps stock at one location")

    async def set_stock(self, stock_key: str, available: int) -> None:
        await self.control.sim("POST", f"items/{stock_key}/stock", {"quantity": available})

    async def break_product(self, product_id: str) -> None:
        # A price that is not a decimal string: not the documented shape.
        await self.control.sim(
            "POST", f"products/{product_id}/corrupt", {"regular_price": "twelve"}
        )

    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None:
        queued: dict[str, object] = {
            "kind": "timeout",
            "times": times,
            "seconds": 3 * _CLIENT_TIMEOUT,
        }
        if kind != "timeout":
            queued = {"kind": "error", "status": int(kind), "times": times}
            if retry_after is not None:
                queued["retry_after"] = retry_after
        await self.control.sim("POST", "faults", {"queue": [queued]})

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "keys", {"revoked": True})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        """WooCommerce core has no rate limit to set."""
        del burst, per_second

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with _running() as (running, control), _client(running) as client:
        yield WooSource(client, control, "GBP", SAMPLE_OPTIONS["consumer_secret"])


@dataclass
class WooOrders:
    orders: WooCommerceClient
    control: Control
    currency: str
    variant_ids: tuple[str, ...]

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.orders.stock_levels([variant_id])
        return sum(level.available for level in levels)

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def ship_in_store(self, order_id: str, carrier: str, tracking_number: str) -> None:
        body = {"carrier": carrier, "tracking_number": tracking_number}
        await self.control.sim("POST", f"store/orders/{order_id}/ship", body)

    async def cancel_in_store(self, order_id: str) -> None:
        await self.control.sim("POST", f"store/orders/{order_id}/cancel", {})

    async def lose_next_create_answer(self) -> None:
        # The simulator creates the order only after the client has given up waiting.
        fault = {"endpoint": "orders.create", "kind": "slow", "seconds": 3 * _CLIENT_TIMEOUT}
        await self.control.sim("POST", "faults", {"queue": [fault]})

    async def settle(self) -> None:
        await asyncio.sleep(4 * _CLIENT_TIMEOUT)

    async def creates(self) -> int:
        return len(await self.control.calls(endpoint="orders.create"))


@asynccontextmanager
async def orders_harness(**options: Any) -> AsyncIterator[OrdersHarness]:
    async with _running(**options) as (running, control), _client(running) as client:
        lamp = {
            "title": "Lamp",
            "variants": [
                {
                    **_variant("LAMP-A", Decimal("12.00"), True, False, 10),
                    "options": {"Colour": "A"},
                },
                {
                    **_variant("LAMP-B", Decimal("8.00"), True, False, 10),
                    "options": {"Colour": "B"},
                },
            ],
        }
        [created] = (await control.sim("POST", "store/products", {"products": [lamp]}))["products"]
        variants = tuple(v["id"] for v in created["variants"])
        yield WooOrders(client, control, "GBP", variants)


class WooProbe:
    """The REST API v3 with the seed's key, signed with OAuth 1.0a over plain HTTP."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._base = f"{store.base_url}/wp-json/wc/v3"
        self._key = options["consumer_key"]
        self._secret = options["consumer_secret"]
        self._session = session
        self._nonce = 0

    async def _call(self, method: str, resource: str, body: Any = None) -> Any:
        url = f"{self._base}/{resource}"
        self._nonce += 1
        query = {
            "oauth_consumer_key": self._key,
            "oauth_timestamp": str(int(datetime.now().timestamp())),  # noqa: DTZ005 a Unix time has no zone
            "oauth_nonce": f"probe{id(self)}n{self._nonce}",
            "oauth_signature_method": "HMAC-SHA256",
        }
        query["oauth_signature"] = oauth_signature(method, url, query, self._secret)
        async with self._session.request(method, url, json=body, params=query) as response:
            if response.status == 404:
                return None
            assert response.status < 300, await response.text()
            return await response.json()

    async def stock(self, stock_key: str, location: str) -> int | None:
        if location != _LOCATION:
            return None
        item = await self._call("GET", f"products/{stock_key}")
        return None if item is None or not item["manage_stock"] else int(item["stock_quantity"])

    async def price(self, variant_id: str) -> Decimal:
        return Decimal((await self._call("GET", f"products/{variant_id}"))["price"])

    async def published(self, product_id: str) -> bool:
        return (await self._call("GET", f"products/{product_id}"))["status"] == "publish"

    async def exists(self, product_id: str) -> bool:
        return await self._call("GET", f"products/{product_id}") is not None

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        order = {
            "set_paid": True,
            "line_items": [{"product_id": int(variant_id), "quantity": quantity}],
            "meta_data": [{"key": "_tiktok_order_id", "value": reference}],
        }
        return str((await self._call("POST", "orders", order))["id"])

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        url = f"orders/{order_id}/shipment-trackings"
        saved, self._base = self._base, self._base.replace("wc/v3", "wc-shipment-tracking/v3")
        try:
            trackings = await self._call("GET", url)
        finally:
            self._base = saved
        return [(t["tracking_provider"] or None, t["tracking_number"] or None) for t in trackings]

    async def cancelled(self, order_id: str) -> bool:
        return (await self._call("GET", f"orders/{order_id}"))["status"] == "cancelled"


def probe(
    store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
) -> PlatformProbe:
    return WooProbe(store, session, options)
