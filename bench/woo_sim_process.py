"""The simulators of a WooCommerce benchmark config, in their own process.

    python bench/woo_sim_process.py CONFIG [--products N] [--variants M] [--listed]

As `sim_process.py` for Shopify: starts the TikTok Shop and WooCommerce simulators the config
names, generates N products of M variants in the WooCommerce simulator in-process, and with
`--listed` lists every product whose category the config maps on TikTok as Active, carrying
the same seller SKUs. Prints one JSON line when ready; runs until its standard input closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

from sim_process import _stored_images

from daemon import log
from daemon.settings import Settings, load_settings
from daemon.simulate import RunningSimulators, start_simulators
from simulators.tiktok.model import Product, ProductStatus, Sku
from simulators.woocommerce import RunningWoo
from simulators.woocommerce.generate import generate
from simulators.woocommerce.records import Item
from simulators.woocommerce.state import Store


def woo_store(running: RunningSimulators, shop: str) -> Store:
    store = running.stores[shop]
    assert isinstance(store, RunningWoo), f"this benchmark needs a WooCommerce store, not {store}"
    return store.simulator.store


def _list_on_tiktok(
    running: RunningSimulators, settings: Settings, catalog: list[tuple[Item, list[Item]]]
) -> int:
    shop_settings = settings.shops[0]
    categories = {
        rule.value: rule.category_id
        for rule in shop_settings.catalog.categories
        if rule.match_by == "product_type"
    }
    warehouse = shop_settings.rules.locations[0].warehouse
    (simulator,) = running.tiktok.values()
    state = simulator.state
    (tiktok_shop,) = state.shops.values()
    now = state.now()
    listed = 0
    for product, items in catalog:
        category = categories.get(product.category or "")
        if category is None:
            continue
        skus = {}
        for item in items:
            sku_id = state.ids.sku.next()
            skus[sku_id] = Sku(
                sku_id=sku_id,
                seller_sku=item.sku,
                external_sku_id="",
                price=Decimal(item.price),
                currency=tiktok_shop.currency,
                inventory={warehouse: item.stock_quantity or 0},
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
                content={"title": product.name, "category_id": category},
                skus=skus,
            )
        )
        listed += 1
    return listed


async def _serve(args: argparse.Namespace) -> None:
    settings = load_settings(args.config)
    _stored_images()
    running = await start_simulators(settings, str(args.config))
    try:
        started = time.perf_counter()
        catalog = generate(woo_store(running, settings.shops[0].name), args.products, args.variants)
        listed = _list_on_tiktok(running, settings, catalog) if args.listed else 0
        ready = {
            "ready": True,
            "variants": sum(len(items) for _, items in catalog),
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
