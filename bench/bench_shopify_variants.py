"""A Shopify product with 2,000 variants read whole, at the Standard plan's 100 points/s.

The Shopify simulator (in this process: one product is too small for its work to matter)
holds one product of 2,000 variants (Shopify allows 2,048) next to 99 small ones. Measured,
each with a fresh client and a full points bucket:

- the whole catalog by a bulk operation (`products()`, what a reconciliation does);
- the same by pages (`bulk = False`): the big product's first 10 variants come with its page,
  the rest in pages of 100;
- the big product alone (`product(id)`, what a webhook's targeted run does): its first page
  says it has more than 200 variants, so it is read alone by a bulk operation.

Figures: wall time, variants read (all 2,000 each time), Shopify GraphQL calls and the points
they cost (`actualQueryCost`, summed by the client's pacer), and the time the pacer waited.
"""

from __future__ import annotations

import time
from datetime import timedelta

from support import progress

from daemon.connectors.shopify import ShopifyClient, ShopifyClientOptions, ShopifySettings
from daemon.domain.models import Product
from daemon.metrics import Metrics
from simulators.kit.calls import CallQuery
from simulators.shopify import ShopifySimulator, ShopifySimulatorConfig
from simulators.shopify.catalog import load_catalog
from simulators.shopify.catalog_spec import CatalogSpec

VARIANTS = 2_000
SMALL = 99
POINTS = 100.0


def _catalog() -> CatalogSpec:
    big = {
        "title": "Every size and colour",
        "options": [{"name": "Size"}, {"name": "Colour"}],
        "variants": [
            {
                "sku": f"BIG-{n:04d}",
                "price": "19.99",
                "options": [f"S{n // 40}", f"C{n % 40}"],
                "stock": n % 17,
            }
            for n in range(VARIANTS)
        ],
    }
    small = [
        {"title": f"Small {n}", "variants": [{"sku": f"SMALL-{n}", "price": "5.00", "stock": 3}]}
        for n in range(SMALL)
    ]
    return CatalogSpec.model_validate({"products": [big, *small], "webhooks": False})


async def _measure(
    simulator: ShopifySimulator, what: str, *, bulk: bool, product_id: str | None = None
) -> dict[str, float]:
    assert simulator.base_url is not None
    simulator.shop.points.configure(rate=POINTS, maximum=None, reset=True)
    simulator.shop.calls.clear()
    settings = ShopifySettings(
        shop_domain=simulator.config.shop_domain,
        base_url=simulator.base_url,
        access_token=simulator.config.access_token,
        restore_rate=POINTS,
    )
    options = ShopifyClientOptions(
        request_timeout=timedelta(seconds=30),
        restore_rate=POINTS,
        bulk=bulk,
        bulk_poll_interval=0.2,
    )
    started = time.perf_counter()
    async with ShopifyClient(settings, Metrics(), options=options) as client:
        if product_id is None:
            items = [item async for item in client.products()]
        else:
            items = [await client.product(product_id)]
        pacer = client.cost_pacer
    wall = time.perf_counter() - started
    big = [p for p in items if isinstance(p, Product) and len(p.variants) > 1]
    if len(big) != 1 or len(big[0].variants) != VARIANTS:
        raise RuntimeError(f"{what}: the big product did not arrive whole")
    calls = [
        c for c in simulator.shop.calls.select(CallQuery()) if c.endpoint.startswith("graphql")
    ]
    return {
        f"{what}_wall_s": round(wall, 2),
        f"{what}_variants": len(big[0].variants),
        f"{what}_graphql_calls": len(calls),
        f"{what}_points": pacer.spent,
        f"{what}_waited_s": round(pacer.waited, 2),
    }


async def main() -> dict[str, float]:
    simulator = ShopifySimulator(ShopifySimulatorConfig(graphql_restore_rate=POINTS))
    await simulator.start()
    try:
        [big, *_] = load_catalog(simulator.shop, _catalog())
        progress(f"one product of {VARIANTS} variants and {SMALL} small ones; reading ...")
        figures = await _measure(simulator, "variants2000_bulk", bulk=True)
        figures |= await _measure(simulator, "variants2000_pages", bulk=False)
        figures |= await _measure(
            simulator, "variants2000_one_product", bulk=True, product_id=str(big["id"])
        )
    finally:
        await simulator.stop()
    return figures
