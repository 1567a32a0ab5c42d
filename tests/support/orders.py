"""Order-side helpers over the in-process simulators: publish linked products, place TikTok
orders as a buyer, and read back what the Shopify simulator holds."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from PIL import Image

from daemon.connectors.tiktok import (
    Dimensions,
    IdentifierCode,
    ImageRef,
    InventoryInput,
    PriceInput,
    ProductInput,
    SkuInput,
    TikTokClient,
    Weight,
)
from daemon.domain import RunOutcome
from daemon.ledger.sealing import PLAINTEXT
from daemon.metrics import Metrics
from daemon.runtime import build
from daemon.runtime.tokens import LedgerTokenStore
from daemon.settings import load_settings
from daemon.simulate import RunningSimulators
from simulators.kit import RunningStore
from simulators.shopify.generate import ean13
from simulators.shopify.records import OrderRec
from tests.conftest import WAREHOUSE_ID, free_port, simulated_shop
from tests.support.shopify import shopify_sim
from tests.support.stores import fixtures_of
from tests.support.world import World, item, variant


async def publish(world: World, *skus: str, stock: int = 500) -> dict[str, str]:
    """Store products with these seller SKUs, published and active on TikTok through the
    catalog job; returns seller SKU -> TikTok SKU id (as the ledger links them)."""
    await world.load(*(item(f"Mug {sku}", variant(sku, stock=stock)) for sku in skus))
    return await _linked(world, skus)


async def _linked(world: World, skus: Sequence[str]) -> dict[str, str]:
    """Run the catalog (through review) and inventory jobs; seller SKU -> TikTok SKU id."""
    assert await world.run("catalog") is RunOutcome.OK
    await world.finish_reviews()
    assert await world.run("catalog") is RunOutcome.OK
    assert await world.run("inventory") is RunOutcome.OK  # the store's stock onto TikTok
    async with world.daemon.ledger.read() as tx:
        rows = await tx.fetchall(
            "SELECT seller_sku, tiktok_sku_id FROM skus WHERE shop_id = 'uk' "
            "AND tiktok_sku_id IS NOT NULL"
        )
    linked = {str(row[0]): str(row[1]) for row in rows}
    assert set(skus) <= set(linked), linked
    return {sku: linked[sku] for sku in skus}


async def link_products(
    setup_config: Path, simulators: RunningSimulators, skus: Sequence[str], stock: int = 500
) -> dict[str, str]:
    """Publish products through an in-process daemon on `setup_config` (catalog and inventory
    jobs), which leaves them linked in its ledger file for a daemon process to use later.
    Any store kind: the products go in through the neutral store controls."""
    settings = load_settings(setup_config)
    async with AsyncExitStack() as stack, aiohttp.ClientSession() as session:
        daemon = await build(settings, stack)
        world = World(daemon, simulators, session)
        assert await world.run("connect") is RunOutcome.OK
        linked = await publish_neutral(world, *skus, stock=stock)
    store = simulators.stores[settings.shops[0].name]
    await fixtures_of(settings.shops[0].store.kind).unthrottle(store)
    return linked


async def place(
    world: World, items: dict[str, int], status: str = "AWAITING_SHIPMENT", **extra: Any
) -> dict[str, Any]:
    """A buyer's order on TikTok: TikTok SKU id -> units."""
    body = {
        "items": [{"sku_id": sku, "quantity": qty} for sku, qty in items.items()],
        "status": status,
        **extra,
    }
    return dict(await world.tiktok("POST", "orders", body))


def store_orders(simulators: RunningSimulators) -> dict[str, list[OrderRec]]:
    """The Shopify simulator's orders by the TikTok order id they carry."""
    found: dict[str, list[OrderRec]] = {}
    for order in shopify_sim(simulators).shop.state.orders.values():
        attrs = {a["name"]: a["value"] for a in order.note_attributes}
        if "tiktok_order_id" in attrs:
            found.setdefault(attrs["tiktok_order_id"], []).append(order)
    return found


def tiktok_order(simulators: RunningSimulators, order_id: str) -> Any:
    (simulator,) = simulators.tiktok.values()
    return simulator.state.orders[order_id]


def tiktok_client(world: World) -> TikTokClient:
    """A TikTok client of the shop, as a merchant's other tools would use it."""
    settings = world.daemon.settings.shops[0]
    return TikTokClient.open(
        settings.tiktok,
        tokens=LedgerTokenStore(world.daemon.ledger, "uk", PLAINTEXT),
        shop_name="uk",
        metrics=Metrics(),
    )


async def list_on_tiktok(world: World, seller_sku: str) -> str:
    """A product listed on TikTok directly (as in Seller Center), not linked to the store;
    returns its TikTok SKU id."""
    _, sku_id = await create_on_tiktok(world, seller_sku)
    return sku_id


async def create_on_tiktok(world: World, seller_sku: str) -> tuple[str, str]:
    """A product created on TikTok directly, as a merchant would in Seller Center:
    (product id, SKU id)."""
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (200, 120, 10)).save(buffer, format="PNG")
    async with tiktok_client(world) as client:
        image = await client.products.upload_image(
            buffer.getvalue(), filename="a.png", content_type="image/png"
        )
        written = await client.products.create(
            ProductInput(
                title="Listed in Seller Center",
                description="<p>Listed by hand.</p>",
                category_id="600024",
                main_images=[ImageRef(uri=image.uri)],
                package_weight=Weight(value=Decimal("0.4")),
                package_dimensions=Dimensions(length="10", width="10", height="10"),
                skus=[
                    SkuInput(
                        seller_sku=seller_sku,
                        price=PriceInput(amount=Decimal("9.99"), currency="GBP"),
                        inventory=[InventoryInput(warehouse_id=WAREHOUSE_ID, quantity=50)],
                        identifier_code=IdentifierCode(code="5012345678900", type="EAN"),
                    )
                ],
            )
        )
        product = await client.products.get(written.product_id)
    (sku,) = product.skus
    return written.product_id, sku.id


def order_config(
    write_config: Callable[[str], Path],
    tmp_path: Path,
    *,
    store: str = "",
    tiktok: str = "",
    shop: str = "",
    top: str = "",
    kind: str = "shopify",
) -> Path:
    """The simulated config (its store of `kind`), with extra lines for [shops.store]
    (`store`), [shops.tiktok] (`tiktok`), the end of the shop (`shop`, e.g. [shops.orders])
    and the top level (`top`, e.g. [retry])."""
    section = simulated_shop(free_port(), free_port(), kind=kind, store_extra=store)
    anchor = "[[shops.rules.locations]]\n"
    section = section.replace(anchor, textwrap.dedent(tiktok) + "\n" + anchor)
    return write_config(
        f"""
[daemon]
drain_timeout = "5s"
log_format = "json"
log_level = "warning"
[http]
port = {free_port()}
[ledger]
path = "{tmp_path}/ledger.sqlite3"
checkpoint_interval = "1s"
{textwrap.dedent(top)}
"""
        + section
        + textwrap.dedent(shop)
    )


async def neutral_store_orders(
    store: RunningStore, session: aiohttp.ClientSession
) -> dict[str, list[dict[str, Any]]]:
    """Any store simulator's orders by the TikTok order id they carry, through the neutral
    store control API."""
    async with session.get(f"{store.control_url}/orders") as response:
        assert response.status == 200, await response.text()
        orders = (await response.json())["orders"]
    found: dict[str, list[dict[str, Any]]] = {}
    for order in orders:
        if order["reference"] is not None:
            found.setdefault(order["reference"], []).append(order)
    return found


async def publish_neutral(world: World, *skus: str, stock: int = 500) -> dict[str, str]:
    """`publish`, for any store kind: the products go in through the neutral store controls."""
    locations = (await world.store("GET", "locations"))["locations"]
    specs = [
        {
            "title": f"Mug {sku}",
            "category": "Mug",
            "description_html": "<p>A good mug.</p>",
            "images": ["/cdn/test/mug_800x800.jpg"],
            "variants": [
                {
                    "sku": sku,
                    "price": "12.50",
                    "barcode": ean13(int.from_bytes(sku.encode(), "big") % 10**9),
                    "weight_kg": "0.4",
                    "stock": [{"location": locations[0]["id"], "available": stock}],
                }
            ],
        }
        for sku in skus
    ]
    await world.store("POST", "products", {"products": specs})
    return await _linked(world, skus)
