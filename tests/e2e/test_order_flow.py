"""The order story end to end: `ttsync run` as a process against both simulators, driven only
through what buyers, the merchant and TikTok do.

Orders wait out the ON_HOLD window and are imported once; the merchant ships one with a mapped
carrier ("Hermes" → Evri) and one with an unknown carrier (→ Royal Mail) and both show as
shipped on TikTok; a buyer's cancellation before import creates nothing; one after import (the
buyer asks, TikTok approves when the seller does not answer) cancels the Shopify order.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from daemon.settings import load_settings
from daemon.simulate import RunningSimulators, start_simulators
from tests.support.daemon_process import start_daemon
from tests.support.orders import link_products, order_config, store_orders, tiktok_order
from tests.support.shopify import shopify_sim

SCHEDULES = """
[shops.schedules]
catalog = "off"
inventory = "off"
price = "off"
orders = "3s"
fulfillment = "3s"
cancellations = "3s"
"""

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def config(write_config, tmp_path: Path) -> Path:
    return order_config(write_config, tmp_path, store="restore_rate = 1000.0\n", shop=SCHEDULES)


@pytest.fixture
async def simulators(config: Path) -> AsyncIterator[RunningSimulators]:
    running = await start_simulators(load_settings(config), str(config))
    try:
        yield running
    finally:
        await running.stop()


class Drive:
    """Acting as buyers, the merchant and TikTok through the simulators' control APIs."""

    def __init__(self, simulators: RunningSimulators, session: aiohttp.ClientSession) -> None:
        self.simulators = simulators
        self.session = session
        (self.tiktok_url,) = simulators.tiktok
        self.shopify_url = shopify_sim(simulators).base_url

    async def call(self, method: str, url: str, body: object = None) -> dict:
        async with self.session.request(method, url, json=body) as response:
            payload = await response.json()
            assert response.status < 400, payload
            return payload

    async def tiktok(self, method: str, path: str, body: object = None) -> dict:
        return await self.call(method, f"{self.tiktok_url}/_sim/{path}", body)

    async def shopify(self, method: str, path: str, body: object = None) -> dict:
        return await self.call(method, f"{self.shopify_url}/_sim/{path}", body)

    async def order(self, sku: str) -> str:
        placed = await self.tiktok("POST", "orders", {"items": [{"sku_id": sku, "quantity": 1}]})
        return str(placed["id"])

    def store_order(self, order_id: str) -> int:
        (copy,) = store_orders(self.simulators)[order_id]
        return copy.id


async def until(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.1)


def package(simulators: RunningSimulators, order_id: str) -> tuple[str, str] | None:
    (simulator,) = simulators.tiktok.values()
    order = simulator.state.orders[order_id]
    if not order.package_ids:
        return None
    shipped = simulator.state.packages[order.package_ids[0]]
    return shipped.provider_name, shipped.tracking_number


async def test_orders_import_ship_and_cancel_through_the_daemon(
    config: Path, simulators: RunningSimulators, tmp_path: Path
) -> None:
    setup = config.with_name("setup.toml")
    setup.write_text(config.read_text().replace(SCHEDULES, ""), encoding="utf-8")
    sku = (await link_products(setup, simulators, ["E2E-1"]))["E2E-1"]
    async with aiohttp.ClientSession() as session:
        drive = Drive(simulators, session)
        await drive.tiktok(
            "PUT", "settings", {"on_hold_seconds": 2, "buyer_cancel_response_seconds": 1}
        )
        daemon = await start_daemon(config, tmp_path / "daemon.log")
        try:
            await run_the_story(drive, simulators, sku)
        finally:
            daemon.send_signal(signal.SIGTERM)
            await asyncio.wait_for(daemon.wait(), 20)
    assert daemon.returncode == 0, (tmp_path / "daemon.log").read_text()[-3000:]


async def run_the_story(drive: Drive, simulators: RunningSimulators, sku: str) -> None:
    hermes, unknown, later, early = [await drive.order(sku) for _ in range(4)]
    await drive.tiktok("POST", f"orders/{early}/buyer_cancel", {})  # still on hold: free

    wanted = {hermes, unknown, later}
    await until(lambda: wanted <= set(store_orders(simulators)), "the held orders are imported")
    await asyncio.sleep(4)  # a few more polls and cancellation runs
    assert early not in store_orders(simulators)
    assert all(len(store_orders(simulators)[o]) == 1 for o in wanted)

    for order_id, carrier, number in ((hermes, "Hermes", "H1234567"), (unknown, "Acme", "AC-99")):
        body = {"tracking_company": carrier, "tracking_number": number}
        await drive.shopify("POST", f"orders/{drive.store_order(order_id)}/fulfil", body)
    await until(
        lambda: (
            package(simulators, hermes) == ("Evri", "H1234567")
            and package(simulators, unknown) == ("Royal Mail", "AC-99")
        ),
        "both shipments reach TikTok",
    )
    assert tiktok_order(simulators, hermes).status.value == "AWAITING_COLLECTION"
    await until(
        lambda: "TikTok: Awaiting collection" in store_orders(simulators)[hermes][0].tags,
        "the store order shows the new TikTok status",
    )

    await drive.tiktok("POST", f"orders/{later}/buyer_cancel", {})  # TikTok approves in 1 s
    await until(
        lambda: store_orders(simulators)[later][0].cancelled_at is not None,
        "the store order is cancelled",
    )
    assert store_orders(simulators)[later][0].cancel_reason == "customer"
    assert set(store_orders(simulators)) == wanted
