"""SFCC feeds beyond the neutral contract: what the files say, checked and applied once, as
the connector reads them from a real WebDAV server into its feed state in a real ledger."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from daemon.connectors.feeds import FeedFile
from daemon.domain.models import BadRecord, Money, Product
from daemon.domain.orders import (
    CancelReason,
    DraftLine,
    OrderDraft,
    OrderState,
    ShippedBy,
    StockOnCreate,
)
from daemon.errors import FatalError
from simulators.sfcc import DAV_ROOT
from tests.support.sfcc import (
    CATALOG,
    PRICES,
    STOCK,
    Feeds,
    catalog,
    connected,
    inventory,
    prices,
    running,
)

SHIRT = """<product product-id="shirt">
  <display-name xml:lang="x-default">Shirt</display-name>
  <display-name xml:lang="en-GB">Smart shirt</display-name>
  <long-description xml:lang="x-default">Soft</long-description>
  <online-flag>true</online-flag>
  <images>
    <image-group view-type="large"><image path="shirt/front.jpg"/></image-group>
    <image-group view-type="small"><image path="shirt/tiny.jpg"/></image-group>
    <image-group view-type="large"><variation attribute-id="size" value="L"/>
      <image path="shirt/large.jpg"/></image-group>
  </images>
  <brand>Acme</brand>
  <variations>
    <attributes>
      <variation-attribute attribute-id="size" variation-attribute-id="size">
        <display-name xml:lang="x-default">Size</display-name>
        <variation-attribute-values>
          <variation-attribute-value value="M">
            <display-value xml:lang="x-default">Medium</display-value>
          </variation-attribute-value>
          <variation-attribute-value value="L">
            <display-value xml:lang="x-default">Large</display-value>
          </variation-attribute-value>
        </variation-attribute-values>
      </variation-attribute>
    </attributes>
    <variants><variant product-id="shirt-m"/><variant product-id="shirt-l"/></variants>
  </variations>
</product>
<product product-id="shirt-m"><ean>5000000000017</ean><online-flag>true</online-flag>
  <custom-attributes><custom-attribute attribute-id="size">M</custom-attribute>
  <custom-attribute attribute-id="weight">0.3</custom-attribute></custom-attributes></product>
<product product-id="shirt-l"><upc>012345678905</upc><online-flag>true</online-flag>
  <custom-attributes><custom-attribute attribute-id="size">L</custom-attribute>
  </custom-attributes></product>"""


@pytest.fixture
async def feeds() -> AsyncIterator[Feeds]:
    async with (
        running() as (simulator, control, scratch),
        connected(
            simulator,
            scratch,
            locale="en-GB",
            sale_pricebook="gbp-sale",
            image_base_url="https://cdn.example.com/images",
        ) as sides,
    ):
        await sides.store.refresh()  # the lists the instance starts with
        yield Feeds(sides, control)


async def test_a_master_and_its_variants_become_one_product(feeds: Feeds) -> None:
    await feeds.drop(CATALOG, "a_catalog.xml", catalog(SHIRT))
    await feeds.drop(
        PRICES, "a_list.xml", prices("gbp-list-prices", "GBP", **{"shirt-m": "20", "shirt-l": "22"})
    )
    await feeds.drop(PRICES, "b_sale.xml", prices("gbp-sale", "GBP", **{"shirt-l": "15.50"}))
    records = '<record product-id="shirt-m"><allocation>4</allocation></record>'
    records += '<record product-id="shirt-l"><allocation>0</allocation><perpetual>true</perpetual>'
    records += "<preorder-backorder-handling>backorder</preorder-backorder-handling></record>"
    await feeds.drop(STOCK, "a_stock.xml", inventory("inventory_m", records))
    shirt = (await feeds.products())["shirt"]
    assert isinstance(shirt, Product)
    assert (shirt.title, shirt.description_html, shirt.vendor) == ("Smart shirt", "Soft", "Acme")
    assert [image.url for image in shirt.images] == [
        "https://cdn.example.com/images/shirt/front.jpg"
    ]
    assert shirt.option_names == ("Size",)
    medium, large = shirt.variants
    assert (medium.id, medium.options, medium.barcode) == (
        "shirt-m",
        (("Size", "Medium"),),
        "5000000000017",
    )
    assert (medium.price.amount, medium.compare_at_price) == (Decimal(20), None)
    assert medium.weight is not None
    assert medium.weight.value == Decimal("0.3")
    assert (medium.tracked, medium.continue_selling) == (True, False)
    assert (large.price.amount, large.compare_at_price and large.compare_at_price.amount) == (
        Decimal("15.50"),
        Decimal(22),
    )
    assert (large.tracked, large.continue_selling) == (False, True)
    assert large.image_url == "https://cdn.example.com/images/shirt/large.jpg"
    levels = await feeds.sides.store.stock_levels(["shirt-m", "shirt-l"])
    assert sorted((lv.stock_key, lv.location_id, lv.available) for lv in levels) == [
        ("shirt-l", "inventory_m", 0),
        ("shirt-m", "inventory_m", 4),
    ]


async def test_a_delta_merges_and_a_delete_removes(feeds: Feeds) -> None:
    await feeds.drop(CATALOG, "a_catalog.xml", catalog(SHIRT))
    await feeds.drop(
        PRICES, "a_list.xml", prices("gbp-list-prices", "GBP", **{"shirt-m": "20", "shirt-l": "22"})
    )
    assert isinstance((await feeds.products())["shirt"], Product)
    start = await feeds.control.advance(60)
    delta = '<product product-id="shirt"><online-flag>false</online-flag></product>'
    await feeds.drop(CATALOG, "b_delta.xml", catalog(delta))
    shirt = (await feeds.products())["shirt"]
    assert isinstance(shirt, Product)
    assert (shirt.title, shirt.published, len(shirt.variants)) == ("Smart shirt", False, 2)
    # A variant's delta and a new price each make the master changed since then.
    variant_delta = catalog('<product product-id="shirt-m"><ean>4006381333931</ean></product>')
    for n, (folder, content) in enumerate(
        [(CATALOG, variant_delta), (PRICES, prices("gbp-list-prices", "GBP", **{"shirt-l": "23"}))]
    ):
        moment = await feeds.control.advance(60)
        await feeds.drop(folder, f"b{n}_change.xml", content)
        await feeds.sides.store.refresh()
        changed = [item async for item in feeds.sides.store.products(updated_since=moment)]
        assert [item.id for item in changed] == ["shirt"]
    [shirt] = changed
    assert isinstance(shirt, Product)
    assert (shirt.variants[0].barcode, shirt.variants[1].price.amount) == (
        "4006381333931",
        Decimal(23),
    )
    later = await feeds.control.advance(60)
    await feeds.sides.store.refresh()
    assert [item async for item in feeds.sides.store.products(updated_since=later)] == []
    await feeds.drop(
        CATALOG, "c_delete.xml", catalog('<product product-id="shirt" mode="delete"/>')
    )
    assert "shirt" not in await feeds.products()
    assert await feeds.sides.store.deleted_product_ids(start) == ["shirt"]


async def test_a_deleted_variant_leaves_its_master_and_a_deleted_master_takes_its_variants(
    feeds: Feeds,
) -> None:
    await feeds.drop(CATALOG, "a_catalog.xml", catalog(SHIRT))
    await feeds.drop(
        PRICES, "a_list.xml", prices("gbp-list-prices", "GBP", **{"shirt-m": "20", "shirt-l": "22"})
    )
    assert isinstance((await feeds.products())["shirt"], Product)
    start = await feeds.control.advance(60)
    await feeds.drop(
        CATALOG, "b_delete.xml", catalog('<product product-id="shirt-l" mode="delete"/>')
    )
    await feeds.sides.store.refresh()
    [shirt] = [item async for item in feeds.sides.store.products(updated_since=start)]
    assert isinstance(shirt, Product)
    assert [variant.sku for variant in shirt.variants] == ["shirt-m"]
    assert await feeds.sides.store.deleted_product_ids(start) == []  # a SKU, not a product
    await feeds.drop(
        CATALOG, "c_delete.xml", catalog('<product product-id="shirt" mode="delete"/>')
    )
    assert "shirt" not in await feeds.products()
    assert await feeds.sides.store.deleted_product_ids(start) == ["shirt"]
    records = await feeds.sides.state.get("product", ["shirt", "shirt-m", "shirt-l"])
    assert {key: record.deleted_at is not None for key, record in records.items()} == {
        "shirt": True,
        "shirt-m": True,
        "shirt-l": True,
    }
    assert await feeds.sides.store.product("shirt-m") is None
    # The full feed again brings the master back with both variants.
    await feeds.drop(CATALOG, "d_catalog.xml", catalog(SHIRT))
    shirt = (await feeds.products())["shirt"]
    assert isinstance(shirt, Product)
    assert [variant.sku for variant in shirt.variants] == ["shirt-m", "shirt-l"]


async def test_a_bad_file_is_refused_whole_with_its_line_and_reason(feeds: Feeds) -> None:
    good = (
        '<product product-id="mug"><display-name xml:lang="x-default">Mug</display-name></product>'
    )
    bad = (
        '<product product-id="cup"><display-name xml:lang="x-default">Cup</display-name>\n'
        "<colour>red</colour></product>"
    )
    await feeds.drop(CATALOG, "a_bad.xml", catalog(good, bad))
    await feeds.drop(CATALOG, "b_cut.xml", catalog(good)[:-20])
    await feeds.drop(PRICES, "a_usd.xml", prices("gbp-list-prices", "USD", mug="9"))
    items = await feeds.products()
    assert "mug" not in items  # nothing of a refused file is applied
    refused = {key: item.reason for key, item in items.items() if isinstance(item, BadRecord)}
    assert set(refused) == {
        f"feed:{CATALOG}/a_bad.xml",
        f"feed:{CATALOG}/b_cut.xml",
        f"feed:{PRICES}/a_usd.xml",
    }
    assert "line 5" in refused[f"feed:{CATALOG}/a_bad.xml"]
    assert "colour" in refused[f"feed:{CATALOG}/a_bad.xml"]
    assert "closed" in refused[f"feed:{CATALOG}/b_cut.xml"]
    assert "in USD; the shop sells in GBP" in refused[f"feed:{PRICES}/a_usd.xml"]
    # The merchant fixes the file in place: it is met anew, applied, and no longer refused.
    await feeds.drop(CATALOG, "a_bad.xml", catalog(good))
    items = await feeds.products()
    assert f"feed:{CATALOG}/a_bad.xml" not in items
    assert isinstance(items.get("mug"), BadRecord)  # applied (it has no price yet)


async def test_a_file_is_applied_once_and_a_replaced_one_again(feeds: Feeds) -> None:
    mug = '<product product-id="mug"><display-name xml:lang="x-default">{}</display-name></product>'
    await feeds.drop(CATALOG, "a.xml", catalog(mug.format("Mug")))
    first = await feeds.sides.store.scanner.refresh()
    assert first is not None
    assert first.applied == [f"{CATALOG}/a.xml"]
    again = await feeds.sides.store.scanner.refresh()
    assert again is not None
    assert again.applied == []
    await feeds.drop(CATALOG, "a.xml", catalog(mug.format("Big mug")))
    third = await feeds.sides.store.scanner.refresh()
    assert third is not None
    assert third.applied == [f"{CATALOG}/a.xml"]
    record = (await feeds.sides.state.get("product", ["mug"]))["mug"]
    assert record.body["names"] == {"x-default": "Big mug"}


async def test_a_file_without_its_marker_waits_until_two_listings_agree(feeds: Feeds) -> None:
    await feeds.drop(STOCK, "a.xml", inventory("inventory_m", ""), marker=False)
    lists_before = len(await feeds.control.calls(endpoint="webdav.propfind"))
    report = await feeds.sides.store.scanner.refresh()
    assert report is not None
    assert report.applied == [f"{STOCK}/a.xml"]
    # The folder was listed twice, `settle` apart, before the file was taken.
    assert len(await feeds.control.calls(endpoint="webdav.propfind")) - lists_before == 5


async def test_a_scan_cut_short_leaves_a_file_all_or_nothing_and_the_next_applies_it(
    feeds: Feeds,
) -> None:
    many = "\n".join(
        f'<product product-id="p{n}"><display-name xml:lang="x-default">P{n}</display-name>'
        "</product>"
        for n in range(3000)
    )
    await feeds.drop(CATALOG, "big.xml", catalog(many))
    task = asyncio.create_task(feeds.sides.store.scanner.refresh())
    await asyncio.sleep(0.15)  # into the download, the check or the apply
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    keys = [f"p{n}" for n in range(3000)]
    present = len(await feeds.sides.state.get("product", keys))
    assert present in {0, 3000}
    report = await feeds.sides.store.scanner.refresh()
    assert report is not None
    if present == 0:
        assert report.applied == [f"{CATALOG}/big.xml"]
    assert len(await feeds.sides.state.get("product", keys)) == 3000
    listing = await feeds.sides.store.dav.listing(CATALOG)
    [entry] = [e for e in listing.entries if e.path.endswith("big.xml")]
    outcome = await feeds.sides.state.outcome(FeedFile(entry.path, entry.size, entry.modified))
    assert outcome is not None
    assert outcome.status == "applied"


async def test_applied_files_are_archived_when_asked() -> None:
    async with (
        running() as (simulator, control, scratch),
        connected(simulator, scratch, archive_folder="Impex/archive") as sides,
    ):
        await sides.store.refresh()
        await control.drop(STOCK, "a.xml", inventory("inventory_m", ""))
        await sides.store.refresh()
        assert not (simulator.state.root / STOCK / "a.xml").exists()
        assert (simulator.state.root / "Impex/archive" / STOCK / "a.xml").exists()
        assert (simulator.state.root / "Impex/archive" / STOCK / "a.xml.done").exists()
        assert DAV_ROOT.endswith("/Sites")


async def test_reduce_if_available_refuses_what_the_inventory_feeds_lack(feeds: Feeds) -> None:
    records = '<record product-id="MUG-1"><allocation>2</allocation></record>'
    await feeds.drop(STOCK, "a.xml", inventory("inventory_m", records))

    def draft(quantity: int) -> OrderDraft:
        return OrderDraft(
            reference=f"90{quantity}",
            marketplace_status=OrderState.AWAITING_SHIPMENT,
            shipped_by=ShippedBy.SELLER,
            lines=(DraftLine("MUG-1", quantity, Money(Decimal(5), "GBP")),),
            currency="GBP",
            stock=StockOnCreate.REDUCE_IF_AVAILABLE,
        )

    with pytest.raises(FatalError, match="MUG-1: 2 available, 3 ordered"):
        await feeds.sides.orders.create_order(draft(3))
    assert await feeds.control.calls(endpoint="orders.create") == []
    created = await feeds.sides.orders.create_order(draft(2))
    assert created.reference == "902"


async def test_the_import_job_refuses_to_cancel_a_shipped_order(feeds: Feeds) -> None:
    draft = OrderDraft(
        reference="577",
        marketplace_status=OrderState.AWAITING_SHIPMENT,
        shipped_by=ShippedBy.SELLER,
        lines=(DraftLine("MUG-1", 1, Money(Decimal(5), "GBP")),),
        currency="GBP",
        stock=StockOnCreate.LEAVE,
    )
    created = await feeds.sides.orders.create_order(draft)
    body = {"carrier": "Royal Mail", "tracking_number": "RM1"}
    await feeds.control.sim("POST", f"store/orders/{created.id}/ship", body)
    await feeds.sides.orders.cancel_order(created.id, reason=CancelReason.CUSTOMER)
    [order] = (await feeds.control.sim("GET", "store/orders"))["orders"]
    assert (order["id"], order["cancelled"]) == (created.id, False)


async def test_a_file_over_the_size_taken_is_refused_and_the_next_applied() -> None:
    async with (
        running() as (simulator, control, scratch),
        connected(simulator, scratch, max_file_mb=1) as sides,
    ):
        await sides.store.refresh()
        big = simulator.state.root / CATALOG / "a_big.xml"
        big.write_text(catalog("<!-- " + "x" * 1_100_000 + " -->"))  # straight onto its disk
        big.with_name("a_big.xml.done").write_bytes(b"")
        mug = '<product product-id="mug"><display-name xml:lang="x-default">M</display-name>'
        await control.drop(CATALOG, "b_small.xml", catalog(mug + "</product>"))
        report = await sides.store.scanner.refresh()
        assert report is not None
        assert (report.refused, report.applied) == (
            [f"{CATALOG}/a_big.xml"],
            [f"{CATALOG}/b_small.xml"],
        )
        [refusal] = await sides.state.refusals()
        assert refusal.reason == "the file is over 1048576 bytes (max_file_mb)"
