"""Linking a catalog that is already on TikTok: 10,000 Shopify products (5 variants each) whose
seller SKUs TikTok already lists as Active products.

Set-up (not measured): the simulators in their own process, the store catalog generated and
listed on TikTok. Measured: the daemon's first catalog run (in this process, after `connect`),
which reads the store (one bulk operation), loads TikTok's listings once and links each store
product to the listing carrying its seller SKUs instead of creating a duplicate. Limits are
realistic: Shopify Standard (100 points/s), TikTok 50 requests/s per endpoint.

Figures: wall time of the run, products linked, TikTok calls in all and per product, Shopify
calls.
"""

from __future__ import annotations

import os
import time
from collections import Counter

from support import Harness, Setup, last_counts, progress

from daemon.ledger import Ledger

PRODUCTS = int(os.environ.get("BENCH_LINK_PRODUCTS", "10000"))  # e.g. 2500 to see the slope
VARIANTS = 5


async def main() -> dict[str, float]:
    setup = Setup(webhooks=False, map_all=True, restore_rate=100.0, tiktok_rate=50.0)
    async with Harness(setup, products=PRODUCTS, variants=VARIANTS, listed=True) as harness:
        progress(f"{harness.ready['listed']} products listed on TikTok; linking them ...")
        await harness.start_daemon()
        await harness.run("connect")
        await harness.forget_calls()
        started = time.perf_counter()
        await harness.run("catalog")
        wall = time.perf_counter() - started
        tiktok = Counter(call["operation"] for call in await harness.tiktok_calls())
        shopify = await harness.shopify_calls()
        await harness.stop_daemon()
        ledger = await Ledger.open(harness.ledger_path)
        try:
            counts = await last_counts(ledger, "catalog")
        finally:
            await ledger.close()
    linked = counts.get("linked", 0)
    calls = sum(tiktok.values())
    return {
        "link_products": PRODUCTS,
        "link_linked": linked,
        "link_created": counts.get("created", 0),
        "link_wall_s": round(wall, 1),
        "link_tiktok_calls": calls,
        "link_tiktok_calls_per_product": round(calls / max(1, linked), 4),
        "link_tiktok_writes": sum(
            n for op, n in tiktok.items() if op.startswith(("create", "edit", "update"))
        ),
        "link_shopify_calls": len(shopify),
    }
