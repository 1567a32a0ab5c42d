"""The unmodified `pymagento` client (the most used Python client for Magento 2) against the
simulator, for the calls the connector makes, and the refusals Magento makes.

pymagento is synchronous (requests): each test drives it in a worker thread while the
simulator serves on this test's event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import pytest
from magento import Magento, MagentoException, make_field_value_query, make_search_query

from simulators.magento import ALL_RESOURCES, MagentoSimulator
from tests.support.magento import MagentoControl, running

T = TypeVar("T")


@pytest.fixture
async def world() -> AsyncIterator[tuple[MagentoSimulator, MagentoControl]]:
    async with running() as (simulator, control):
        leeds = (await control.locations())[0]
        await control.sim("POST", "magento/sources", {"name": "York", "enabled": True})
        await control.products(
            [
                {
                    "title": "Mug",
                    "category": "Kitchen",
                    "variants": [
                        {
                            "sku": "MUG-1",
                            "price": "9.50",
                            "stock": [{"location": leeds, "available": 3}],
                        }
                    ],
                },
                {
                    "title": "Shirt",
                    "variants": [
                        {
                            "sku": "SH-M",
                            "price": "12.00",
                            "options": {"Size": "M"},
                            "stock": [
                                {"location": leeds, "available": 4},
                                {"location": "york", "available": 2},
                            ],
                        },
                        {"sku": "SH-L", "price": "13.00", "options": {"Size": "L"}},
                    ],
                },
                *(
                    {"title": f"Filler {n}", "variants": [{"sku": f"F-{n}", "price": "1.00"}]}
                    for n in range(5)
                ),
            ]
        )
        yield simulator, control


def client(simulator: MagentoSimulator, **kwargs: Any) -> Magento:
    options: dict[str, Any] = {
        "token": simulator.config.access_token,
        "base_url": simulator.base_url,
        "scope": "default",
        "batch_page_size": 300,
        **kwargs,
    }
    return Magento(**options)


async def run(call: Callable[[], T]) -> T:
    return await asyncio.to_thread(call)


async def test_products_are_searched_with_criteria_and_paged_to_the_total(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator, batch_page_size=2)
    skus = await run(lambda: [p["sku"] for p in magento.get_products()])
    assert len(skus) == len(set(skus)) == 9  # 6 simple, 1 configurable and its 2 children
    query = make_search_query([[("type_id", "configurable", "eq")]])
    [shirt] = await run(lambda: list(magento.get_products(query=query)))
    assert shirt["extension_attributes"]["configurable_product_links"]
    options = shirt["extension_attributes"]["configurable_product_options"]
    assert [o["label"] for o in options] == ["Size"]
    children = await run(
        lambda: magento.get_json_api(f"/V1/configurable-products/{shirt['sku']}/children")
    )
    assert [(c["sku"], c["visibility"]) for c in children] == [("SH-M", 1), ("SH-L", 1)]
    either = make_search_query([[("sku", "MUG-1", "eq"), ("sku", "F-0", "eq")]])
    assert sorted(
        p["sku"] for p in await run(lambda: list(magento.get_products(query=either)))
    ) == [
        "F-0",
        "MUG-1",
    ]
    mug = await run(lambda: magento.get_product("MUG-1"))
    assert mug is not None
    assert (mug["status"], mug["visibility"], mug["price"]) == (1, 4, 9.5)
    assert await run(lambda: magento.get_product("NOPE")) is None
    by_id = await run(lambda: magento.get_product_by_id(mug["id"]))
    assert by_id is not None
    assert by_id["sku"] == "MUG-1"


async def test_updated_at_filters_find_only_later_changes(world: Any) -> None:
    simulator, control = world
    magento = client(simulator)
    moment = (await control.advance(3600)).strftime("%Y-%m-%d %H:%M:%S")
    mug = await run(lambda: magento.get_product("MUG-1"))
    assert mug is not None
    await control.sim("PATCH", f"magento/products/{mug['id']}", {"name": "Big mug"})
    query = make_field_value_query("updated_at", moment, "gteq")
    changed = await run(lambda: [p["name"] for p in magento.get_products(query=query)])
    assert changed == ["Big mug"]


async def test_sources_and_source_items_per_source(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator)
    sources = await run(lambda: [(s["source_code"], s["enabled"]) for s in magento.get_sources()])
    assert sources == [("leeds_warehouse", True), ("york", True)]
    items = await run(lambda: list(magento.get_source_items(sku="SH-M")))
    assert sorted((i["source_code"], i["quantity"], i["status"]) for i in items) == [
        ("leeds_warehouse", 4, 1),
        ("york", 2, 1),
    ]
    at_york = await run(lambda: list(magento.get_source_items(source_code="york")))
    assert [i["sku"] for i in at_york] == ["SH-M"]
    salable = await run(
        lambda: magento.get_json_api("/V1/inventory/get-product-salable-quantity/SH-M/1")
    )
    assert salable == 6
    await run(
        lambda: magento.save_source_items(
            [{"sku": "SH-M", "source_code": "york", "quantity": 0, "status": 0}]
        )
    )
    salable = await run(
        lambda: magento.get_json_api("/V1/inventory/get-product-salable-quantity/SH-M/1")
    )
    assert salable == 4


def _order(increment_id: str, reference: str) -> dict[str, Any]:
    return {
        "increment_id": increment_id,
        "ext_order_id": reference,
        "items": [{"sku": "SH-M", "qty_ordered": 2, "price": 12}],
        "billing_address": {"firstname": "Ada", "lastname": "Lovelace"},
        "payment": {"method": "checkmo"},
    }


async def test_orders_by_increment_id_unique_per_store(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator)
    saved = await run(lambda: magento.save_order(_order("TT577", "577")))
    assert (saved["increment_id"], saved["ext_order_id"], saved["state"]) == ("TT577", "577", "new")
    found = await run(lambda: magento.get_order_by_increment_id("TT577"))
    assert found is not None
    assert found["entity_id"] == saved["entity_id"]
    assert await run(lambda: magento.get_order_by_increment_id("TT578")) is None
    with pytest.raises(MagentoException) as refused:
        await run(lambda: magento.save_order(_order("TT577", "577")))
    assert refused.value.message == "Unique constraint violation found"
    assert refused.value.response is not None
    assert refused.value.response.status_code == 400
    assert len(await run(lambda: list(magento.get_orders()))) == 1


async def test_invoice_ship_with_tracks_and_cancel(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator)
    order_id = (await run(lambda: magento.save_order(_order("TT9", "9"))))["entity_id"]
    await run(lambda: magento.create_order_invoice(order_id, {"capture": True}, notify=False))
    paid = await run(lambda: magento.get_order(order_id))
    assert (paid["state"], paid["total_paid"], paid["total_due"]) == ("processing", 24, 0)
    with pytest.raises(MagentoException):
        await run(lambda: magento.create_order_invoice(order_id, {"capture": True}))
    item_id = paid["items"][0]["item_id"]
    track = {"track_number": "RM1", "title": "Royal Mail", "carrier_code": "custom"}
    payload = {"items": [{"order_item_id": item_id, "qty": 1}], "tracks": [track]}
    first = await run(lambda: magento.ship_order(order_id, payload))
    second = await run(lambda: magento.ship_order(order_id, payload))
    assert first != second  # every call makes a new shipment
    shipments = await run(lambda: list(magento.get_order_shipments(order_id)))
    assert [s["tracks"][0]["track_number"] for s in shipments] == ["RM1", "RM1"]
    with pytest.raises(MagentoException):  # nothing left to ship
        await run(lambda: magento.ship_order(order_id, payload))
    assert await run(lambda: magento.post_json_api(f"/V1/orders/{order_id}/cancel")) is False
    other = (await run(lambda: magento.save_order(_order("TT10", "10"))))["entity_id"]
    assert await run(lambda: magento.post_json_api(f"/V1/orders/{other}/cancel")) is True
    assert (await run(lambda: magento.get_order(other)))["state"] == "canceled"


async def test_store_configs_name_the_currency(world: Any) -> None:
    simulator, _ = world
    [config] = await run(lambda: client(simulator).get_store_configs())
    assert (config["code"], config["base_currency_code"]) == ("default", "GBP")


async def test_a_wrong_token_is_refused(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator, token="not-the-token")
    with pytest.raises(MagentoException) as refused:
        await run(lambda: list(magento.get_products()))
    assert refused.value.response is not None
    assert refused.value.response.status_code == 401
    assert (
        str(refused.value) == "The consumer isn't authorized to access Magento_Catalog::products."
    )


async def test_a_missing_acl_resource_is_refused(world: Any) -> None:
    simulator, control = world
    granted = [r for r in ALL_RESOURCES if r != "Magento_InventoryApi::source"]
    await control.sim("PUT", "magento/resources", {"resources": granted})
    magento = client(simulator)
    with pytest.raises(MagentoException) as refused:
        await run(lambda: list(magento.get_source_items(sku="SH-M")))
    assert refused.value.response is not None
    assert refused.value.response.status_code == 401
    assert "Magento_InventoryApi::source" in str(refused.value)
    assert await run(lambda: magento.get_product("MUG-1")) is not None


async def test_bad_search_criteria_are_refused(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator)
    for query in (
        make_field_value_query("sku", "MUG-1", "around"),
        make_field_value_query("no_such_field", "1"),
        {"searchCriteria[pageSize]": "ten"},
    ):
        with pytest.raises(MagentoException) as refused:
            await run(
                lambda q=query: magento.request_api("get", "/V1/products", params=q, throw=True)
            )
        assert refused.value.response is not None
        assert refused.value.response.status_code == 400
    with pytest.raises(MagentoException) as refused:
        await run(lambda: magento.request_api("get", "/V1/products", throw=True))
    assert str(refused.value) == '"searchCriteria" is required. Enter and try again.'


async def test_a_page_size_over_the_limit_is_refused(world: Any) -> None:
    simulator, _ = world
    magento = client(simulator, batch_page_size=1000)  # pymagento's own default
    with pytest.raises(MagentoException) as refused:
        await run(lambda: list(magento.get_products()))
    assert str(refused.value) == "Maximum SearchCriteria pageSize is 300"
