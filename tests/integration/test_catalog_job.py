"""The catalog job against both simulators: statuses and reasons a merchant sees."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from daemon.domain import ProductStatus, RunOutcome
from daemon.jobs.catalog import Catalog
from daemon.ledger import products, shops
from simulators.tiktok.scopes import ALL_SCOPES as SCOPES
from tests.support.orders import create_on_tiktok
from tests.support.world import World, item, open_world, variant

TABLE = "<table><tr><td>Size</td><td>Large</td></tr></table><script>x()</script>"


@pytest.fixture
async def world(simulated_config) -> AsyncIterator[World]:
    async with open_world(simulated_config) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


async def test_publishes_reviews_and_reports_field_reasons(world: World) -> None:
    good, no_code, webp, table, no_weight, unmapped = await world.load(
        item(
            "Good mug",
            variant("MUG-1", options=["Red"]),
            variant("MUG-2", options=["Blue"]),
            options=[{"name": "Colour", "values": ["Red", "Blue"]}],
        ),
        item("Mug without code", variant("NOCODE-1", barcode=None)),
        item("Webp mug", variant("WEBP-1"), images=[{"src": "/cdn/t/a_900x900.webp"}]),
        item("Table mug", variant("TABLE-1"), body_html=TABLE),
        item("Light mug", variant("LIGHT-1", weight="0")),
        item("Notebook", variant("NOTE-1"), product_type="Notebook"),
    )
    assert await world.run("catalog") is RunOutcome.OK
    statuses = await world.statuses()
    ids = {
        name: str(p["id"])
        for name, p in zip(
            ("good", "no_code", "webp", "table", "no_weight", "unmapped"),
            (good, no_code, webp, table, no_weight, unmapped),
            strict=True,
        )
    }
    assert statuses[ids["good"]][0] is ProductStatus.UNDER_REVIEW, statuses[ids["good"]]
    status, reason = statuses[ids["no_code"]]
    assert status is ProductStatus.FAILED_TO_SYNC
    assert reason is not None
    assert "NOCODE-1" in reason
    assert "600024" in reason
    assert statuses[ids["webp"]][0] is ProductStatus.UNDER_REVIEW
    assert "converted to JPEG" in (statuses[ids["webp"]][1] or "")
    assert statuses[ids["table"]][0] is ProductStatus.UNDER_REVIEW
    assert "table" in (statuses[ids["table"]][1] or "").lower()
    assert statuses[ids["no_weight"]][0] is ProductStatus.UNDER_REVIEW
    assert "default" in (statuses[ids["no_weight"]][1] or "")
    assert statuses[ids["unmapped"]] == (
        ProductStatus.UNMAPPED,
        "no category rule matches (product type 'Notebook'); add one under [shops.catalog]",
    )
    created = await world.tiktok_calls("create_product")
    assert len(created) == 4

    await world.finish_reviews()
    assert await world.run("catalog") is RunOutcome.OK
    assert (await world.statuses())[ids["good"]][0] is ProductStatus.ACTIVE
    assert len(await world.tiktok_calls("create_product")) == 4  # nothing created twice


async def test_failed_review_keeps_tiktoks_reasons(world: World) -> None:
    await world.tiktok("PUT", "review_rules", {"banned_words": ["miracle"]})
    (product,) = await world.load(item("Miracle mug", variant("MIR-1")))
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    status, reason = (await world.statuses())[str(product["id"])]
    assert status is ProductStatus.FAILED_REVIEW
    assert reason is not None
    assert "miracle" in reason.lower()


async def test_links_an_existing_tiktok_product_by_seller_sku(world: World) -> None:
    # The merchant listed this product in Seller Center before installing ttsync (DOMAIN.md 2).
    listing, _ = await create_on_tiktok(world, "LINK-1")
    (product,) = await world.load(item("Already on TikTok", variant("LINK-1")))
    await world.run("catalog")
    assert len(await world.tiktok_calls("create_product")) == 1  # only the merchant's own
    status, _ = (await world.statuses())[str(product["id"])]
    assert status is ProductStatus.UNDER_REVIEW
    async with world.daemon.ledger.read() as tx:
        record = await products.get_product(tx, "uk", str(product["id"]))
        (sku,) = await products.skus_of(tx, "uk", str(product["id"]))
    assert record is not None
    assert record.tiktok_product_id == listing
    assert sku.tiktok_sku_id is not None


async def test_deleted_in_the_store_is_deactivated_on_tiktok(world: World) -> None:
    (product,) = await world.load(item("Short-lived mug", variant("GONE-1")))
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    await world.shopify("DELETE", f"products/{product['id']}")
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    await world.run("catalog")
    status, reason = (await world.statuses())[str(product["id"])]
    assert status is ProductStatus.DELETED
    assert reason == "deleted in the store; deactivated on TikTok"
    assert len(await world.tiktok_calls("deactivate_products")) == 1


async def test_a_draft_is_never_published_until_the_store_sells_it(world: World) -> None:
    (product,) = await world.load(item("Draft mug", variant("DRAFT-1"), status="draft"))
    assert await world.run("catalog") is RunOutcome.OK
    assert (await world.statuses())[str(product["id"])] == (
        ProductStatus.NOT_FOR_SALE,
        "a draft in the store: not published",
    )
    assert await world.tiktok_calls("create_product") == []
    await world.shopify("PATCH", f"products/{product['id']}", {"status": "active"})
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    assert await world.run("catalog") is RunOutcome.OK
    assert (await world.statuses())[str(product["id"])][0] is ProductStatus.UNDER_REVIEW
    assert len(await world.tiktok_calls("create_product")) == 1


async def test_a_listing_whose_product_is_archived_is_deactivated_then_restored(
    world: World,
) -> None:
    (product,) = await world.load(item("Seasonal mug", variant("SEASON-1")))
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    assert (await world.statuses())[str(product["id"])][0] is ProductStatus.ACTIVE
    await world.shopify("PATCH", f"products/{product['id']}", {"status": "archived"})
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    assert await world.run("catalog") is RunOutcome.OK
    assert (await world.statuses())[str(product["id"])] == (
        ProductStatus.NOT_FOR_SALE,
        "archived in the store; deactivated on TikTok",
    )
    assert len(await world.tiktok_calls("deactivate_products")) == 1
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    assert await world.run("catalog") is RunOutcome.OK  # still archived: nothing more happens
    assert len(await world.tiktok_calls("deactivate_products")) == 1

    await world.shopify("PATCH", f"products/{product['id']}", {"status": "active"})
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    assert await world.run("catalog") is RunOutcome.OK
    assert len(await world.tiktok_calls("activate_products")) == 1
    status, reason = (await world.statuses())[str(product["id"])]
    assert status is not ProductStatus.NOT_FOR_SALE
    assert reason is None
    assert len(await world.tiktok_calls("create_product")) == 1  # the same listing came back


async def test_without_a_deletion_feed_a_full_pass_finds_what_the_store_lost(
    world: World,
) -> None:
    catalog = world.spec("catalog").run
    assert isinstance(catalog, Catalog)
    catalog.options = replace(catalog.options, deletion_feed=False, reconcile_every=timedelta(0))
    kept, gone = await world.load(item("Kept mug", variant("KEPT-1")), item("Gone", variant("G-1")))
    await world.run("catalog")
    await world.finish_reviews()
    await world.run("catalog")
    await world.shopify("DELETE", f"products/{gone['id']}")
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    assert await world.run("catalog") is RunOutcome.OK
    statuses = await world.statuses()
    assert statuses[str(gone["id"])] == (
        ProductStatus.DELETED,
        "deleted in the store; deactivated on TikTok",
    )
    assert statuses[str(kept["id"])][0] is ProductStatus.ACTIVE
    assert len(await world.tiktok_calls("deactivate_products")) == 1
    events = await world.shopify("GET", "calls", endpoint="events.list")
    assert events["calls"] == []  # the deletion feed was never read


async def test_after_creation_content_edits_stay_put(world: World) -> None:
    (product,) = await world.load(item("Plain mug", variant("PLAIN-1")))
    await world.run("catalog")
    await world.shopify("PATCH", f"products/{product['id']}", {"title": "Renamed mug"})
    await world.shopify("POST", "clock/advance", {"seconds": 10})
    await world.run("catalog")
    assert await world.tiktok_calls("edit_product") == []


async def test_a_revoked_authorisation_stops_the_pass_not_each_product(world: World) -> None:
    await world.load(*(item(f"Mug {n}", variant(f"REVOKE-{n}")) for n in range(5)))
    await world.tiktok("POST", "tokens/revoke", {})
    assert await world.run("catalog") is RunOutcome.FAILED
    statuses = await world.statuses()
    assert {status for status, _ in statuses.values()} <= {ProductStatus.NOT_SYNCED}, statuses
    async with world.daemon.ledger.read() as tx:
        shop = await shops.get_shop(tx, "uk")
    assert shop is not None
    assert (shop.halted_reason or "").startswith("authorization failed")


async def test_an_unreadable_product_fails_alone_in_a_targeted_run(world: World) -> None:
    good, broken = await world.load(item("Good", variant("T-1")), item("Broken", variant("T-2")))
    await world.shopify("POST", f"products/{broken['id']}/corrupt", {"variant": {"price": 12.5}})
    hints = frozenset({str(good["id"]), str(broken["id"])})
    assert await world.run("catalog", hints) is RunOutcome.OK
    statuses = await world.statuses()
    assert statuses[str(good["id"])][0] is ProductStatus.UNDER_REVIEW
    status, reason = statuses[str(broken["id"])]
    assert status is ProductStatus.FAILED_TO_SYNC
    assert reason


async def test_a_seller_sku_on_two_products_is_refused_on_the_later_one(world: World) -> None:
    (first,) = await world.load(item("Blue mug", variant("DUP-1")))
    assert await world.run("catalog") is RunOutcome.OK
    later, twin_a, twin_b = await world.load(
        item("Blue mug again", variant("DUP-1"), variant("DUP-OWN")),
        item("Twin A", variant("TWIN-1")),
        item("Twin B", variant("TWIN-1")),
    )
    assert await world.run("catalog") is RunOutcome.OK
    statuses = await world.statuses()
    status, reason = statuses[str(later["id"])]
    assert status is ProductStatus.FAILED_TO_SYNC
    assert reason == (
        f"seller_sku: SKU DUP-1 is also on store product {first['id']} ('Blue mug'), which is "
        "on TikTok with it; TikTok routes orders by seller SKU: give each product its own SKUs"
    )
    twins = sorted(
        (statuses[str(p["id"])][0] is ProductStatus.FAILED_TO_SYNC, str(p["id"]))
        for p in (twin_a, twin_b)
    )
    (_, holder), (refused, loser) = twins
    assert refused
    assert f"SKU TWIN-1 is also on store product {holder} " in (statuses[loser][1] or "")
    assert statuses[holder][0] is ProductStatus.UNDER_REVIEW
    created = await world.tiktok_calls("create_product")
    assert len(created) == 2  # the first mug and one twin, nothing else


async def test_a_grant_without_a_scope_halts_the_shop_naming_the_scope(world: World) -> None:
    await world.load(item("Scoped mug", variant("SCOPE-1")))
    granted = [s for s in SCOPES if s != "seller.product.write"]
    await world.tiktok("PUT", "tokens/scopes", {"scopes": granted})
    assert await world.run("catalog") is RunOutcome.FAILED
    async with world.daemon.ledger.read() as tx:
        shop = await shops.get_shop(tx, "uk")
    assert shop is not None
    assert shop.halted_reason is not None
    assert "missing access scope seller.product.write (product." in shop.halted_reason
    assert "105005" in shop.halted_reason
    assert await world.tiktok_calls("create_product") == []
