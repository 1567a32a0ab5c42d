"""Fixtures for the TikTok Shop simulator tests; the helpers live in `tiktok_sim_support`."""

from __future__ import annotations

import aiohttp
import pytest
from tiktok_sim_support import APP_KEY, APP_SECRET, SignedApi, create_product

from simulators.tiktok import SimulatorConfig, TikTokSimulator


@pytest.fixture
def sim_config() -> SimulatorConfig:
    return SimulatorConfig(
        app_key=APP_KEY, app_secret=APP_SECRET, review_seconds=60, tick_interval_seconds=0.05
    )


@pytest.fixture
async def simulator(sim_config):
    sim = TikTokSimulator(sim_config)
    await sim.start("127.0.0.1", 0)
    yield sim
    await sim.stop()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def api(simulator, session):
    """An authorized client for a seeded GB shop with two warehouses."""
    client = SignedApi(session, simulator.base_url)
    shop = await client.control(
        "POST",
        "/_sim/shops",
        {
            "warehouses": [
                {"name": "Manchester", "is_default": True},
                {"name": "London", "postal_code": "E1 6AN", "city": "London"},
            ]
        },
    )
    client.shop = shop
    await client.authorize(shop["shop_id"])
    return client


@pytest.fixture
def make_product():
    return create_product
