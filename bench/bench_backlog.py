"""A publish backlog under TikTok's rate limit: the first catalog run over 5,000 new products.

Every product is new and mapped, so the catalog job downloads its images (converting WebP and
GIF to JPEG), uploads them, creates the listing and reads it back. The TikTok simulator holds
each endpoint to 50 requests per second per shop (the reported platform limit) and answers
429 above it; the daemon's client paces itself at the same 50/s per endpoint. Shopify's side
is not the subject here: its bucket and the client's pacing are raised to 1,000 calls/s (the
Shopify calls per product are reported, to judge what a real plan would allow).

Figures: the wall time of that catalog run, the achieved create rate against the 50/s limit,
the image upload rate against the same limit (each product needs about two images, and
uploads share one 50/s budget, so they cap creates at 50 / images-per-product), and the 429s.
"""

from __future__ import annotations

import time
from collections import Counter

from support import Harness, Setup, progress

PRODUCTS = 5_000
VARIANTS = 2
TIKTOK_LIMIT = 50.0  # requests per second per (shop, endpoint), simulator and client alike
SHOPIFY_RATE = 1_000.0  # calls per second: Shopify kept out of the way


async def main() -> dict[str, float]:
    setup = Setup(tiktok_rate=TIKTOK_LIMIT, map_all=True)
    async with Harness(setup, products=PRODUCTS, variants=VARIANTS) as harness:
        await harness.tiktok_rate_limit(TIKTOK_LIMIT)
        await harness.shopify_bucket(size=int(SHOPIFY_RATE), leak_rate=SHOPIFY_RATE)
        await harness.shopify_webhooks(on=False)
        await harness.start_daemon()
        await harness.run("connect")
        await harness.forget_calls()
        progress(f"publishing {PRODUCTS} new products ({VARIANTS} variants each) ...")
        started = time.perf_counter()
        counts = await harness.run("catalog")
        wall = time.perf_counter() - started
        tiktok = await harness.tiktok_calls()
        shopify = await harness.shopify_calls()
    created = counts.get("created", 0)
    if created != PRODUCTS:
        raise RuntimeError(f"expected {PRODUCTS} creates, the run counted {dict(counts)}")
    by_operation = Counter(call["operation"] for call in tiktok if call["status"] != 429)  # noqa: PLR2004 HTTP 429
    throttled = sum(1 for call in tiktok if call["status"] == 429)  # noqa: PLR2004 HTTP 429
    uploads = by_operation["upload_product_image"]
    per_product = uploads / created
    ceiling = TIKTOK_LIMIT / max(1.0, per_product)  # creates/s the upload budget allows
    return {
        "backlog_products_created": created,
        "backlog_wall_s": round(wall, 1),
        "backlog_creates_per_s": round(created / wall, 2),
        "backlog_creates_fraction_of_50ps_limit": round(created / wall / TIKTOK_LIMIT, 3),
        "backlog_image_uploads": uploads,
        "backlog_uploads_per_s": round(uploads / wall, 2),
        "backlog_uploads_fraction_of_50ps_limit": round(uploads / wall / TIKTOK_LIMIT, 3),
        "backlog_creates_ceiling_by_uploads_per_s": round(ceiling, 2),
        "backlog_creates_fraction_of_upload_ceiling": round(created / wall / ceiling, 3),
        "backlog_tiktok_429_answers": throttled,
        "backlog_tiktok_calls": len(tiktok),
        "backlog_shopify_calls_per_product": round(len(shopify) / created, 2),
        "backlog_shopify_pacing_calls_per_s": SHOPIFY_RATE,
    }
