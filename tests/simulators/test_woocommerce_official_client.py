"""The unmodified official `woocommerce` package against the simulator, for the calls the
connector makes: OAuth 1.0a over plain HTTP and HTTP Basic over HTTPS (a trustme CA)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import pytest
from woocommerce_sim_support import KEY, SECRET, Sim, in_thread, mug, running_sim, shirt


@pytest.fixture(params=["oauth-over-http", "basic-over-https"])
async def sim(request: pytest.FixtureRequest) -> AsyncIterator[Sim]:
    async with running_sim(tls=request.param == "basic-over-https") as started:
        yield started


async def test_products_page_with_the_wp_headers(sim: Sim) -> None:
    await sim.products(*(mug(f"M{n}", title=f"Mug {n}") for n in range(25)))
    api = sim.official()
    first = await in_thread(
        lambda: api.get("products", params={"per_page": 10, "orderby": "id", "order": "asc"})
    )
    assert first.status_code == 200, first.text
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == ("25", "3")
    last = await in_thread(
        lambda: api.get(
            "products", params={"per_page": 10, "page": 3, "orderby": "id", "order": "asc"}
        )
    )
    assert [p["name"] for p in last.json()] == [f"Mug {n}" for n in range(20, 25)]
    assert 'rel="prev"' in last.headers["Link"]


async def test_variations_and_a_variation_read_as_a_product(sim: Sim) -> None:
    [created] = await sim.products(shirt())
    api = sim.official()
    product = (await in_thread(lambda: api.get(f"products/{created['id']}"))).json()
    assert product["type"] == "variable"
    assert product["variations"] == [int(v["id"]) for v in created["variants"]]
    listed = await in_thread(
        lambda: api.get(f"products/{created['id']}/variations", params={"per_page": 100})
    )
    assert sorted(v["sku"] for v in listed.json()) == ["SH-L", "SH-M"]
    one = (await in_thread(lambda: api.get(f"products/{created['variants'][0]['id']}"))).json()
    assert (one["type"], one["parent_id"], one["stock_quantity"]) == ("variation", product["id"], 5)


async def test_an_order_is_created_paid_noted_tracked_and_cancelled(sim: Sim) -> None:
    [created] = await sim.products(shirt())
    variation = int(created["variants"][0]["id"])
    api = sim.official()
    order = {
        "set_paid": True,
        "payment_method_title": "TikTok Shop",
        "line_items": [
            {"product_id": int(created["id"]), "variation_id": variation, "quantity": 2}
        ],
        "meta_data": [{"key": "_tiktok_order_id", "value": "576461413038785752"}],
    }
    made = await in_thread(lambda: api.post("orders", order))
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["status"], body["created_via"]) == ("processing", "rest-api")
    assert body["date_paid"] is not None
    stock = (await in_thread(lambda: api.get(f"products/{variation}"))).json()["stock_quantity"]
    assert stock == 3
    found = await in_thread(
        lambda: api.get("orders", params={"created_via": "rest-api", "per_page": 100})
    )
    assert [o["id"] for o in found.json()] == [body["id"]]
    note = await in_thread(
        lambda: api.post(f"orders/{body['id']}/notes", {"note": "TikTok Shop status: IN_TRANSIT"})
    )
    assert note.status_code == 201
    notes = (await in_thread(lambda: api.get(f"orders/{body['id']}/notes"))).json()
    assert notes[0]["note"] == "TikTok Shop status: IN_TRANSIT"
    cancelled = await in_thread(lambda: api.put(f"orders/{body['id']}", {"status": "cancelled"}))
    assert cancelled.json()["status"] == "cancelled"
    again = (await in_thread(lambda: api.get(f"products/{variation}"))).json()["stock_quantity"]
    assert again == 5


async def test_shipment_trackings_through_the_extension(sim: Sim) -> None:
    [created] = await sim.products(mug())
    api = sim.official()
    line = {"product_id": int(created["id"]), "quantity": 1}
    order = (
        await in_thread(lambda: api.post("orders", {"set_paid": True, "line_items": [line]}))
    ).json()
    ship = {
        "tracking_provider": "Royal Mail",
        "tracking_number": "RM123456785GB",
        "date_shipped": "2026-11-30",
    }
    # The extension has its own namespace: the client reaches it through `version`.
    tracking_api = sim.official(version="wc-shipment-tracking/v3")
    answer = await in_thread(
        lambda: tracking_api.post(f"orders/{order['id']}/shipment-trackings", ship)
    )
    assert answer.status_code == 201, answer.text
    listed = (
        await in_thread(lambda: tracking_api.get(f"orders/{order['id']}/shipment-trackings"))
    ).json()
    assert [(t["tracking_provider"], t["tracking_number"]) for t in listed] == [
        ("Royal Mail", "RM123456785GB")
    ]


async def test_the_store_currency(sim: Sim) -> None:
    answer = await in_thread(lambda: sim.official().get("settings/general/woocommerce_currency"))
    assert answer.json()["value"] == "GBP"


# --- refusals --------------------------------------------------------------------------------


async def test_a_wrong_key_is_refused(sim: Sim) -> None:
    answer = await in_thread(lambda: sim.official(consumer_key="ck_wrong").get("products"))
    assert answer.status_code == 401
    assert answer.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Consumer key is invalid.",
        "data": {"status": 401},
    }


async def test_a_wrong_secret_is_refused(sim: Sim) -> None:
    answer = await in_thread(lambda: sim.official(consumer_secret="cs_wrong").get("products"))
    assert answer.status_code == 401
    expected = (
        "Consumer secret is invalid."
        if sim.running.ca_file
        else "Invalid signature - provided signature does not match."
    )
    assert answer.json()["message"] == expected


async def test_more_than_100_per_page_is_refused(sim: Sim) -> None:
    answer = await in_thread(lambda: sim.official().get("products", params={"per_page": 101}))
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "rest_invalid_param"
    assert "per_page" in body["data"]["params"]


async def test_a_read_only_key_cannot_write(sim: Sim) -> None:
    await sim.control("POST", "/_sim/keys", {"permissions": "read"})
    answer = await in_thread(lambda: sim.official().post("orders", {"line_items": []}))
    assert answer.status_code == 401
    assert answer.json()["message"] == "The API key provided does not have write permissions."


async def test_basic_auth_over_plain_http_is_not_authentication() -> None:
    async with running_sim() as sim:
        basic = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        async with sim.session.get(
            f"{sim.base_url}/wp-json/wc/v3/products", headers={"Authorization": basic}
        ) as plain:
            assert plain.status == 401
            assert (await plain.json())["code"] == "woocommerce_rest_cannot_view"
