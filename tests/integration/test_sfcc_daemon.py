"""SFCC feeds in the running daemon: the feed alert runs the jobs at once, and a refused file
shows on the product list with its line and reason."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from daemon.domain import ProductStatus, RunOutcome
from daemon.ledger import products, runs
from tests.conftest import free_port, simulated_shop
from tests.support.stores.sfcc import SECRETS
from tests.support.world import World, open_world

CATALOG = "Impex/src/tiktok/catalog"


@pytest.fixture
async def world(write_config, tmp_path: Path) -> AsyncIterator[World]:
    shop = simulated_shop(free_port(), free_port(), kind="sfcc", store_extra='settle = "50ms"\n')
    config = write_config(
        f"""
        [daemon]
        drain_timeout = "5s"
        webhook_debounce = "10ms"
        [http]
        port = {free_port()}
        [ledger]
        path = "{tmp_path}/ledger.sqlite3"
        """
        + textwrap.indent(shop, "        ")
    )
    async with open_world(config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


def mug(sku: str) -> dict[str, object]:
    return {
        "title": f"Mug {sku}",
        "category": "Mug",
        "images": ["/cdn/test/mug_800x800.jpg"],
        "variants": [
            {"sku": sku, "price": "12.50", "barcode": "5000000000017", "weight_kg": "0.4"}
        ],
    }


async def test_the_feed_alert_is_checked_and_runs_the_catalog_at_once(world: World) -> None:
    await world.store("POST", "products", {"products": [mug("ALERT-1")]})
    url = f"http://127.0.0.1:{world.daemon.settings.http.port}/feeds/sfcc/uk"
    async with world.session.post(url, headers={"X-Feed-Secret": "wrong"}) as answer:
        assert answer.status == 401
    async with world.session.post(url, headers={"X-Feed-Secret": SECRETS[1]}) as answer:
        assert answer.status == 200
    for _ in range(100):
        async with world.daemon.ledger.read() as tx:
            record = await products.get_product(tx, "uk", "ALERT-1")
        if record is not None:
            break
        await asyncio.sleep(0.05)
    assert record is not None, "the alert did not run the catalog"
    async with world.daemon.ledger.read() as tx:
        assert await runs.recent_runs(tx, "uk", "catalog", 1)


async def test_a_refused_file_is_on_the_product_list_with_line_and_reason(world: World) -> None:
    base = world.simulators.stores["uk"].base_url
    content = (
        '<?xml version="1.0"?>\n<catalog xmlns="http://www.demandware.com/xml/impex/catalog/'
        '2006-10-31" catalog-id="c">\n<product product-id="x">\n<flavour/>\n</product>\n</catalog>'
    )
    body = {"folder": CATALOG, "name": "broken.xml", "content": content}
    async with world.session.post(f"{base}/_sim/sfcc/files", json=body) as answer:
        assert answer.status == 200
    assert await world.run("catalog") is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        record = await products.get_product(tx, "uk", f"feed:{CATALOG}/broken.xml")
        assert await products.get_product(tx, "uk", "x") is None
    assert record is not None
    assert record.status is ProductStatus.FAILED_TO_SYNC
    assert record.reason is not None
    assert "line 4" in record.reason
    assert "flavour" in record.reason
