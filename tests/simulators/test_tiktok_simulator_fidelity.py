"""The TikTok simulator refuses what the platform refuses and answers in its shapes: access
scopes (105005), optional objects absent rather than null, and a single-warehouse seller's
``warehouse_id`` left out."""

from __future__ import annotations

import pytest
from tiktok_sim_support import SignedApi, png, product_payload

PRODUCTS = "/product/202309/products"


@pytest.fixture
async def one_warehouse(simulator, session) -> SignedApi:
    client = SignedApi(session, simulator.base_url)
    shop = await client.control("POST", "/_sim/shops", {"warehouses": [{"name": "Leeds"}]})
    client.shop = shop
    await client.authorize(shop["shop_id"])
    return client


async def test_a_grant_without_a_scope_gets_105005_where_it_is_needed(api) -> None:
    await api.control("PUT", "/_sim/tokens/scopes", {"scopes": ["seller.product.basic"]})
    search = await api.call("POST", f"{PRODUCTS}/search", payload={}, query={"page_size": "10"})
    assert search.code == 0, search.body
    image = await api.upload(png(800, 800))
    assert image.code == 105005
    warehouses = [w["id"] for w in api.shop["warehouses"]]
    created = await api.call("POST", PRODUCTS, payload=product_payload("u", warehouses))
    assert (created.code, created.message) == (
        105005,
        "Access denied. You should apply auth pkg for this api.",
    )
    orders = await api.call(
        "POST", "/order/202309/orders/search", payload={}, query={"page_size": "10"}
    )
    assert orders.code == 105005


async def test_optional_objects_are_absent_not_null(api, make_product) -> None:
    created = await make_product(api)
    assert created.code == 0, created.body
    detail = (await api.call("GET", f"{PRODUCTS}/{created.data['product_id']}")).data
    (sku,) = detail["skus"]
    assert "identifier_code" not in sku  # none was sent
    assert "brand" not in detail
    assert None not in [detail.get(k) for k in detail]
    assert isinstance(detail["package_weight"], dict)


async def test_a_single_warehouse_sku_may_leave_out_its_warehouse(one_warehouse) -> None:
    api = one_warehouse
    upload = await api.upload(png(800, 800))
    payload = product_payload(upload.data["uri"], [])
    payload["skus"][0]["inventory"] = [{"quantity": 7}]
    created = await api.call("POST", PRODUCTS, payload=payload)
    assert created.code == 0, created.body
    product_id = created.data["product_id"]
    await api.advance(61)
    sku_id = created.data["skus"][0]["id"]
    update = {"skus": [{"id": sku_id, "inventory": [{"quantity": 4}]}]}
    reply = await api.call("POST", f"{PRODUCTS}/{product_id}/inventory/update", payload=update)
    assert reply.code == 0, reply.body
    assert reply.data.get("errors") in (None, [])
    detail = (await api.call("GET", f"{PRODUCTS}/{product_id}")).data
    warehouse = api.shop["warehouses"][0]["id"]
    assert detail["skus"][0]["inventory"] == [{"warehouse_id": warehouse, "quantity": 4}]


async def test_two_warehouses_still_need_the_warehouse_id(api) -> None:
    upload = await api.upload(png(800, 800))
    payload = product_payload(upload.data["uri"], [])
    payload["skus"][0]["inventory"] = [{"quantity": 7}]
    created = await api.call("POST", PRODUCTS, payload=payload)
    assert created.code == 12052530
