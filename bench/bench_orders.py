"""Order import: latency from a TikTok order to its Shopify order, and a burst of 2,000 orders.

The daemon runs in-process, the simulators in a child process (`support.Harness`), with four
products published, Active and linked. Orders are placed through the TikTok simulator's
`/_sim/orders` as buyers would, straight at AWAITING_SHIPMENT (past the hold). An order counts
as imported when the daemon's ledger holds its Shopify order id (the create has returned).

- By webhook: TikTok's ORDER_STATUS_CHANGE webhook reaches the daemon, which runs a targeted
  import after `webhook_debounce` (50 ms here; 1 s by default). No scheduled runs.
- By polling: no webhooks; the orders job runs every second (default 2 minutes), so a sample
  waits for the next poll (uniform over the second) plus the import itself.
- Burst: 2,000 orders placed with webhooks off, then one scheduled-style run imports them all
  (20 search pages). Duplicates are counted in the Shopify simulator: every TikTok order id
  must be on exactly one Shopify order.

Shopify's bucket is opened wide (size 1,000, leak 1,000/s) and the daemon paced to match, so
the figures are the daemon's own; on a Standard plan (2 calls/s) the store bounds imports at
about 2 orders a second. TikTok keeps its 50 calls/s per endpoint.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from support import SHOP, Harness, Setup, percentile, progress, wait_until

from daemon.domain import OrderPhase
from daemon.ledger import orders
from daemon.runtime.scheduler import Scheduler

PRODUCTS = 4
SAMPLES = 30
BURST = 2_000
DEBOUNCE_MS = 50
POLL_INTERVAL_S = 1
SAMPLE_TIMEOUT_S = 15.0
GAP_S = 0.15  # between webhook samples, so that debounce windows never merge two samples
WIDE_OPEN = {"size": 1000, "leak_rate": 1000, "restore_rate": 10_000, "reset": True}


async def main() -> dict[str, float]:
    progress(f"webhook path ({SAMPLES} samples, debounce {DEBOUNCE_MS} ms) ...")
    webhook = await _latency(webhooks=True)
    progress(f"polling path ({SAMPLES} samples, orders every {POLL_INTERVAL_S}s) ...")
    polling = await _latency(webhooks=False)
    progress(f"burst of {BURST} orders ...")
    burst = await _burst()
    return {
        "order_webhook_p50_ms": round(percentile(webhook, 0.5) * 1000, 1),
        "order_webhook_p95_ms": round(percentile(webhook, 0.95) * 1000, 1),
        "order_polling_p50_ms": round(percentile(polling, 0.5) * 1000, 1),
        "order_polling_p95_ms": round(percentile(polling, 0.95) * 1000, 1),
        "order_polling_interval_s": POLL_INTERVAL_S,
        **burst,
    }


def _setup(*, orders_every: str) -> Setup:
    return Setup(
        webhook_debounce=f"{DEBOUNCE_MS}ms",
        schedules={"orders": orders_every},
        restore_rate=10_000.0,
        map_all=True,
    )


async def _ready(harness: Harness) -> list[str]:
    """Publish the products; the TikTok SKU ids the ledger links."""
    await harness.shopify_control("POST", "bucket", WIDE_OPEN)
    await harness.publish_and_activate()
    async with harness.daemon.ledger.read() as tx:
        rows = await tx.fetchall(
            "SELECT tiktok_sku_id FROM skus WHERE shop_id = ? AND tiktok_sku_id IS NOT NULL",
            (SHOP,),
        )
    return [str(row[0]) for row in rows]


async def _place(harness: Harness, skus: list[str], rng: random.Random) -> str:
    chosen = rng.sample(skus, min(len(skus), rng.randint(1, 2)))
    body = {
        "items": [{"sku_id": sku, "quantity": rng.randint(1, 2)} for sku in chosen],
        "status": "AWAITING_SHIPMENT",
        "force": True,
    }
    placed = await harness.tiktok_control("POST", "orders", body)
    return str(placed["id"])


async def _imported(harness: Harness, order_id: str) -> bool:
    async with harness.daemon.ledger.read() as tx:
        found = await orders.get_order(tx, order_id)
    return found is not None and found.store_order_id is not None


async def _latency(*, webhooks: bool) -> list[float]:
    rng = random.Random(7)
    # With webhooks the scheduled import never comes round; without, it runs every second.
    setup = _setup(orders_every="1h" if webhooks else f"{POLL_INTERVAL_S}s")
    async with Harness(setup, products=PRODUCTS, listed=True) as harness:
        await harness.start_daemon()
        skus = await _ready(harness)
        scheduler = None
        if not webhooks:
            await harness.tiktok_control("PUT", "webhook_url", {"url": None})
            scheduler = Scheduler(harness.daemon.runner, [harness.spec("orders")])
            scheduler.start(datetime.now(UTC))
        samples = []
        try:
            for _ in range(SAMPLES):
                await asyncio.sleep(GAP_S if webhooks else rng.uniform(0, POLL_INTERVAL_S))
                started = time.perf_counter()
                order_id = await _place(harness, skus, rng)
                await wait_until(lambda oid=order_id: _imported(harness, oid), SAMPLE_TIMEOUT_S)
                samples.append(time.perf_counter() - started)
        finally:
            if scheduler is not None:
                await scheduler.drain(timedelta(seconds=5))
    return samples


async def _burst() -> dict[str, float]:
    rng = random.Random(11)
    async with Harness(_setup(orders_every="1h"), products=PRODUCTS, listed=True) as harness:
        await harness.start_daemon()
        skus = await _ready(harness)
        await harness.tiktok_control("PUT", "webhook_url", {"url": None})
        placed = [await _place(harness, skus, rng) for _ in range(BURST)]
        started = time.perf_counter()
        counts = await harness.run("orders")
        elapsed = time.perf_counter() - started
        async with harness.daemon.ledger.read() as tx:
            imported = len(await orders.orders_in_phase(tx, SHOP, [OrderPhase.IMPORTED]))
        state = await harness.shopify_control("GET", "state")
    copies = Counter(
        attribute["value"]
        for order in state["orders"]
        for attribute in order["note_attributes"]
        if attribute["name"] == "tiktok_order_id"
    )
    duplicates = sum(count - 1 for count in copies.values() if count > 1)
    missing = len(set(placed) - set(copies))
    progress(f"burst run counts: {counts}")
    return {
        "order_burst_orders": BURST,
        "order_burst_import_s": round(elapsed, 2),
        "order_burst_orders_per_s": round(BURST / elapsed, 1),
        "order_burst_imported": imported,
        "order_burst_duplicates": duplicates,
        "order_burst_missing": missing,
        "order_burst_ms_per_order": round(elapsed / BURST * 1000, 2),
    }
