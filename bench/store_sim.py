"""The simulators of any store kind's benchmark config, in their own process.

    python bench/store_sim.py CONFIG [--products N] [--variants M] [--listed]

Store-neutral: starts the TikTok Shop and store simulators the config names
(`daemon.simulate`), has the store generate N products of M variants through the neutral
control API (``POST /_sim/store/generate``), and with `--listed` lists every generated product
on TikTok as an Active product carrying the same seller SKUs, so the daemon links them instead
of creating them. Prints one JSON line when ready; runs until its standard input closes.
Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from daemon import log
from daemon.settings import Settings, load_settings
from daemon.simulate import RunningSimulators, start_simulators
from simulators.tiktok.model import Product, ProductStatus, Sku

LISTED_CATEGORY = "600024"  # any leaf: linking goes by seller SKU


async def _generate(url: str, products: int, variants: int) -> list[dict[str, Any]]:
    body = {"products": products, "variants": variants, "seed": 1}
    timeout = aiohttp.ClientTimeout(total=600)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(f"{url}/generate", json=body) as response,
    ):
        payload = await response.json()
        if response.status != 200:  # noqa: PLR2004 HTTP OK
            raise RuntimeError(f"generate: {response.status} {payload}")
    return list(payload["products"])


def _list_on_tiktok(
    running: RunningSimulators, settings: Settings, created: list[dict[str, Any]]
) -> int:
    warehouses = list(dict.fromkeys(rule.warehouse for rule in settings.shops[0].rules.locations))
    (simulator,) = running.tiktok.values()
    state = simulator.state
    (tiktok_shop,) = state.shops.values()
    now = state.now()
    for product in created:
        skus = {}
        for variant in product["variants"]:
            sku_id = state.ids.sku.next()
            skus[sku_id] = Sku(
                sku_id=sku_id,
                seller_sku=variant["sku"],
                external_sku_id="",
                price=Decimal("1.00"),
                currency=tiktok_shop.currency,
                inventory=dict.fromkeys(warehouses, 0),
                sales_attributes=[],
                identifier_code=None,
            )
        state.add_product(
            Product(
                product_id=state.ids.product.next(),
                shop_id=tiktok_shop.shop_id,
                status=ProductStatus.ACTIVATE,
                create_time=now,
                update_time=now,
                content={"title": product["title"], "category_id": LISTED_CATEGORY},
                skus=skus,
            )
        )
    return len(created)


async def _serve(args: argparse.Namespace) -> None:
    settings = load_settings(args.config)
    running = await start_simulators(settings, str(args.config))
    try:
        started = time.perf_counter()
        created: list[dict[str, Any]] = []
        if args.products:
            store = running.stores[settings.shops[0].name]
            created = await _generate(store.control_url, args.products, args.variants)
        listed = _list_on_tiktok(running, settings, created) if args.listed else 0
        ready = {
            "ready": True,
            "variants": sum(len(p["variants"]) for p in created),
            "listed": listed,
            "seconds": round(time.perf_counter() - started, 2),
        }
        sys.stdout.write(json.dumps(ready) + "\n")
        sys.stdout.flush()
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        await running.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=Path)
    parser.add_argument("--products", type=int, default=0)
    parser.add_argument("--variants", type=int, default=1)
    parser.add_argument("--listed", action="store_true")
    args = parser.parse_args()
    log.configure("warning")
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
