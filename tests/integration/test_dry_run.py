"""`ttsync run --once --dry-run`: everything validated and reported, nothing changed on TikTok."""

from __future__ import annotations

import aiohttp

from daemon.runtime import serve
from daemon.settings import load_settings
from tests.support.shopify import shopify_sim
from tests.support.world import item, variant


async def test_dry_run_reports_and_writes_nothing(simulated_config, simulators, capsys) -> None:
    shopify = f"{shopify_sim(simulators).base_url}/_sim"
    (tiktok,) = simulators.tiktok
    products = [
        item("Fine mug", variant("DRY-1")),
        item("Mug without code", variant("DRY-2", barcode=None)),
    ]
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{shopify}/catalog", json={"products": products}) as response:
            assert response.status == 200
        code = await serve(load_settings(simulated_config), once=True, dry_run=True)
        async with session.get(f"{tiktok}/_sim/calls") as response:
            calls = (await response.json())["calls"]
    out = capsys.readouterr().out
    assert code == 0
    assert "Dry run: nothing was changed on TikTok." in out
    assert "would_create 1" in out
    assert "product" in out
    assert "[barcode]" in out
    assert "DRY-2" in out
    written = {c["operation"] for c in calls} & {
        "create_product",
        "edit_product",
        "update_inventory",
        "update_price",
        "deactivate_products",
    }
    assert written == set()
    assert "check_listing" in {c["operation"] for c in calls}
