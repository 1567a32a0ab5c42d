"""TikTok write calls per cycle: nothing for a cycle with no change, one per changed product.

A small catalog (8 products of 5 variants) is published and Active on TikTok. Write calls are
counted in the TikTok simulator's call log (Update Inventory, Update Price, and any create,
edit or image upload):

- a scheduled cycle (catalog, inventory and price jobs, one run each) with nothing changed,
  and a forced full reconciliation of the same: expected 0 writes each;
- N = 5 SKUs of one product changing stock (one `/_sim/inventory` call, webhooks off, then one
  inventory run): expected 1 Update Inventory call carrying the 5 SKUs (the run's
  `skus_pushed`), and TikTok then holds all 5 new quantities; the same for 5 price changes;
- 10 stock changes to one SKU in quick succession with webhooks on (default 1 s debounce):
  the Update Inventory calls they cause (expected 1).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from support import SHOP, WAREHOUSE_ID, Harness, Setup, force_reconciliation, progress, wait_until

from daemon.ledger import stock
from daemon.ledger.stock import LinkedSku

PRODUCTS = 8
VARIANTS = 5
RAPID_CHANGES = 10
WRITES = frozenset(
    {
        "update_inventory",
        "update_price",
        "create_product",
        "edit_product",
        "partial_edit_product",
        "upload_product_image",
    }
)
SETTLE_S = 3.0  # after the first coalesced call: room for a second one, were there any
CALL_TIMEOUT_S = 15.0


async def main() -> dict[str, float]:
    async with Harness(Setup(map_all=True), products=PRODUCTS, variants=VARIANTS) as harness:
        await harness.shopify_webhooks(on=False)
        await harness.start_daemon()
        await harness.publish_and_activate()
        skus = await _clean_product(harness)
        progress("no-change cycles ...")
        figures = await _no_change(harness)
        progress(f"{len(skus)} SKUs of one product changing stock, then price ...")
        figures |= await _stock_changes(harness, skus)
        figures |= await _price_changes(harness, skus)
        progress(f"{RAPID_CHANGES} quick stock changes to one SKU, by webhook ...")
        figures |= await _rapid_changes(harness, skus[0])
    return figures


async def _no_change(harness: Harness) -> dict[str, float]:
    figures: dict[str, float] = {}
    await harness.forget_calls()
    for job in ("catalog", "inventory", "price"):
        await harness.run(job)
    figures["no_change_cycle_write_calls"] = _writes(await harness.tiktok_calls())
    await harness.forget_calls()
    await force_reconciliation(harness.daemon.ledger)
    for job in ("catalog", "inventory", "price"):
        await harness.run(job)
    figures["no_change_full_reconcile_write_calls"] = _writes(await harness.tiktok_calls())
    return figures


async def _stock_changes(harness: Harness, skus: list[LinkedSku]) -> dict[str, float]:
    await harness.forget_calls()
    wanted = [700 + n for n in range(len(skus))]
    levels = [
        {"inventory_item_id": int(sku.stock_key or 0), "available": quantity}
        for sku, quantity in zip(skus, wanted, strict=True)
    ]
    await harness.shopify_control("POST", "inventory", {"levels": levels})
    counts = await harness.run("inventory")
    calls = Counter(call["operation"] for call in await harness.tiktok_calls())
    held = await _tiktok_skus(harness, skus[0].tiktok_product_id)
    if [held[sku.tiktok_sku_id][0] for sku in skus] != wanted:
        raise RuntimeError(f"TikTok does not hold the new quantities: {held}")
    return {
        "stock_changed_skus": len(skus),
        "stock_update_inventory_calls": calls["update_inventory"],
        "stock_skus_in_those_calls": counts.get("skus_pushed", 0),
    }


async def _price_changes(harness: Harness, skus: list[LinkedSku]) -> dict[str, float]:
    await harness.forget_calls()
    prices = [Decimal("20.00") + n for n in range(len(skus))]
    variants = [
        {"id": int(sku.store_variant_id), "price": str(price)}
        for sku, price in zip(skus, prices, strict=True)
    ]
    product_path = f"products/{skus[0].store_product_id}"
    await harness.shopify_control("PATCH", product_path, {"variants": variants})
    counts = await harness.run("price")
    calls = Counter(call["operation"] for call in await harness.tiktok_calls())
    held = await _tiktok_skus(harness, skus[0].tiktok_product_id)
    if [held[sku.tiktok_sku_id][1] for sku in skus] != prices:
        raise RuntimeError(f"TikTok does not hold the new prices: {held}")
    return {
        "price_changed_skus": len(skus),
        "price_update_price_calls": calls["update_price"],
        "price_skus_in_those_calls": counts.get("skus_pushed", 0),
    }


async def _rapid_changes(harness: Harness, sku: LinkedSku) -> dict[str, float]:
    debounce = harness.daemon.settings.daemon.webhook_debounce  # the default, 1 s
    await harness.forget_calls()
    await harness.shopify_webhooks(on=True)
    item = int(sku.stock_key or 0)
    for n in range(RAPID_CHANGES):
        level = {"inventory_item_id": item, "available": 900 + n}
        await harness.shopify_control("POST", "inventory", {"levels": [level]})

    async def pushed() -> list[dict[str, Any]]:
        return await harness.tiktok_calls(operation="update_inventory")

    await wait_until(pushed, CALL_TIMEOUT_S, poll_s=0.05)
    await asyncio.sleep(SETTLE_S)
    held = await _tiktok_skus(harness, sku.tiktok_product_id)
    if held[sku.tiktok_sku_id][0] != 900 + RAPID_CHANGES - 1:
        raise RuntimeError(f"TikTok does not hold the last quantity: {held}")
    return {
        "rapid_changes_to_one_sku": RAPID_CHANGES,
        "rapid_changes_update_inventory_calls": len(await pushed()),
        "rapid_changes_debounce_ms": debounce.total_seconds() * 1000,
    }


def _writes(calls: Iterable[dict[str, Any]]) -> int:
    return sum(1 for call in calls if call["operation"] in WRITES)


async def _clean_product(harness: Harness) -> list[LinkedSku]:
    """The SKUs of an Active product whose variants are all tracked and deny overselling (so
    that each one's TikTok quantity is its store stock)."""
    async with harness.daemon.ledger.read() as tx:
        linked = await stock.linked_skus(tx, SHOP)
    by_product: dict[str, list[LinkedSku]] = {}
    for sku in linked:
        by_product.setdefault(sku.store_product_id, []).append(sku)
    for skus in by_product.values():
        clean = all(sku.tracked and not sku.continue_selling for sku in skus)
        if clean and len(skus) == VARIANTS:
            return skus
    raise RuntimeError("no product with every variant tracked and deny-policy")


async def _tiktok_skus(harness: Harness, product_id: str) -> dict[str, tuple[int, Decimal]]:
    """(quantity in the warehouse, sale price) of each SKU of a TikTok product, by SKU id."""
    state = await harness.tiktok_control("GET", "state")
    products = state["products"]
    for product in products.values() if isinstance(products, dict) else products:
        if str(product.get("id", product.get("product_id"))) == product_id:
            return {
                str(sku["id"]): (
                    sum(
                        int(cell["quantity"])
                        for cell in sku["inventory"]
                        if str(cell["warehouse_id"]) == WAREHOUSE_ID
                    ),
                    Decimal(str(sku["price"]["sale_price"])),
                )
                for sku in product["skus"]
            }
    raise RuntimeError(f"TikTok product {product_id} not found")
