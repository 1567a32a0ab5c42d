"""SFCC feeds in the running daemon: the feed alert runs the jobs at once, and a refused file
shows on the product list with its line and reason."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from daemon.domain import ProductStatus, RunOutcome
from daemon.ledger import products
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


async def drop(world: World, folder: str, name: str, content: str) -> None:
    """A file dropped as is (with its marker): no export job, so no alert follows it."""
    base = world.simulators.stores["uk"].base_url
    body = {"folder": folder, "name": name, "content": content}
    async with world.session.post(f"{base}/_sim/sfcc/files", json=body) as answer:
        assert answer.status == 200


async def catalog_record(world: World, product_id: str) -> products.ProductRecord | None:
    async with world.daemon.ledger.read() as tx:
        return await products.get_product(tx, "uk", product_id)


MUG = (
    '<?xml version="1.0"?>\n<catalog xmlns="http://www.demandware.com/xml/impex/catalog/'
    '2006-10-31" catalog-id="c"><product product-id="ALERT-1"><display-name '
    'xml:lang="x-default">Alert mug</display-name><online-flag>true</online-flag></product>'
    "</catalog>"
)


async def test_the_feed_alert_is_checked_and_runs_the_catalog_at_once(world: World) -> None:
    await drop(world, CATALOG, "alerted.xml", MUG)
    url = f"http://127.0.0.1:{world.daemon.settings.http.port}/feeds/sfcc/uk"
    async with world.session.post(url, headers={"X-Feed-Secret": "wrong"}) as answer:
        assert answer.status == 401
    await asyncio.sleep(0.3)
    assert await catalog_record(world, "ALERT-1") is None  # nothing runs without the alert
    async with world.session.post(url, headers={"X-Feed-Secret": SECRETS[1]}) as answer:
        assert answer.status == 200
    for _ in range(100):
        if await catalog_record(world, "ALERT-1") is not None:
            break
        await asyncio.sleep(0.05)
    assert await catalog_record(world, "ALERT-1") is not None, "the alert did not run the catalog"


async def test_a_refused_file_is_on_the_product_list_with_line_and_reason(world: World) -> None:
    content = (
        '<?xml version="1.0"?>\n<catalog xmlns="http://www.demandware.com/xml/impex/catalog/'
        '2006-10-31" catalog-id="c">\n<product product-id="x">\n<flavour/>\n</product>\n</catalog>'
    )
    await drop(world, CATALOG, "broken.xml", content)
    assert await world.run("catalog") is RunOutcome.OK
    async with world.daemon.ledger.read() as tx:
        record = await products.get_product(tx, "uk", f"feed:{CATALOG}/broken.xml")
        assert await products.get_product(tx, "uk", "x") is None
    assert record is not None
    assert record.status is ProductStatus.FAILED_TO_SYNC
    assert record.reason is not None
    assert "line 4" in record.reason
    assert "flavour" in record.reason
