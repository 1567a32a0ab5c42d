"""The Shopify connector's catalog side on Admin GraphQL against the simulator: whole products
beyond 100 variants, bulk reads and their fallback, cost pacing, versions and scopes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from daemon.connectors.shopify import ShopifyClient, ShopifyClientOptions, ShopifySettings
from daemon.domain.models import BadRecord, Product
from daemon.errors import AuthError
from daemon.metrics import Metrics
from simulators.shopify import ShopifySimulator
from tests.support.shopify import SimControl, client_for, product, running

OPTIONS = ShopifyClientOptions(request_timeout=timedelta(seconds=5), bulk_poll_interval=0.05)


@pytest.fixture
async def shop() -> AsyncIterator[tuple[ShopifySimulator, SimControl, dict[str, Any]]]:
    async with running(graphql_restore_rate=20_000.0) as (simulator, control):
        variants = [
            {"sku": f"BIG-{n:04d}", "price": "2.00", "options": [f"V{n}"], "stock": n}
            for n in range(300)
        ]
        [big] = await control.load([product("Big", *variants, options=[{"name": "Size"}])])
        await control.load(
            [product(f"Small {n}", {"sku": f"S-{n}", "price": "3.00"}) for n in range(20)]
        )
        yield simulator, control, big


async def _all(client: ShopifyClient, **kwargs: Any) -> list[Product | BadRecord]:
    return [item async for item in client.products(**kwargs)]


def _big(items: list[Product | BadRecord]) -> Product:
    [found] = [p for p in items if isinstance(p, Product) and p.title == "Big"]
    return found


@pytest.mark.parametrize("bulk", [True, False])
async def test_a_product_of_300_variants_arrives_whole(shop: Any, bulk: bool) -> None:
    simulator, _, big = shop
    options = ShopifyClientOptions(
        request_timeout=timedelta(seconds=5), bulk=bulk, bulk_poll_interval=0.05
    )
    async with client_for(simulator, options) as client:
        items = await _all(client)
        assert len(items) == 21
        product_read = _big(items)
        assert [v.sku for v in product_read.variants] == [f"BIG-{n:04d}" for n in range(300)]
        assert product_read.variants[299].options == (("Size", "V299"),)
        assert product_read.id == str(big["id"])
        assert product_read.variants[5].stock_key == str(big["variants"][5]["inventory_item_id"])
        one = await client.product(str(big["id"]))
        assert one is not None
        assert len(one.variants) == 300
        levels = await client.stock_levels(
            [v.stock_key for v in product_read.variants if v.stock_key]
        )
        assert sorted(level.available for level in levels) == list(range(300))
        full_levels = await client.stock_changes(None)
        assert sorted(level.available for level in full_levels) == list(range(300))


async def test_a_failed_bulk_read_says_why_and_reads_by_pages(shop: Any) -> None:
    simulator, control, _ = shop
    await control.sim("POST", "bulk/outcome", {"status": "EXPIRED"})
    async with client_for(simulator, OPTIONS) as client:
        items = await _all(client)
        ids = [item.id for item in items]
        assert len(ids) == len(set(ids)) == 21  # each once, though the bulk read gave some
        [notice] = client.notices()
        assert "EXPIRED" in notice
        assert "read by pages" in notice


async def test_queries_wait_for_points_instead_of_being_throttled(shop: Any) -> None:
    simulator, control, _ = shop
    body = {"restore_rate": 3000, "maximum_available": 1000, "reset": True}
    await control.sim("POST", "bucket", body)
    try:
        options = ShopifyClientOptions(request_timeout=timedelta(seconds=5), bulk=False)
        async with client_for(simulator, options) as client:
            assert len(await _all(client)) == 21
            assert client.cost_pacer.waited > 0
            assert client.cost_pacer.restore_rate == 3000
        bucket = await control.sim("GET", "bucket")
        assert bucket["graphql"]["throttled"] == 0
    finally:
        await control.sim("POST", "bucket", {"restore_rate": 100, "reset": True})


async def test_a_retired_version_is_reported(shop: Any) -> None:
    simulator, _, _ = shop
    assert simulator.base_url is not None
    settings = ShopifySettings(
        shop_domain=simulator.config.shop_domain,
        base_url=simulator.base_url,
        api_version="2024-04",
        access_token=simulator.config.access_token,
    )
    async with ShopifyClient(settings, Metrics(), options=OPTIONS) as client:
        assert (await client.store_info()).currency == "GBP"
        notices = client.notices()
    assert any("2025-10" in n and "2024-04" in n for n in notices)
    assert any("deprecation" in n for n in notices)


async def test_a_token_without_read_products_is_an_auth_error(shop: Any) -> None:
    simulator, control, _ = shop
    token = "shpat_locations_only"
    await control.sim("POST", "tokens", {"add": [token], "scopes": {token: ["read_locations"]}})
    assert simulator.base_url is not None
    settings = ShopifySettings(
        shop_domain=simulator.config.shop_domain,
        base_url=simulator.base_url,
        access_token=token,
    )
    async with ShopifyClient(settings, Metrics(), options=OPTIONS) as client:
        assert await client.locations()
        with pytest.raises(AuthError) as caught:
            await _all(client, updated_since=None)
    assert "read_products" in str(caught.value)
    assert token not in str(caught.value)
