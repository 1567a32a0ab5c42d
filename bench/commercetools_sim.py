"""The simulators of a commercetools benchmark config, in their own process.

    python bench/commercetools_sim.py CONFIG [--products N] [--variants M] [--listed]

As `bench/sim_process.py`, for a commercetools project: starts the TikTok Shop and
commercetools simulators the config names, generates a catalog through the neutral store
control in-process, and with `--listed` puts the mapped products on TikTok as Active listings
with the same seller SKUs. Prints one JSON line when ready; runs until its standard input
closes. Loopback only.
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
from simulators.commercetools import RunningCommercetools
from simulators.commercetools.state import Project
from simulators.commercetools.store_control import CommercetoolsStoreControl
from simulators.tiktok.model import Product, ProductStatus, Sku


def project_of(running: RunningSimulators, shop: str) -> Project:
    store = running.stores[shop]
    assert isinstance(store, RunningCommercetools), f"a commercetools store is needed: {store}"
    return store.simulator.project


def _list_on_tiktok(running: RunningSimulators, settings: Settings) -> int:
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
    project = project_of(running, shop_settings.name)
    now = state.now()
    listed = 0
    for product in project.products.values():
        kind = project.categories.get(product.category_ids[0]) if product.category_ids else None
        category = categories.get(kind or "")
        if category is None:
            continue
        skus = {}
        for variant in product.variants:
            sku_id = state.ids.sku.next()
            on_hand = sum(e.available for e in project.entries_of([variant.sku or ""]))
            skus[sku_id] = Sku(
                sku_id=sku_id,
                seller_sku=variant.sku,
                external_sku_id="",
                price=Decimal(variant.prices[0].cents) / 100,
                currency=tiktok_shop.currency,
                inventory={warehouse: on_hand},
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
                content={"title": next(iter(product.name.values())), "category_id": category},
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
        variants = listed = 0
        if args.products:
            project = project_of(running, settings.shops[0].name)
            made = await CommercetoolsStoreControl(project).generate(
                args.products, args.variants, 1
            )
            variants = sum(len(p.variants) for p in made)
        if args.listed:
            listed = _list_on_tiktok(running, settings)
        ready = {
            "ready": True,
            "variants": variants,
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
