"""TikTokClient product endpoints against the simulator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tiktok_support import World, open_world, png

from daemon.connectors.tiktok import (
    InventoryInput,
    PriceInput,
    ProductPatch,
    ProductSearchFilter,
    ProductStatus,
    SkuInventoryInput,
    SkuPriceInput,
    TikTokBusinessError,
    TikTokClient,
)
from daemon.errors import SkippableError


@pytest.fixture
async def world(tmp_path):
    async with open_world(tmp_path) as opened:
        yield opened


@pytest.fixture
async def client(world: World) -> TikTokClient:
    opened = world.client()
    await opened.connect()
    return opened


async def test_upload_create_review_and_read_back(world, client):
    image = await client.products.upload_image(
        png(900, 900), filename="mug.png", content_type="image/png"
    )
    assert image.uri
    assert (image.width, image.height) == (900, 900)

    created = await client.products.create(world.product_input(image.uri))
    assert len(created.skus) == 1
    pending = await client.products.get(created.product_id)
    assert pending.status is ProductStatus.PENDING

    await world.control.advance(world.sim.config.review_seconds + 1)
    live = await client.products.get(created.product_id)
    assert live.status is ProductStatus.ACTIVATE
    assert live.title == "Stoneware Coffee Mug 350ml"
    sku = live.skus[0]
    assert sku.price is not None
    assert sku.price.sale_price == Decimal("12.50")
    assert {level.warehouse_id: level.quantity for level in sku.inventory} == dict.fromkeys(
        world.warehouse_ids, 10
    )


async def test_create_is_idempotent_under_a_repeated_key(world, client):
    image = await client.products.upload_image(png(), filename="a.png", content_type="image/png")
    product = world.product_input(image.uri).model_copy(update={"idempotency_key": "store-42"})
    first = await client.products.create(product)
    second = await client.products.create(product)
    assert first.product_id == second.product_id


async def test_bad_content_is_a_business_error_for_that_product(world, client):
    product = world.product_input("tos-unknown/never-uploaded")
    with pytest.raises(SkippableError, match="12052722"):
        await client.products.create(product)
    assert len(await world.control.calls(operation="create_product")) == 1


async def test_listing_check_is_a_dry_run(world, client):
    image = await client.products.upload_image(png(), filename="a.png", content_type="image/png")
    good = world.product_input(image.uri)
    assert (await client.products.check_listing(good)).passed

    not_a_leaf = good.model_copy(update={"category_id": "600001"})
    result = await client.products.check_listing(not_a_leaf)
    assert not result.passed
    assert 12052024 in {reason.code for reason in result.fail_reasons}
    assert [p async for p in client.products.search()] == []


async def test_full_edit_and_partial_edit(world, client):
    product_id, sku_ids = await world.live_product(client)
    image = await client.products.upload_image(png(), filename="b.png", content_type="image/png")
    replacement = world.product_input(image.uri, title="Stoneware Coffee Mug 350ml, Blue")
    edit = replacement.model_copy(
        update={"skus": [replacement.skus[0].model_copy(update={"id": sku_ids[0]})]}
    )
    edited = await client.products.edit(product_id, edit)
    assert edited.product_id == product_id
    assert [sku.id for sku in edited.skus] == sku_ids
    assert (await client.products.get(product_id)).title.endswith("Blue")

    await client.products.partial_edit(
        product_id, ProductPatch(title="Stoneware Coffee Mug 350ml, Green")
    )
    assert (await client.products.get(product_id)).title.endswith("Green")


async def test_search_pages_through_tokens_with_reserved_characters(world, client):
    image = await client.products.upload_image(png(), filename="a.png", content_type="image/png")
    created = [
        (await client.products.create(world.product_input(image.uri, title=f"Mug number {n}")))
        for n in range(5)
    ]

    first = await client.products.search_page(page_size=2)
    assert len(first.items) == 2
    assert first.total_count == 5
    assert first.next_page_token is not None
    assert set("+/=") <= set(first.next_page_token)
    second = await client.products.search_page(page_size=2, page_token=first.next_page_token)
    assert {p.id for p in second.items}.isdisjoint({p.id for p in first.items})

    found = [product.id async for product in client.products.search(page_size=2)]
    assert sorted(found) == sorted(product.product_id for product in created)
    calls = await world.control.calls(operation="search_products")
    assert [c["status"] for c in calls] == [200] * 5  # two single pages, then three pages


async def test_search_filters_by_seller_sku(world, client):
    await world.live_product(client)
    filters = ProductSearchFilter(seller_skus=["MUG-0"], status="ALL")
    assert len([p async for p in client.products.search(filters)]) == 1
    none = ProductSearchFilter(seller_skus=["NOPE"])
    assert [p async for p in client.products.search(none)] == []


async def test_deactivate_and_activate_report_per_product_failures(world, client):
    product_id, _ = await world.live_product(client)

    result = await client.products.deactivate([product_id, "1729000000000000001"])
    assert [failure.product_id for failure in result.failures] == ["1729000000000000001"]
    assert (await client.products.get(product_id)).status is ProductStatus.SELLER_DEACTIVATED

    activated = await client.products.activate([product_id])
    assert activated.ok
    assert (await client.products.get(product_id)).status is ProductStatus.PENDING


async def test_activate_chunks_to_twenty_ids(world, client):
    ids = [f"17290000000000{n:05d}" for n in range(45)]
    result = await client.products.activate(ids)
    assert len(result.failures) == 45
    assert len(await world.control.calls(operation="activate_products")) == 3


async def test_inventory_update_reports_failures_per_sku_and_warehouse(world, client):
    product_id, (good, bad) = await world.live_product(client, skus=2)
    first, second = world.warehouse_ids

    result = await client.products.update_inventory(
        product_id,
        [
            SkuInventoryInput(
                id=good,
                inventory=[
                    InventoryInput(warehouse_id=first, quantity=7),
                    InventoryInput(warehouse_id=second, quantity=3),
                ],
            ),
            SkuInventoryInput(
                id=bad,
                inventory=[
                    InventoryInput(warehouse_id=first, quantity=100_000),
                    InventoryInput(warehouse_id=second, quantity=4),
                ],
            ),
        ],
    )

    assert not result.ok
    assert [(f.sku_id, f.warehouse_id, f.code, f.outer_code) for f in result.failures] == [
        (bad, first, 12052055, 12052990)
    ]
    assert result.for_sku(good) == ()
    skus = {sku.id: sku for sku in (await client.products.get(product_id)).skus}
    assert {lvl.warehouse_id: lvl.quantity for lvl in skus[good].inventory} == {
        first: 7,
        second: 3,
    }
    assert {lvl.warehouse_id: lvl.quantity for lvl in skus[bad].inventory} == {
        first: 10,
        second: 10,
    }


async def test_inventory_update_must_name_every_warehouse(world, client):
    product_id, (sku,) = await world.live_product(client)
    partial = SkuInventoryInput(
        id=sku, inventory=[InventoryInput(warehouse_id=world.warehouse_ids[0], quantity=1)]
    )
    with pytest.raises(TikTokBusinessError) as caught:
        await client.products.update_inventory(product_id, [partial])
    assert caught.value.code == 12019028


async def test_price_update_and_read_back(world, client):
    product_id, (sku,) = await world.live_product(client)
    result = await client.products.update_prices(
        product_id,
        [SkuPriceInput(id=sku, price=PriceInput(amount=Decimal("15.00"), currency="GBP"))],
    )
    assert result.ok
    read = (await client.products.get(product_id)).skus[0].price
    assert read is not None
    assert read.sale_price == Decimal("15.00")


async def test_out_of_range_price_is_refused_for_that_product(world, client):
    product_id, (sku,) = await world.live_product(client)
    too_high = SkuPriceInput(id=sku, price=PriceInput(amount=Decimal(99999), currency="GBP"))
    with pytest.raises(SkippableError):
        await client.products.update_prices(product_id, [too_high])
    assert len(await world.control.calls(operation="update_price")) == 1
