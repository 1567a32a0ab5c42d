"""The operator's views on a large ledger: `ttsync status`, `ttsync products` (all, by status,
by seller SKU) and the status page over loopback HTTP, on 10,000 products (50,000 SKUs) and
20,000 orders."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path

import aiohttp

from daemon.domain import OrderPhase, ProductStatus
from daemon.domain.retry import RetryPolicy
from daemon.ledger import Ledger, orders, products, retry, shops
from daemon.ledger import overview as read
from daemon.runtime.overview import shop_overviews
from daemon.runtime.page import StatusPage
from daemon.runtime.server import HttpServer

PRODUCTS = 10_000
SKUS_PER_PRODUCT = 5
ORDERS = 20_000
REPEATS = 20
SHOP = [("bench", "bench-store")]


def now() -> datetime:
    return datetime.now(UTC)


async def main() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        ledger = await Ledger.open(Path(directory) / "bench.sqlite3")
        try:
            await _fill(ledger)
            return await _measure(ledger)
        finally:
            await ledger.close()


async def _fill(ledger: Ledger) -> None:
    policy = RetryPolicy(timedelta(minutes=1), timedelta(hours=1), 8)
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "bench", "bench-store", now())
        for p in range(PRODUCTS):
            await products.upsert_product(
                tx,
                shop_id="bench",
                store_product_id=f"p{p}",
                title=f"Product {p}",
                category_id="600024",
                store_updated_at=None,
                now=now(),
            )
            for v in range(SKUS_PER_PRODUCT):
                await products.upsert_sku(
                    tx,
                    shop_id="bench",
                    store_variant_id=f"p{p}v{v}",
                    store_product_id=f"p{p}",
                    seller_sku=f"SKU-{p}-{v}",
                    now=now(),
                )
            if p % 10 == 0:  # a tenth failed, with a field-level reason
                await products.record_failure(
                    tx, shop_id="bench", store_product_id=f"p{p}", reason="barcode: x", now=now()
                )
            else:
                await products.set_product_status(
                    tx,
                    shop_id="bench",
                    store_product_id=f"p{p}",
                    status=ProductStatus.ACTIVE,
                    reason=None,
                    now=now(),
                    tiktok_product_id=f"17{p:016d}",
                )
        for o in range(ORDERS):
            await orders.upsert_order(
                tx,
                shop_id="bench",
                tiktok_order_id=f"57{o:016d}",
                tiktok_status="AWAITING_SHIPMENT",
                tiktok_update_time=o,
                now=now(),
            )
            phase = OrderPhase.BLOCKED if o % 100 == 0 else OrderPhase.IMPORTED
            await orders.set_phase(
                tx,
                f"57{o:016d}",
                phase,
                reason="sku: not linked" if phase is OrderPhase.BLOCKED else None,
                now=now(),
                store_order_id=None if phase is OrderPhase.BLOCKED else f"S{o}",
            )
            if phase is OrderPhase.BLOCKED:
                await retry.record_failure(
                    tx,
                    shop_id="bench",
                    job="orders",
                    entity_kind="order",
                    entity_id=f"57{o:016d}",
                    error="sku: not linked",
                    policy=policy,
                    now=now(),
                )


async def _timed(step: Callable[[], Awaitable[object]]) -> float:
    """Median milliseconds of `step` over REPEATS runs."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await step()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


async def _measure(ledger: Ledger) -> dict[str, float]:
    async def lines(**kwargs: object) -> None:
        async with ledger.read() as tx:
            await read.product_lines(tx, "bench", **kwargs)  # type: ignore[arg-type]

    page = StatusPage(ledger, SHOP, None, now)
    from aiohttp import web  # noqa: PLC0415 only the page bench needs it

    app = web.Application()
    page.add_routes(app)
    server = HttpServer(app, "127.0.0.1", 0)
    url = await server.start()
    try:
        async with aiohttp.ClientSession() as session:

            async def get_page() -> None:
                async with session.get(f"{url}/") as response:
                    assert response.status == HTTPStatus.OK
                    await response.read()

            figures = {
                "status_ms": await _timed(lambda: shop_overviews(ledger, SHOP)),
                "products_first_1000_ms": await _timed(lambda: lines(limit=1000)),
                "products_failed_ms": await _timed(
                    lambda: lines(statuses=[ProductStatus.FAILED_TO_SYNC])
                ),
                "products_search_sku_ms": await _timed(lambda: lines(search="SKU-9999-4")),
                "status_page_ms": await _timed(get_page),
            }
    finally:
        await server.stop()
    return figures
