"""Product edits and batch status changes on the TikTok Shop simulator, over real HTTP."""

from __future__ import annotations

import aiohttp
from tiktok_sim_support import APP_KEY, APP_SECRET, png, product_payload

from daemon.connectors.tiktok.signing import sign_request

PRODUCTS = "/product/202309/products"


async def active_product(api, make_product, **overrides):
    created = await make_product(api, **overrides)
    assert created.code == 0, created.body
    await api.advance(61)
    return created.data


async def get(api, product_id):
    reply = await api.call("GET", f"{PRODUCTS}/{product_id}")
    assert reply.code == 0, reply.body
    return reply.data


async def test_full_edit_replaces_skus_and_goes_back_to_review(api, make_product):
    created = await active_product(api, make_product)
    product_id, old_sku = created["product_id"], created["skus"][0]["id"]
    detail = await get(api, product_id)
    warehouses = [w["id"] for w in api.shop["warehouses"]]
    payload = product_payload(detail["main_images"][0]["uri"], warehouses, title="Bigger Mug")
    payload["skus"][0]["seller_sku"] = "MUG-NEW"
    edited = await api.call("PUT", f"/product/202509/products/{product_id}", payload=payload)
    assert edited.code == 0, edited.body
    new_sku = edited.data["skus"][0]["id"]
    assert new_sku != old_sku  # no id given: a new SKU replaces the omitted one
    after = await get(api, product_id)
    assert (after["status"], after["title"]) == ("PENDING", "Bigger Mug")
    payload["skus"][0]["id"] = "999"
    foreign = await api.call("PUT", f"/product/202509/products/{product_id}", payload=payload)
    assert foreign.code == 12052557


async def test_partial_edit_of_price_keeps_the_product_live(api, make_product):
    created = await active_product(api, make_product)
    product_id, sku_id = created["product_id"], created["skus"][0]["id"]
    path = f"/product/202509/products/{product_id}/partial_edit"
    price_only = {"skus": [{"id": sku_id, "price": {"amount": "15.00", "currency": "GBP"}}]}
    assert (await api.call("POST", path, payload=price_only)).code == 0
    detail = await get(api, product_id)
    assert (detail["status"], detail["skus"][0]["price"]["sale_price"]) == ("ACTIVATE", "15.00")
    one_warehouse = {
        "skus": [
            {
                "id": sku_id,
                "inventory": [{"warehouse_id": api.shop["warehouses"][0]["id"], "quantity": 3}],
            }
        ]
    }
    assert (await api.call("POST", path, payload=one_warehouse)).code == 12052533
    retitled = await api.call("POST", path, payload={"title": "Renamed Mug"})
    assert retitled.code == 0
    assert (await get(api, product_id))["status"] == "PENDING"


async def test_deactivate_activate_and_delete_in_batches(api, make_product):
    product_id = (await active_product(api, make_product))["product_id"]
    deactivate = f"{PRODUCTS}/deactivate"
    reply = await api.call("POST", deactivate, payload={"product_ids": [product_id, "42"]})
    assert reply.code == 0
    (error,) = reply.data["errors"]
    assert error["code"] == 12052990
    assert error["detail"]["product_id"] == "42"
    assert (await get(api, product_id))["status"] == "SELLER_DEACTIVATED"
    too_many = {"product_ids": [str(n) for n in range(21)]}
    assert (await api.call("POST", deactivate, payload=too_many)).code == 12019120
    assert (
        await api.call("POST", f"{PRODUCTS}/activate", payload={"product_ids": [product_id]})
    ).data == {}
    assert (await get(api, product_id))["status"] == "PENDING"
    assert (await api.call("DELETE", PRODUCTS, payload={"product_ids": [product_id]})).data == {}
    assert (await api.call("GET", f"{PRODUCTS}/{product_id}")).code == 12019150


async def test_draft_save_mode_skips_review(api):
    upload = await api.upload(png(600, 600))
    warehouses = [w["id"] for w in api.shop["warehouses"]]
    payload = {**product_payload(upload.data["uri"], warehouses), "save_mode": "AS_DRAFT"}
    created = await api.call("POST", PRODUCTS, payload=payload)
    await api.advance(61)
    assert (await get(api, created.data["product_id"]))["status"] == "DRAFT"


async def test_image_upload_takes_no_shop_cipher_and_must_be_multipart(api, session):
    path = "/product/202309/images/upload"
    params = {
        "app_key": APP_KEY,
        "timestamp": str(api.now()),
        "shop_cipher": api.cipher,
    }
    params["sign"] = sign_request(APP_SECRET, path, params, b"")
    headers = {"x-tts-access-token": api.token}
    data = aiohttp.FormData()
    data.add_field("data", png(800, 800), filename="mug.png", content_type="image/png")
    async with session.post(api.base_url + path, params=params, data=data, headers=headers) as r:
        body = await r.json()
    assert body["code"] == 36009004
    assert "Unexpected identifier" in body["message"]
    as_json = await api.call("POST", path, payload={"data": "x"}, shop=False)
    assert as_json.code == 36009023


async def test_categories_and_inventory_search(api, make_product):
    categories = (await api.call("GET", "/product/202309/categories")).data["categories"]
    assert any(c["id"] == "600024" and c["is_leaf"] for c in categories)
    created = await active_product(api, make_product, quantity=4)
    found = await api.call(
        "POST",
        "/product/202309/inventory/search",
        payload={"sku_ids": [created["skus"][0]["id"]]},
    )
    sku = found.data["inventory"][0]["skus"][0]
    assert sku["total_available_quantity"] == 8
    assert len(sku["warehouse_inventory"]) == 2


async def test_webhook_subscription_delete(api):
    body = {"address": "https://example.com/hooks", "event_type": "ORDER_STATUS_CHANGE"}
    assert (await api.call("PUT", "/event/202309/webhooks", payload=body)).code == 0
    delete = {"event_type": "ORDER_STATUS_CHANGE"}
    assert (await api.call("DELETE", "/event/202309/webhooks", payload=delete)).code == 0
    listed = await api.call("GET", "/event/202309/webhooks")
    assert listed.data == {"webhooks": [], "total_count": 0}
    bad = {"address": "https://example.com/hooks", "event_type": "NOPE"}
    assert (await api.call("PUT", "/event/202309/webhooks", payload=bad)).code == 36009004
