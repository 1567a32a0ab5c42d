"""The platform simulators of a benchmark config, in their own process (the "remote" platforms).

    python bench/sim_process.py CONFIG [--products N] [--variants M] [--listed]

Starts the TikTok Shop and Shopify simulators the config names (`daemon.simulate`), loads a
generated catalog of N products with M variants into the Shopify simulator in-process, and with
`--listed` also puts those of its products that the config maps onto TikTok as Active listings
carrying the same seller SKUs (so the daemon links them instead of creating them). It prints one
JSON line when ready and runs until its standard input closes. Loopback only.

A separate process keeps the simulators' own work (rendering CDN images, parsing uploads,
holding a 50,000-SKU catalog) off the daemon's event loop, its CPU core and its memory figures.
The store's CDN serves stored images (one encoding per size and format, see `_stored_images`).
"""

from __future__ import annotations

import argparse
import re
from datetime import timedelta
from decimal import Decimal

from store_sim import add_listing, arguments, serve

from daemon.settings import Settings
from daemon.simulate import RunningSimulators
from simulators.shopify import RunningShopify, ShopifySimulator, cdn
from simulators.shopify.catalog import load_catalog
from simulators.shopify.generate import generate_catalog

_SHAPE = re.compile(r"_\d{1,5}x\d{1,5}\.\w+$")  # "_800x800.webp": size and format


def _stored_images() -> None:
    """Serve each (size, format) of the store's CDN images from one encoding.

    The simulator renders every image path anew (Pillow, tens of milliseconds for WebP and
    GIF), work a real CDN does once when the merchant uploads. Sharing one rendering per size
    and format keeps every format the daemon must download and convert, minus that cost.
    """
    rendered: dict[str, tuple[bytes, str] | None] = {}
    original = cdn.render

    def render(path: str) -> tuple[bytes, str] | None:
        match = _SHAPE.search(path)
        key = match[0] if match else path
        if key not in rendered:
            rendered[key] = original(f"bench/{key}")
        return rendered[key]

    cdn.render = render  # type: ignore[assignment]  # the route looks it up at each request


def shopify_sim(running: RunningSimulators, shop: str) -> ShopifySimulator:
    """The benchmarks drive the Shopify simulator in-process (bulk catalog loads)."""
    store = running.stores[shop]
    assert isinstance(store, RunningShopify), f"benchmarks need a Shopify store, not {store}"
    return store.simulator


def _list_on_tiktok(running: RunningSimulators, settings: Settings) -> int:
    """Active TikTok listings for every mapped store product, linked by seller SKU."""
    shop_settings = settings.shops[0]
    categories = {
        rule.value: rule.category_id
        for rule in shop_settings.catalog.categories
        if rule.match_by == "product_type"
    }
    warehouse = shop_settings.rules.locations[0].warehouse
    (simulator,) = running.tiktok.values()
    store = shopify_sim(running, shop_settings.name).shop.state
    listed = 0
    for record in store.products.values():
        category = categories.get(record.product_type or "")
        if category is None:
            continue
        skus = []
        for variant in record.variants:
            levels = store.levels.get(variant.inventory_item_id, {}).values()
            stock = {warehouse: sum(level.available for level in levels)}
            skus.append((variant.sku or "", Decimal(variant.price), stock))
        add_listing(simulator.state, record.title, category, skus)
        listed += 1
    return listed


def _age(store: ShopifySimulator) -> None:
    """Date the generated catalog a day back, as a merchant's catalog last edited yesterday
    (not within the minutes of overlap every delta read re-reads)."""
    day = timedelta(days=1)
    state = store.shop.state
    for product in state.products.values():
        product.created_at -= day
        product.updated_at -= day
        for variant in product.variants:
            variant.created_at -= day
            variant.updated_at -= day
    for levels in state.levels.values():
        for level in levels.values():
            level.updated_at -= day


async def _load(
    running: RunningSimulators, settings: Settings, args: argparse.Namespace
) -> dict[str, int]:
    variants = listed = 0
    if args.products:
        store = shopify_sim(running, settings.shops[0].name)
        spec = generate_catalog(args.products, args.variants)
        variants = sum(len(p["variants"]) for p in load_catalog(store.shop, spec))
        _age(store)
    if args.listed:
        listed = _list_on_tiktok(running, settings)
    return {"variants": variants, "listed": listed}


def main() -> int:
    _stored_images()
    return serve(arguments(), _load)


if __name__ == "__main__":
    raise SystemExit(main())
