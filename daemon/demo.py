"""`ttsync demo`: a small UK shop on the built-in simulators, synced by the real daemon.

The story: the daemon starts against a store simulator (of the kind the config names) holding
~50 products (some invalid) and a TikTok Shop simulator; it publishes the catalog, TikTok reviews
it, then a stock change and a price change in the store reach TikTok, and TikTok orders come
back. The store is driven only through the simulators' neutral store controls (``/_sim/store``),
so the story is the same for every store kind. It prints what synced, what failed and why.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from daemon.connectors.registry import store_kind
from daemon.settings import Settings, load_settings
from daemon.simulate import RunningSimulators, start_simulators

_INVALID: list[dict[str, Any]] = [
    {"title": "Mug with no barcode", "category": "Mug", "barcode": None},
    {"title": "Notebook (no category rule)", "category": "Notebook"},
    {
        "title": "Mug with a table",
        "category": "Mug",
        "description_html": "<table><tr><td>Size</td><td>350 ml</td></tr></table>",
    },
    {"title": "Shirt priced at £6,000", "category": "Shirt", "price": "6000.00"},
]


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Story:
    """The simulators' controls and the ledger's view, as the demo needs them."""

    def __init__(
        self, settings: Settings, sims: RunningSimulators, session: aiohttp.ClientSession
    ) -> None:
        shop = settings.shops[0]
        self.settings = settings
        self.store_name = store_kind(shop.store.kind).title
        self.store = sims.stores[shop.name].control_url
        self.tiktok = f"{shop.tiktok.api_base_url}/_sim"
        self.session = session
        self.ledger = settings.ledger.path

    async def call(self, method: str, url: str, body: Any = None) -> Any:
        async with self.session.request(method, url, json=body) as response:
            payload = await response.json()
            if response.status >= 400:  # noqa: PLR2004 HTTP client errors
                raise RuntimeError(f"{method} {url}: {response.status} {payload}")
            return payload

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if not self.ledger.exists():
            return []
        with sqlite3.connect(f"file:{self.ledger}?mode=ro", uri=True) as conn:
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'products'").fetchone():
                return []  # the daemon is still creating its tables
            return [tuple(row) for row in conn.execute(sql)]

    def statuses(self) -> Counter[str]:
        return Counter(str(row[0]) for row in self.rows("SELECT status FROM products"))

    async def until(self, check: Callable[[], Awaitable[bool]], what: str, limit: float) -> float:
        started = time.monotonic()
        while not await check():
            if time.monotonic() - started > limit:
                raise TimeoutError(f"the demo waited {limit:.0f}s for {what}")
            await asyncio.sleep(0.2)
        return time.monotonic() - started

    async def tiktok_sku(self, store_product_id: str) -> dict[str, Any]:
        state = await self.call("GET", f"{self.tiktok}/state")
        listing = next(
            p for p in state["products"] if p.get("external_product_id") == store_product_id
        )
        sku: dict[str, Any] = listing["skus"][0]
        return sku


async def _seed(story: Story) -> list[dict[str, Any]]:
    state = await story.call("GET", f"{story.store}/locations")
    locations = [location["id"] for location in state["locations"]]
    await story.call("POST", f"{story.store}/generate", {"products": 46, "variants": 3, "seed": 7})
    specs = [
        {
            "title": spec["title"],
            "category": spec["category"],
            "description_html": spec.get("description_html", "<p>Made for the demo.</p>"),
            "images": ["/cdn/demo/item_800x800.png"],
            "variants": [
                {
                    "sku": f"DEMO-BAD-{n}",
                    "price": spec.get("price", "9.50"),
                    "barcode": spec.get("barcode", "5012345678900"),
                    "weight_kg": "0.3",
                    "stock": [{"location": locations[0], "available": 12}],
                }
            ],
        }
        for n, spec in enumerate(_INVALID, start=1)
    ]
    loaded = await story.call("POST", f"{story.store}/products", {"products": specs})
    return list(loaded["products"])


async def demo(config: Path) -> int:
    settings = load_settings(config)
    for stale in settings.ledger.path.parent.glob(settings.ledger.path.name + "*"):
        stale.unlink()  # the simulators start empty, so the demo ledger does too
    sims = await start_simulators(settings, str(config))
    try:
        async with aiohttp.ClientSession() as session:
            story = Story(settings, sims, session)
            await _seed(story)
            return await _run(story, config)
    finally:
        await sims.stop()


async def _run(story: Story, config: Path) -> int:
    shop = story.settings.shops[0]
    places = [name for rule in shop.rules.locations for name in rule.locations if name != "*"]
    warehouses = {rule.warehouse for rule in shop.rules.locations}
    _say(
        f"ttsync demo: a {shop.tiktok.market} shop ({' and '.join(places) or 'one location'}, "
        f"{len(warehouses)} TikTok warehouse(s))"
    )
    _say(
        f"{story.store_name} simulator: 46 generated products with 3 variants each, "
        "and 4 problem products."
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "daemon",
        "run",
        "--config",
        str(config),
        stdout=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        await _play(story)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await process.wait()
    _say(f"\nSent SIGTERM: the daemon drained its jobs and exited with code {code}.")
    return code


async def _play(story: Story) -> None:
    async def published() -> bool:
        counts = story.statuses()
        return sum(counts.values()) >= 50 and counts["not_synced"] == 0  # noqa: PLR2004 50 products

    took = await story.until(published, "the initial sync", 45)
    _say(f"\n1. Initial sync ({took:.1f}s): {_counts(story.statuses())}")
    for title, status, reason in story.rows(
        "SELECT title, status, reason FROM products WHERE status IN "
        "('failed_to_sync', 'unmapped') ORDER BY title"
    ):
        _say(f"   - {title}: {status.replace('_', ' ')}: {reason}")
    notes = story.rows(
        "SELECT title, reason FROM products WHERE status = 'under_review' "
        "AND reason IS NOT NULL ORDER BY reason LIKE '%description%' DESC, title LIMIT 4"
    )
    if notes:
        _say("   Published with changes (each product keeps its notes):")
    for title, reason in notes:
        _say(f"   - {title}: {reason}")

    await story.call("POST", f"{story.tiktok}/clock/advance", {"seconds": 3600})

    async def reviewed() -> bool:
        return story.statuses()["under_review"] == 0

    took = await story.until(reviewed, "TikTok's review", 30)
    _say(f"\n2. TikTok reviewed the listings ({took:.1f}s): {_counts(story.statuses())}")

    product_id, variant_sku, location = story.rows(
        "SELECT s.store_product_id, s.seller_sku, l.location_id FROM skus s "
        "JOIN products p USING (shop_id, store_product_id) JOIN store_stock l "
        "ON l.stock_key = s.stock_key WHERE p.status = 'active' "
        "AND s.tracked = 1 AND s.continue_selling = 0 ORDER BY s.store_variant_id LIMIT 1"
    )[0]
    await story.call(
        "POST",
        f"{story.store}/stock",
        {"levels": [{"sku": variant_sku, "location": str(location), "available": 40}]},
    )

    async def stock_arrived() -> bool:
        sku = await story.tiktok_sku(str(product_id))
        return any(cell["quantity"] == 35 for cell in sku["inventory"])  # noqa: PLR2004 rules

    took = await story.until(stock_arrived, "the stock change on TikTok", 20)
    _say(
        f"\n3. Stock: 40 units set at one {story.store_name} location reached TikTok as 35 in "
        f"{took:.1f}s "
        "(90% rounded down is 36, minus a safety buffer of 1)."
    )
    await story.call(
        "POST", f"{story.store}/prices", {"prices": [{"sku": variant_sku, "price": "24.99"}]}
    )

    async def price_arrived() -> bool:
        sku = await story.tiktok_sku(str(product_id))
        return Decimal(sku["price"]["sale_price"]) == Decimal("24.99")

    took = await story.until(price_arrived, "the price change on TikTok", 20)
    _say(
        f"\n4. Price: {variant_sku} at £24.99 in {story.store_name} reached TikTok in {took:.1f}s."
    )
    await _orders(story)
    _say("\nProducts, by status:")
    for status, count in sorted(story.statuses().items()):
        _say(f"   {status.replace('_', ' '):<16} {count}")
    _say("Orders, by phase:")
    for phase, count in story.rows("SELECT phase, count(*) FROM orders GROUP BY phase ORDER BY 1"):
        _say(f"   {phase:<16} {count}")


async def _orders(story: Story) -> None:
    """Four TikTok orders: one cancelled in the hold, three imported; ship two, cancel one."""
    skus = [
        str(row[0])
        for row in story.rows(
            "SELECT s.tiktok_sku_id FROM skus s JOIN products p USING (shop_id, store_product_id) "
            "WHERE p.status = 'active' AND s.tiktok_sku_id IS NOT NULL "
            "ORDER BY s.store_variant_id LIMIT 4"
        )
    ]

    async def stocked() -> bool:
        """Listings that went Active get their stock on the inventory job's next run."""
        state = await story.call("GET", f"{story.tiktok}/state")
        held = {
            str(sku["id"]): sum(cell["quantity"] for cell in sku["inventory"])
            for product in state["products"]
            for sku in product["skus"]
        }
        return all(held.get(sku, 0) >= 1 + n % 2 for n, sku in enumerate(skus))

    await story.until(stocked, "the ordered SKUs' stock on TikTok", 20)
    placed = []
    for n, sku in enumerate(skus):
        order = await story.call(
            "POST", f"{story.tiktok}/orders", {"items": [{"sku_id": sku, "quantity": 1 + n % 2}]}
        )
        placed.append(str(order["id"]))
    shipped_evri, shipped_unknown, cancelled_later, cancelled_early = placed
    await story.call("POST", f"{story.tiktok}/orders/{cancelled_early}/buyer_cancel", {})
    await story.call("POST", f"{story.tiktok}/clock/advance", {"seconds": 3600})  # holds end

    def store_id(order_id: str) -> str | None:
        found = story.rows(
            f"SELECT store_order_id FROM orders WHERE tiktok_order_id = '{order_id}' "
            "AND phase = 'imported'"
        )
        return str(found[0][0]) if found else None

    async def imported() -> bool:
        return all(store_id(order) for order in placed[:3])

    took = await story.until(imported, "the orders to be imported", 30)
    _say(
        f"\n5. Orders: 4 placed on TikTok; the buyer cancelled one during the one-hour hold. "
        f"The other 3 were imported into {story.store_name} once each ({took:.1f}s after the "
        "hold ended)."
    )
    for order, carrier in ((shipped_evri, "Hermes"), (shipped_unknown, "Speedy Parcels")):
        await story.call(
            "POST",
            f"{story.store}/orders/{store_id(order)}/ship",
            {"carrier": carrier, "tracking_number": f"TT{order[-8:]}GB"},
        )

    async def shipped() -> bool:
        rows = story.rows(
            "SELECT count(*) FROM fulfillments WHERE status = 'sent' AND tiktok_order_id IN "
            f"('{shipped_evri}', '{shipped_unknown}')"
        )
        return bool(rows) and rows[0][0] == 2  # noqa: PLR2004 two shipments

    took = await story.until(shipped, "the shipments on TikTok", 30)
    for order, carrier, provider, fallback in story.rows(
        "SELECT tiktok_order_id, carrier, shipping_provider, carrier_fallback FROM fulfillments "
        "ORDER BY carrier"
    ):
        note = " (unknown carrier: the Royal Mail fallback is recorded on the order)" * fallback
        _say(f"   - order {order}: shipped with {carrier!r} as TikTok's {provider}{note}")
    _say(f"   Tracking reached TikTok in {took:.1f}s.")
    await story.call("POST", f"{story.tiktok}/orders/{cancelled_later}/system_cancel", {})

    async def mirrored() -> bool:
        rows = story.rows(
            f"SELECT store_cancelled_at FROM orders WHERE tiktok_order_id = '{cancelled_later}'"
        )
        return bool(rows) and rows[0][0] is not None

    took = await story.until(mirrored, f"the cancellation in {story.store_name}", 30)
    never = story.rows(f"SELECT phase FROM orders WHERE tiktok_order_id = '{cancelled_early}'")
    _say(
        f"   TikTok cancelled order {cancelled_later} after import: the {story.store_name} "
        f"order was cancelled and restocked ({took:.1f}s). The order cancelled in the hold: "
        f"{never[0][0] if never else 'never seen'}, never created in {story.store_name}."
    )


def _counts(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(counts.items()))
