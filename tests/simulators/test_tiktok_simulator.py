"""The TikTok Shop simulator's gateway, auth host, catalogue and pagination, over real HTTP."""

from __future__ import annotations

import json

import yarl
from tiktok_sim_support import APP_KEY, APP_SECRET, png, product_payload

from daemon.connectors.tiktok.signing import sign_request

SHOPS = "/authorization/202309/shops"
WAREHOUSES = "/logistics/202309/warehouses"
SEARCH = "/product/202502/products/search"


# --- signature, timestamp, credentials -----------------------------------------------------


async def test_good_signature_is_accepted(api):
    reply = await api.call("GET", SHOPS, shop=False)
    assert reply.status == 200
    assert reply.code == 0
    assert set(reply.body) == {"code", "message", "request_id", "data"}
    shop = reply.data["shops"][0]
    assert shop["cipher"] == api.cipher
    assert shop["region"] == "GB"
    assert shop["id"] == api.shop["shop_id"]


async def test_upper_case_hex_signature_is_rejected(api):
    reply = await api.call("GET", SHOPS, shop=False, mutate_sign=str.upper)
    assert (reply.status, reply.code) == (401, 106001)


async def test_changed_body_byte_is_rejected(api):
    signed = json.dumps({"page_size": 10}, separators=(",", ":")).encode()
    reply = await api.call(
        "POST", SEARCH, query={"page_size": "10"}, body=signed, send_body=signed.replace(b"1", b"2")
    )
    assert (reply.status, reply.code) == (401, 106001)


async def test_reserialised_json_body_is_rejected(api):
    payload = {"status": "ALL", "seller_skus": ["A"]}
    compact = json.dumps(payload, separators=(",", ":")).encode()
    spaced = json.dumps(payload).encode()
    assert compact != spaced
    reply = await api.call("POST", SEARCH, query={"page_size": "5"}, body=compact, send_body=spaced)
    assert reply.code == 106001
    ok = await api.call("POST", SEARCH, query={"page_size": "5"}, body=spaced)
    assert ok.code == 0


async def test_stale_timestamp_is_rejected(api):
    reply = await api.call("GET", WAREHOUSES, timestamp=api.now() - 301)
    assert reply.code == 36009004
    assert "5 minutes" in reply.message
    inside = await api.call("GET", WAREHOUSES, timestamp=api.now() - 280)
    assert inside.code == 0


async def test_future_timestamp_is_rejected(api):
    reply = await api.call("GET", WAREHOUSES, timestamp=api.now() + 45)
    assert reply.code == 36009004
    assert "30 seconds" in reply.message
    inside = await api.call("GET", WAREHOUSES, timestamp=api.now() + 20)
    assert inside.code == 0


async def test_timestamps_follow_the_simulator_clock(api):
    await api.control("POST", "/_sim/clock/advance", {"seconds": 3600})
    stale = await api.call("GET", WAREHOUSES)  # the client still signs with wall-clock time
    assert stale.code == 36009004
    api.clock_offset = 3600
    assert (await api.call("GET", WAREHOUSES)).code == 0


async def test_wrong_app_key_and_missing_sign(api, session, simulator):
    url = simulator.base_url + SHOPS
    headers = {"x-tts-access-token": api.token}
    params = {"app_key": "nope", "timestamp": str(api.now()), "sign": "0" * 64}
    async with session.get(url, params=params, headers=headers) as response:
        body = await response.json()
    assert body["code"] == 36009004
    assert "app_key" in body["message"]
    params = {"app_key": APP_KEY, "timestamp": str(api.now())}
    async with session.get(url, params=params, headers=headers) as response:
        body = await response.json()
    assert body["code"] == 36009004
    assert "signature" in body["message"]


async def test_shop_cipher_is_required_where_the_api_needs_it(api):
    reply = await api.call("GET", WAREHOUSES, shop=False)
    assert reply.code == 106013


async def test_shop_cipher_is_refused_where_the_api_forbids_it(api):
    reply = await api.call("GET", SHOPS, shop=True)
    assert reply.code == 36009004
    assert "Unexpected identifier" in reply.message


async def test_unknown_cipher_is_rejected(api):
    api.cipher = "GCP_not-a-real-cipher"
    reply = await api.call("GET", WAREHOUSES)
    assert reply.code == 36009004
    assert "shop_cipher" in reply.message


async def test_access_token_is_required_in_the_header(api):
    reply = await api.call("GET", WAREHOUSES, token=False)
    assert reply.code == 36009004
    assert "x-tts-access-token" in reply.message
    in_query = await api.call("GET", WAREHOUSES, token=False, query={"access_token": api.token})
    assert in_query.code == 36009004


async def test_expired_token_answers_105002(api):
    await api.advance(7 * 86_400 + 1)
    reply = await api.call("GET", WAREHOUSES)
    assert (reply.status, reply.code) == (401, 105002)


async def test_expire_control_makes_the_next_call_105002(api):
    await api.control("POST", "/_sim/tokens/expire", {"access_token": api.token})
    assert (await api.call("GET", WAREHOUSES)).code == 105002


async def test_revoked_token_is_rejected(api):
    revoked = await api.control("POST", "/_sim/tokens/revoke", {"access_token": api.token})
    assert revoked == {"revoked": 1}
    reply = await api.call("GET", WAREHOUSES)
    assert reply.code == 36009004
    assert "x-tts-access-token" in reply.message


async def test_unknown_path_method_and_version(api):
    assert (await api.call("GET", "/product/202309/nothing_here")).code == 36009009
    assert (await api.call("GET", "/product/202309/products/search")).code == 12019150
    assert (await api.call("PATCH", WAREHOUSES)).code == 36009010
    assert (await api.call("GET", "/logistics/202401/warehouses")).code == 36009014


async def test_json_endpoints_need_a_json_content_type(api):
    reply = await api.call(
        "POST", SEARCH, query={"page_size": "5"}, payload={}, content_type="text/plain"
    )
    assert reply.code == 36009022


# --- auth host ------------------------------------------------------------------------------


async def test_token_get_is_single_use_and_refresh_issues_a_new_access_token(api, session):
    base = api.base_url
    code = await api.control("POST", "/_sim/auth_codes", {"shop_ids": [api.shop["shop_id"]]})
    query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": code["auth_code"],
        "grant_type": "authorized_code",
    }
    async with session.get(base + "/api/v2/token/get", params=query) as response:
        first = await response.json()
    assert first["code"] == 0
    data = first["data"]
    assert data["access_token_expire_in"] > api.now() + 6 * 86_400  # absolute timestamp
    assert data["refresh_token_expire_in"] > data["access_token_expire_in"]
    assert data["user_type"] == 0
    async with session.get(base + "/api/v2/token/get", params=query) as response:
        again = await response.json()
    assert again["code"] == 36004004

    refresh_query = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "refresh_token": data["refresh_token"],
        "grant_type": "refresh_token",
    }
    async with session.get(base + "/api/v2/token/refresh", params=refresh_query) as response:
        refreshed = await response.json()
    assert refreshed["code"] == 0
    assert refreshed["data"]["access_token"] != data["access_token"]
    api.token = refreshed["data"]["access_token"]
    assert (await api.call("GET", WAREHOUSES)).code == 0

    bad = {**refresh_query, "refresh_token": "ROW_unknown"}
    async with session.get(base + "/api/v2/token/refresh", params=bad) as response:
        assert (await response.json())["code"] == 36004005
    wrong_secret = {**refresh_query, "app_secret": "wrong"}
    async with session.get(base + "/api/v2/token/refresh", params=wrong_secret) as response:
        assert (await response.json())["code"] == 36009004


# --- products and review -------------------------------------------------------------------


async def test_product_goes_pending_then_active_after_review(api, make_product):
    created = await make_product(api)
    assert created.code == 0, created.body
    product_id = created.data["product_id"]
    path = f"/product/202309/products/{product_id}"
    assert (await api.call("GET", path)).data["status"] == "PENDING"
    await api.advance(61)
    detail = (await api.call("GET", path)).data
    assert detail["status"] == "ACTIVATE"
    sku = detail["skus"][0]
    assert sku["price"]["sale_price"] == "12.50"
    assert "amount" not in sku["price"]
    assert {level["quantity"] for level in sku["inventory"]} == {10}


async def test_banned_word_fails_review_with_a_reason(api, make_product):
    await api.control("PUT", "/_sim/review_rules", {"banned_words": ["replica"]})
    created = await make_product(api, title="Replica Designer Mug")
    assert created.code == 0
    await api.advance(61)
    detail = (await api.call("GET", f"/product/202309/products/{created.data['product_id']}")).data
    assert detail["status"] == "FAILED"
    reasons = detail["audit_failed_reasons"]
    assert reasons[0]["position"] == "title"
    assert "replica" in reasons[0]["reasons"][0]


async def test_create_product_validation_and_listing_check(api, make_product):
    too_dear = await make_product(api, price="5600.01")
    assert too_dear.code == 12052570
    assert "skus[0].price.amount" in too_dear.message
    too_many = await make_product(api, quantity=100_000)
    assert too_many.code == 12052055
    bad_image = {"title": "x", "main_images": [{"uri": "tos-unknown"}], "skus": []}
    check = await api.call("POST", "/product/202309/products/listing_check", payload=bad_image)
    assert check.code == 0
    assert check.data["check_result"] == "FAILED"
    codes = {reason["code"] for reason in check.data["fail_reasons"]}
    assert {12052722, 12052015, 12052002, 12052902} <= codes
    search = await api.call("POST", SEARCH, query={"page_size": "10"}, payload={})
    assert search.data["total_count"] == 0


async def test_idempotency_key_returns_the_first_product(api, make_product):
    upload = await api.upload(png(800, 800))
    warehouses = [w["id"] for w in api.shop["warehouses"]]
    payload = {**product_payload(upload.data["uri"], warehouses), "idempotency_key": "k-1"}
    first = await api.call("POST", "/product/202309/products", payload=payload)
    second = await api.call("POST", "/product/202309/products", payload=payload)
    assert first.data["product_id"] == second.data["product_id"]


async def test_image_upload_rejects_other_formats(api):
    gif = await api.upload(b"GIF89a" + b"\x00" * 64)
    assert gif.code == 12038015
    tiny = await api.upload(png(100, 100))
    assert tiny.code == 12038014
    good = await api.upload(png(1000, 800))
    assert good.code == 0
    assert good.data["width"] == 1000
    assert good.data["uri"]


async def test_inventory_update_rules(api, make_product):
    created = await make_product(api)
    product_id = created.data["product_id"]
    sku_id = created.data["skus"][0]["id"]
    w1, w2 = (w["id"] for w in api.shop["warehouses"])
    path = f"/product/202309/products/{product_id}/inventory/update"

    def body(*levels):
        inventory = [{"warehouse_id": w, "quantity": q} for w, q in levels]
        return {"skus": [{"id": sku_id, "inventory": inventory}]}

    pending = await api.call("POST", path, payload=body((w1, 5), (w2, 5)))
    assert pending.code == 12019113  # only ACTIVATE products take stock updates
    await api.advance(61)
    missing = await api.call("POST", path, payload=body((w1, 5)))
    assert missing.code == 12019028
    too_many = await api.call("POST", path, payload=body((w1, 100_000), (w2, 1)))
    assert too_many.code == 0
    error = too_many.data["errors"][0]
    assert error["code"] == 12052990
    assert error["detail"]["sku_id"] == sku_id
    assert error["detail"]["extra_errors"][0]["code"] == 12052055
    foreign = await api.call(
        "POST", path, payload={"skus": [{"id": "1", "inventory": [{"warehouse_id": w1}]}]}
    )
    assert foreign.code == 12052557
    good = await api.call("POST", path, payload=body((w1, 7), (w2, 99_999)))
    assert (good.code, good.data) == (0, {})
    detail = (await api.call("GET", f"/product/202309/products/{product_id}")).data
    levels = {i["warehouse_id"]: i["quantity"] for i in detail["skus"][0]["inventory"]}
    assert levels == {w1: 7, w2: 99_999}


async def test_price_update_needs_activate_and_stays_in_range(api, make_product):
    created = await make_product(api)
    product_id, sku_id = created.data["product_id"], created.data["skus"][0]["id"]
    path = f"/product/202309/products/{product_id}/prices/update"
    price = {"skus": [{"id": sku_id, "price": {"amount": "9.99", "currency": "GBP"}}]}
    assert (await api.call("POST", path, payload=price)).code == 12019113
    await api.advance(61)
    assert (await api.call("POST", path, payload=price)).data == {}
    euro = {"skus": [{"id": sku_id, "price": {"amount": "9.99", "currency": "EUR"}}]}
    assert (await api.call("POST", path, payload=euro)).code == 12052084
    detail = (await api.call("GET", f"/product/202309/products/{product_id}")).data
    assert detail["skus"][0]["price"]["sale_price"] == "9.99"


# --- pagination -----------------------------------------------------------------------------


async def test_product_search_pages_with_url_sensitive_tokens(api, make_product):
    created = set()
    for index in range(7):
        reply = await make_product(api, seller_sku=f"SKU-{index}")
        created.add(reply.data["product_id"])
    seen: list[str] = []
    tokens: list[str] = []
    query = {"page_size": "3"}
    while True:
        page = await api.call("POST", SEARCH, query=query, payload={"status": "PENDING"})
        assert page.code == 0, page.body
        assert page.data["total_count"] == 7
        seen.extend(product["id"] for product in page.data["products"])
        token = page.data["next_page_token"]
        if not token:
            break
        tokens.append(token)
        query = {"page_size": "3", "page_token": token}
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == created
    assert len(tokens) == 2
    for token in tokens:
        assert {"+", "/", "="} <= set(token)


async def test_unencoded_plus_in_a_page_token_breaks_the_request(api, make_product, session):
    for index in range(3):
        await make_product(api, seller_sku=f"P-{index}")
    first = await api.call("POST", SEARCH, query={"page_size": "2"}, payload={})
    token = first.data["next_page_token"]
    params = {
        "app_key": APP_KEY,
        "timestamp": str(api.now()),
        "shop_cipher": api.cipher,
        "page_size": "2",
        "page_token": token,
    }
    params["sign"] = sign_request(APP_SECRET, SEARCH, params, b"{}")
    raw_query = "&".join(f"{key}={value}" for key, value in params.items())  # no encoding
    url = yarl.URL(f"{api.base_url}{SEARCH}?{raw_query}", encoded=True)
    headers = {"x-tts-access-token": api.token, "Content-Type": "application/json"}
    async with session.post(url, data=b"{}", headers=headers) as response:
        body = await response.json()
    assert body["code"] == 106001  # "+" arrived as a space, so the signature no longer matches


async def test_search_filters_by_seller_sku_with_limits(api, make_product):
    await make_product(api, seller_sku="FIND-ME")
    await make_product(api, seller_sku="OTHER")
    found = await api.call(
        "POST", SEARCH, query={"page_size": "10"}, payload={"seller_skus": ["FIND-ME"]}
    )
    assert [p["skus"][0]["seller_sku"] for p in found.data["products"]] == ["FIND-ME"]
    assert found.data["total_count"] == 1
    eleven = {"seller_skus": [f"S{i}" for i in range(11)]}
    assert (
        await api.call("POST", SEARCH, query={"page_size": "10"}, payload=eleven)
    ).code == 12019027
    bad_size = await api.call("POST", SEARCH, query={"page_size": "101"}, payload={})
    assert bad_size.code == 36009004


async def test_call_log_records_every_platform_call(api):
    await api.call("GET", WAREHOUSES)
    await api.call("GET", WAREHOUSES, shop=False)
    log = await api.control("GET", "/_sim/calls?operation=get_warehouses")
    assert [(c["status"], c["code"]) for c in log["calls"]] == [(200, 0), (400, 106013)]
    assert log["calls"][0]["query"]["shop_cipher"] == api.cipher
    tokens = await api.control("GET", "/_sim/calls?operation=token_get")
    assert tokens["calls"][0]["query"]["app_secret"] == "***"
