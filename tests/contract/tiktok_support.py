"""A TikTok Shop simulator on loopback, a real SQLite ledger and factories for `TikTokClient`.

Each test module opens one `World` per test:

    @pytest.fixture
    async def world(tmp_path):
        async with open_world(tmp_path) as opened:
            yield opened

The simulator is driven only over HTTP (``/_sim/`` control endpoints); the client's clock is
real time plus the simulator's clock offset, so moving the simulator clock moves both.
"""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from daemon.connectors.ratelimit import RatePolicy
from daemon.connectors.tiktok import (
    ImageRef,
    InventoryInput,
    PriceInput,
    ProductInput,
    RetrySettings,
    SalesAttributeInput,
    SkuInput,
    TikTokClient,
    Weight,
)
from daemon.connectors.tiktok.settings import TikTokSection
from daemon.ledger import Ledger, shops
from daemon.ledger.sealing import PLAINTEXT
from daemon.metrics import Metrics
from daemon.runtime.tokens import LedgerTokenStore
from simulators.tiktok import SimulatorConfig, TikTokSimulator

APP_KEY = "contract-app-key"
APP_SECRET = "contract-app-secret-0123456789"
SHOP_NAME = "uk"
DAY = 86_400
FAST_RETRY = RetrySettings(
    attempts=10, deadline_seconds=20.0, wait_initial=0.01, wait_max=0.2, wait_jitter=0.02
)


def png(width: int = 800, height: int = 800) -> bytes:
    """A PNG header the simulator can measure (no pixel data needed)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + crc


class SimControl:
    """The simulator's ``/_sim/`` control API, plus the clock offset it reports."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self.base_url = base_url
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    async def request(self, method: str, path: str, payload: Any = None, **params: str) -> Any:
        async with self._session.request(
            method, self.base_url + path, json=payload if payload is not None else {}, params=params
        ) as response:
            body = await response.json()
            assert response.status == 200, body
            return body

    async def advance(self, seconds: float) -> None:
        clock = await self.request("POST", "/_sim/clock/advance", {"seconds": seconds})
        self.offset = float(clock["offset"])

    async def seed_shop(self, **spec: Any) -> dict[str, Any]:
        return dict(await self.request("POST", "/_sim/shops", spec))

    async def auth_code(self, *shop_ids: str) -> str:
        body = await self.request("POST", "/_sim/auth_codes", {"shop_ids": list(shop_ids)})
        return str(body["auth_code"])

    async def calls(self, **filters: str) -> list[dict[str, Any]]:
        return list((await self.request("GET", "/_sim/calls", **filters))["calls"])

    async def clear_calls(self) -> None:
        await self.request("DELETE", "/_sim/calls")

    async def rate_limit(self, per_second: float, operation: str = "*") -> None:
        payload = {"per_second": per_second, "operation": operation}
        await self.request("PUT", "/_sim/rate_limit", payload)

    async def fault(self, **spec: Any) -> None:
        await self.request("PUT", "/_sim/faults", spec)

    async def place_order(self, sku_id: str, quantity: int = 1, **extra: Any) -> dict[str, Any]:
        payload = {"items": [{"sku_id": sku_id, "quantity": quantity}], **extra}
        return dict(await self.request("POST", "/_sim/orders", payload))


@dataclass
class World:
    sim: TikTokSimulator
    control: SimControl
    ledger: Ledger
    shop: dict[str, Any]
    auth_code: str
    metrics: Metrics = field(default_factory=Metrics)
    clients: list[TikTokClient] = field(default_factory=list)

    @property
    def warehouse_ids(self) -> list[str]:
        return [warehouse["id"] for warehouse in self.shop["warehouses"]]

    def settings(self, **overrides: Any) -> TikTokSection:
        values: dict[str, Any] = {
            "app_key": APP_KEY,
            "app_secret": APP_SECRET,
            "auth_code": self.auth_code,
            "api_base_url": self.sim.base_url,
            "auth_base_url": self.sim.base_url,
            "rate_limit_per_second": 1000.0,
            **overrides,
        }
        return TikTokSection.model_validate(values)

    def client(
        self,
        *,
        retry: RetrySettings | None = None,
        rate_policy: RatePolicy | None = None,
        clock_skew: float = 0.0,
        **settings: Any,
    ) -> TikTokClient:
        control = self.control

        def clock() -> float:
            return control.now() + clock_skew

        client = TikTokClient.open(
            self.settings(**settings),
            tokens=LedgerTokenStore(self.ledger, SHOP_NAME, PLAINTEXT),
            shop_name=SHOP_NAME,
            metrics=self.metrics,
            clock=clock,
            retry=retry,
            rate_policy=rate_policy,
        )
        self.clients.append(client)
        return client

    async def stored_tokens(self) -> shops.TokenRecord | None:
        async with self.ledger.read() as tx:
            return await shops.load_tokens(tx, SHOP_NAME, cipher=PLAINTEXT)

    async def stored_shop(self) -> shops.ShopRecord | None:
        async with self.ledger.read() as tx:
            return await shops.get_shop(tx, SHOP_NAME)

    def product_input(
        self, image_uri: str, *, title: str = "Stoneware Coffee Mug 350ml", skus: int = 1
    ) -> ProductInput:
        return ProductInput(
            title=title,
            description="<p>A sturdy mug.</p><ul><li>350ml</li></ul>",
            category_id="600024",
            main_images=[ImageRef(uri=image_uri)],
            package_weight=Weight(value=Decimal("0.4")),
            skus=[
                SkuInput(
                    seller_sku=f"MUG-{index}",
                    price=PriceInput(amount=Decimal("12.50"), currency="GBP"),
                    inventory=[
                        InventoryInput(warehouse_id=warehouse, quantity=10)
                        for warehouse in self.warehouse_ids
                    ],
                    sales_attributes=None
                    if skus == 1
                    else [SalesAttributeInput(name="Colour", value_name=f"Colour {index}")],
                )
                for index in range(skus)
            ],
        )

    async def live_product(
        self, client: TikTokClient, *, title: str = "Stoneware Coffee Mug 350ml", skus: int = 1
    ) -> tuple[str, list[str]]:
        """Create a product and let the simulated review pass; return its id and SKU ids."""
        image = await client.products.upload_image(
            png(), filename="mug.png", content_type="image/png"
        )
        created = await client.products.create(
            self.product_input(image.uri, title=title, skus=skus)
        )
        await self.control.advance(self.sim.config.review_seconds + 1)
        return created.product_id, [sku.id for sku in created.skus]


@asynccontextmanager
async def open_world(tmp_path: Path, **config: Any) -> AsyncIterator[World]:
    sim_config = SimulatorConfig(
        app_key=APP_KEY, app_secret=APP_SECRET, tick_interval_seconds=0.05, **config
    )
    sim = TikTokSimulator(sim_config)
    await sim.start("127.0.0.1", 0)
    ledger = await Ledger.open(tmp_path / "ledger.sqlite3")
    session = aiohttp.ClientSession()
    world: World | None = None
    try:
        async with ledger.transaction() as tx:
            await shops.ensure_shop(tx, SHOP_NAME, "shopify", datetime.now(UTC))
        control = SimControl(session, sim.base_url)
        shop = await control.seed_shop(
            warehouses=[
                {"name": "Manchester", "is_default": True},
                {"name": "London", "postal_code": "E1 6AN", "city": "London"},
            ]
        )
        code = await control.auth_code(shop["shop_id"])
        world = World(sim, control, ledger, shop, code)
        yield world
    finally:
        if world is not None:
            for client in world.clients:
                await client.close()
        await session.close()
        await ledger.close()
        await sim.stop()
