"""The simulators of any store kind's benchmark config, in their own process.

    python bench/store_sim.py CONFIG [--products N] [--variants M] [--listed] [--filler F]

Store-neutral: starts the TikTok Shop and store simulators the config names
(`daemon.simulate`), has the store generate N products of M variants through the neutral
control API (``POST /_sim/store/generate``), and with `--listed` lists every generated product
on TikTok as an Active product carrying the same seller SKUs, so the daemon links them instead
of creating them. `--filler` adds F single-SKU products in a category no benchmark config maps
(``Unlisted``), stocked at the store's first location. Prints one JSON line when ready; runs
until its standard input closes. Loopback only.

Shopify's `sim_process.py` runs on the same `serve` and `add_listing`, with its own catalog.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from daemon import log
from daemon.settings import Settings, load_settings
from daemon.simulate import RunningSimulators, start_simulators
from simulators.tiktok.model import Product, ProductStatus, Sku
from simulators.tiktok.state import SimState

LISTED_CATEGORY = "600024"  # any leaf: linking goes by seller SKU
UNLISTED = "Unlisted"  # the filler's category
FILLER_BATCH = 1_000  # filler products a call (about 150 kB of JSON)


async def _call(url: str, path: str, body: Any = None) -> dict[str, Any]:
    """One call to the store's neutral control API (long ones: a whole catalog at once)."""
    timeout = aiohttp.ClientTimeout(total=600)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.request("GET" if body is None else "POST", f"{url}/{path}", json=body) as answer,
    ):
        payload: dict[str, Any] = await answer.json()
        if answer.status != 200:  # noqa: PLR2004 HTTP OK
            raise RuntimeError(f"{path}: {answer.status} {payload}")
    return payload


async def _generate(url: str, products: int, variants: int) -> list[dict[str, Any]]:
    body = {"products": products, "variants": variants, "seed": 1}
    return list((await _call(url, "generate", body))["products"])


async def _filler(url: str, count: int) -> int:
    """`count` single-SKU products no benchmark maps, stocked at the first location."""
    if not count:
        return 0
    location = (await _call(url, "locations"))["locations"][0]["id"]
    specs = [
        {
            "title": f"Filler {n}",
            "category": UNLISTED,
            "variants": [
                {
                    "sku": f"FILL-{n}",
                    "price": "1.00",
                    "stock": [{"location": location, "available": n % 50}],
                }
            ],
        }
        for n in range(count)
    ]
    made = 0
    for start in range(0, count, FILLER_BATCH):  # a simulator takes bodies up to 1 MiB
        batch = {"products": specs[start : start + FILLER_BATCH]}
        made += len((await _call(url, "products", batch))["products"])
    return made


# One SKU of a TikTok listing: seller SKU, price, quantity per warehouse.
ListedSku = tuple[str, Decimal, dict[str, int]]


def add_listing(state: SimState, title: str, category: str, skus: Iterable[ListedSku]) -> None:
    """An Active listing in the TikTok simulator's one shop, carrying these seller SKUs."""
    (tiktok_shop,) = state.shops.values()
    listed = {}
    for seller_sku, price, inventory in skus:
        sku_id = state.ids.sku.next()
        listed[sku_id] = Sku(
            sku_id=sku_id,
            seller_sku=seller_sku,
            external_sku_id="",
            price=price,
            currency=tiktok_shop.currency,
            inventory=inventory,
            sales_attributes=[],
            identifier_code=None,
        )
    now = state.now()
    state.add_product(
        Product(
            product_id=state.ids.product.next(),
            shop_id=tiktok_shop.shop_id,
            status=ProductStatus.ACTIVATE,
            create_time=now,
            update_time=now,
            content={"title": title, "category_id": category},
            skus=listed,
        )
    )


def _list_on_tiktok(
    running: RunningSimulators, settings: Settings, created: list[dict[str, Any]]
) -> int:
    warehouses = list(dict.fromkeys(rule.warehouse for rule in settings.shops[0].rules.locations))
    (simulator,) = running.tiktok.values()
    for product in created:
        skus = [
            (v["sku"], Decimal("1.00"), dict.fromkeys(warehouses, 0)) for v in product["variants"]
        ]
        add_listing(simulator.state, product["title"], LISTED_CATEGORY, skus)
    return len(created)


async def _load(
    running: RunningSimulators, settings: Settings, args: argparse.Namespace
) -> dict[str, int]:
    created: list[dict[str, Any]] = []
    url = running.stores[settings.shops[0].name].control_url
    if args.products:
        created = await _generate(url, args.products, args.variants)
    return {
        "variants": sum(len(p["variants"]) for p in created),
        "listed": _list_on_tiktok(running, settings, created) if args.listed else 0,
        "filler": await _filler(url, args.filler),
    }


# What a benchmark's simulators process loads once they listen: figures for its ready line.
Load = Callable[[RunningSimulators, Settings, argparse.Namespace], Awaitable[dict[str, int]]]


def arguments() -> argparse.ArgumentParser:
    """The command line every benchmark's simulators process takes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=Path)
    parser.add_argument("--products", type=int, default=0)
    parser.add_argument("--variants", type=int, default=1)
    parser.add_argument("--listed", action="store_true")
    return parser


def serve(parser: argparse.ArgumentParser, load: Load) -> int:
    """Start the config's simulators, `load` them, print the ready line, run until standard
    input closes."""
    args = parser.parse_args()
    log.configure("warning")
    asyncio.run(_serve(args, load))
    return 0


async def _serve(args: argparse.Namespace, load: Load) -> None:
    settings = load_settings(args.config)
    running = await start_simulators(settings, str(args.config))
    try:
        started = time.perf_counter()
        figures = await load(running, settings, args)
        ready = {"ready": True, **figures, "seconds": round(time.perf_counter() - started, 2)}
        sys.stdout.write(json.dumps(ready) + "\n")
        sys.stdout.flush()
        # Until the benchmark closes our standard input (or goes away).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        await running.stop()


def main() -> int:
    parser = arguments()
    parser.add_argument("--filler", type=int, default=0)
    return serve(parser, _load)


if __name__ == "__main__":
    raise SystemExit(main())
