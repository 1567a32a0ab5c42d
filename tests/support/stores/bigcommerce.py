"""BigCommerce's fixtures for the store-neutral contract suites (see `tests.support.stores`)."""

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
from daemon.connectors.bigcommerce import (
    BIGCOMMERCE,
    BigCommerceClient,
    BigCommerceClientOptions,
    BigCommerceSettings,
)
from daemon.metrics import Metrics
from simulators.bigcommerce import BigCommerceSimulator, RunningBigCommerce
from simulators.bigcommerce.store import RateWindow
from simulators.kit import RunningStore
from tests.support.bigcommerce import SimControl, running
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
_UNLIMITED = 1_000_000_000

#: Secrets a simulated store of this kind is configured with (logs and pages must not show them).
SECRETS = ("bc_token_0123456789abcdef", "bc_client_secret_abc")
#: Store settings for tests that hammer the store (crash tests): a plan with a huge window.
FAST_SETTINGS = "requests_quota = 1000000\nreserve = 0\n"


def store_section(name: str, port: int) -> str:
    """The ``[shops.store]`` table of a shop whose store is this kind's simulator on `port`."""
    return f"""
[shops.store]
kind = "bigcommerce"
store_hash = "{name}demo"
base_url = "http://127.0.0.1:{port}"
access_token = "{SECRETS[0]}"
client_secret = "{SECRETS[1]}"
"""


async def unthrottle(store: RunningStore) -> None:
    """Let the simulator take calls as fast as they come (a window that never fills)."""
    assert isinstance(store, RunningBigCommerce)
    store.simulator.store.window = RateWindow(_UNLIMITED, 30_000)


def client_for(simulator: BigCommerceSimulator) -> BigCommerceClient:
    assert simulator.base_url is not None
    settings = BigCommerceSettings(
        store_hash=simulator.config.store_hash,
        base_url=simulator.base_url,
        access_token=simulator.config.access_token,
        client_secret=simulator.config.client_secret,
    )
    options = BigCommerceClientOptions(request_timeout=timedelta(seconds=_CLIENT_TIMEOUT))
    return BigCommerceClient(settings, Metrics(), options=options)


def _location(simulator: BigCommerceSimulator, given: str | None) -> str:
    return str(simulator.store.default_location) if given is None else given


@dataclass
class BigCommerceSource:
    store: SourceStore
    control: SimControl
    simulator: BigCommerceSimulator
    currency: str
    secret: str
    deletion_feed: bool = BIGCOMMERCE.capabilities.deletion_feed

    async def add_products(self, products: Sequence[ProductFixture]) -> list[Created]:
        specs = [
            {
                "title": p.title,
                "published": p.sellable,
                "variants": [
                    {
                        "sku": v.sku,
                        "price": str(v.price),
                        "options": {"Variant": v.sku},
                        "tracked": v.tracked,
                        "backorders": v.continue_selling,
                        "stock": [
                            {"location": _location(self.simulator, loc), "available": n}
                            for loc, n in v.stock
                        ],
                    }
                    for v in p.variants
                ],
            }
            for p in products
        ]
        created = await self.control.products(*specs)
        return [Created(p["id"], tuple(v["stock_key"] for v in p["variants"])) for p in created]

    async def edit_product(self, product_id: str) -> None:
        await self.control.sim("PATCH", f"products/{product_id}", {"name": "Edited"})

    async def delete_product(self, product_id: str) -> None:
        await self.control.sim("DELETE", f"store/products/{product_id}")

    async def advance_clock(self, seconds: float) -> datetime:
        return await self.control.advance(seconds)

    async def add_location(self, name: str, *, active: bool) -> str:
        answer = await self.control.sim("POST", "locations", {"label": name, "enabled": active})
        return str(answer["location"]["id"])

    async def set_stock(self, stock_key: str, available: int) -> None:
        item = {
            "variant_id": int(stock_key),
            "location_id": self.simulator.store.default_location,
            "quantity": available,
        }
        await self.control.sim("POST", "inventory", {"items": [item]})

    async def break_product(self, product_id: str) -> None:
        # Money as a string, not the documented JSON number.
        body = {"fields": {"variant.price": "twelve"}}
        await self.control.sim("POST", f"products/{product_id}/corrupt", body)

    async def fail_next(
        self, kind: Failure, times: int, *, retry_after: float | None = None
    ) -> None:
        queued: dict[str, Any] = {"times": times}
        if kind == "timeout":
            queued.update(kind="timeout", seconds=3 * _CLIENT_TIMEOUT)
        else:
            queued.update(kind="error", status=int(kind))
            if retry_after is not None:
                queued["retry_after"] = retry_after
        await self.control.sim("POST", "faults", {"queue": [queued]})

    async def revoke_credentials(self) -> None:
        await self.control.sim("POST", "tokens", {"revoke": [self.secret]})

    async def set_rate_limit(self, *, burst: int, per_second: float) -> None:
        # BigCommerce's window: `burst` calls per window, the window as long as that takes.
        window_ms = int(1000 * burst / per_second)
        await self.control.sim("PUT", "rate_limit", {"quota": burst, "window_ms": window_ms})

    async def throttled_responses(self) -> int:
        return len(await self.control.calls(status="429"))


@asynccontextmanager
async def source_harness() -> AsyncIterator[SourceHarness]:
    async with running() as (simulator, control), client_for(simulator) as client:
        yield BigCommerceSource(client, control, simulator, "GBP", simulator.config.access_token)


@dataclass
class BigCommerceOrders(NeutralOrderActions):
    orders: BigCommerceClient
    control: SimControl
    currency: str
    variant_ids: tuple[str, ...]

    async def stock_of(self, variant_id: str) -> int:
        levels = await self.orders.stock_levels([variant_id])
        return sum(level.available for level in levels)

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
        location = str(simulator.store.default_location)
        stock = [{"location": location, "available": 10}]
        [lamp] = await control.products(
            {
                "title": "Lamp",
                "variants": [
                    {"sku": "LAMP-A", "price": "12.00", "options": {"Colour": "A"}, "stock": stock},
                    {"sku": "LAMP-B", "price": "8.00", "options": {"Colour": "B"}, "stock": stock},
                ],
            }
        )
        variants = tuple(v["id"] for v in lamp["variants"])
        async with client_for(simulator) as client:
            yield BigCommerceOrders(client, control, "GBP", variants)


class BigCommerceProbe:
    """The V3 and V2 APIs, with the seed's access token."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._base = f"{store.base_url}/stores/{options['store_hash']}"
        self._headers = {"X-Auth-Token": options["access_token"], "Accept": "application/json"}
        self._session = session

    async def _call(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        async with self._session.request(
            method, f"{self._base}/{path}", json=body, params=query, headers=self._headers
        ) as response:
            if response.status == 404:
                return None
            assert response.status < 300, await response.text()
            return None if response.status == 204 else await response.json()

    async def stock(self, stock_key: str, location: str) -> int | None:
        body = await self._call(
            "GET", "v3/inventory/items", **{"variant_id:in": stock_key, "location_id:in": location}
        )
        levels = [at for item in body["data"] for at in item["locations"]]
        return None if not levels else int(levels[0]["available_to_sell"])

    async def _variant(self, variant_id: str) -> dict[str, Any]:
        body = await self._call("GET", "v3/catalog/variants", **{"id:in": variant_id})
        [variant] = body["data"]
        return dict(variant)

    async def price(self, variant_id: str) -> Decimal:
        return Decimal(str((await self._variant(variant_id))["calculated_price"]))

    async def published(self, product_id: str) -> bool:
        return bool(
            (await self._call("GET", f"v3/catalog/products/{product_id}"))["data"]["is_visible"]
        )

    async def exists(self, product_id: str) -> bool:
        return await self._call("GET", f"v3/catalog/products/{product_id}") is not None

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        variant = await self._variant(variant_id)
        order = {
            "status_id": 11,
            "billing_address": {"first_name": "Ada", "email": "ada@example.com"},
            "shipping_addresses": [{"first_name": "Ada", "city": "London", "country_iso2": "GB"}],
            "products": [
                {
                    "product_id": variant["product_id"],
                    "variant_id": variant["id"],
                    "quantity": quantity,
                }
            ],
            "external_source": "TikTok Shop",
            "external_order_id": reference,
        }
        return str((await self._call("POST", "v2/orders", order))["id"])

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        body = await self._call("GET", f"v2/orders/{order_id}/shipments") or []
        return [
            (s["tracking_carrier"] or s["shipping_provider"] or None, s["tracking_number"] or None)
            for s in body
        ]

    async def cancelled(self, order_id: str) -> bool:
        return bool((await self._call("GET", f"v2/orders/{order_id}"))["status_id"] == 5)


def probe(
    store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
) -> PlatformProbe:
    return BigCommerceProbe(store, session, options)
