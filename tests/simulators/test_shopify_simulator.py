"""The Shopify simulator's own behaviour, over loopback HTTP: auth, versions, pagination,
the leaky bucket, webhooks, inventory, the clock, faults and the control API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from yarl import URL

from daemon.connectors.shopify import verify_delivery
from simulators.shopify import ShopifySimulator, generate_catalog
from tests.support.shopify import (
    SimControl,
    next_page_info,
    parse_link_header,
    product,
    running,
    webhook_receiver,
)


@pytest.fixture
async def shop_sim() -> AsyncIterator[tuple[ShopifySimulator, SimControl]]:
    async with running() as opened:
        yield opened


@pytest.fixture
async def control(shop_sim: tuple[ShopifySimulator, SimControl]) -> SimControl:
    return shop_sim[1]


async def test_the_access_token_is_required(control: SimControl) -> None:
    for token in ("", "shpat_wrong"):
        status, body, _ = await control.admin("GET", "shop", token=token)
        assert status == 401
        assert body == {
            "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
        }
    status, body, headers = await control.admin("GET", "shop")
    assert status == 200
    assert body["shop"]["currency"] == "GBP"
    assert headers["X-Shopify-Shop-Api-Call-Limit"] == "1/40"


async def test_api_versions(control: SimControl) -> None:
    _, _, headers = await control.admin("GET", "shop")
    assert headers["X-Shopify-API-Version"] == "2026-10"
    assert "X-Shopify-API-Deprecated-Reason" not in headers
    status, _, headers = await control.admin("GET", "shop", version="2024-04")
    assert status == 200
    assert headers["X-Shopify-API-Version"] == "2025-10"  # retired: falls forward
    assert headers["X-Shopify-API-Deprecated-Reason"]
    status, body, _ = await control.admin("GET", "shop", version="v2")
    assert (status, body) == (404, {"errors": "Not Found"})


async def test_products_page_through_the_link_header(control: SimControl) -> None:
    await control.load([product(f"P{n}") for n in range(7)])
    status, body, headers = await control.admin("GET", "products", limit="3")
    assert status == 200
    seen = [p["id"] for p in body["products"]]
    links = parse_link_header(headers.get("Link"))
    assert set(links) == {"next"}
    cursor = next_page_info(headers.get("Link"))
    assert cursor is not None
    _, body, headers = await control.admin("GET", "products", limit="3", page_info=cursor)
    seen += [p["id"] for p in body["products"]]
    assert set(parse_link_header(headers.get("Link"))) == {"next", "previous"}
    cursor = next_page_info(headers.get("Link"))
    assert cursor is not None
    _, body, headers = await control.admin("GET", "products", limit="3", page_info=cursor)
    seen += [p["id"] for p in body["products"]]
    assert next_page_info(headers.get("Link")) is None
    assert seen == sorted(seen)
    assert len(set(seen)) == 7
    previous = parse_link_header(headers.get("Link"))["previous"]
    back = URL(previous).query["page_info"]
    _, body, headers = await control.admin("GET", "products", limit="3", page_info=back)
    assert [p["id"] for p in body["products"]] == seen[3:6]
    assert set(parse_link_header(headers.get("Link"))) == {"next", "previous"}


async def test_a_follow_up_page_takes_only_page_info_limit_and_fields(control: SimControl) -> None:
    await control.load([product(f"P{n}") for n in range(3)])
    _, _, headers = await control.admin("GET", "products", limit="1")
    cursor = next_page_info(headers.get("Link"))
    assert cursor is not None
    status, body, _ = await control.admin(
        "GET", "products", limit="1", page_info=cursor, updated_at_min="2020-01-01T00:00:00Z"
    )
    assert status == 400
    assert "page_info" in body["errors"]
    status, body, _ = await control.admin(
        "GET", "products", limit="1", page_info=cursor, fields="id,title"
    )
    assert status == 200
    assert set(body["products"][0]) == {"id", "title"}
    status, _, _ = await control.admin("GET", "products", page_info="not-a-cursor")
    assert status == 400


async def test_filters_travel_inside_the_cursor(control: SimControl) -> None:
    created = await control.load([product(f"P{n}") for n in range(6)])
    cutoff = await control.advance(60)
    for item in created[1::2]:
        await control.sim("PATCH", f"products/{item['id']}", {"title": "changed"})
    since = cutoff.isoformat()
    seen = []
    status, body, headers = await control.admin("GET", "products", limit="2", updated_at_min=since)
    while True:
        assert status == 200
        seen += [p["id"] for p in body["products"]]
        cursor = next_page_info(headers.get("Link"))
        if cursor is None:
            break
        status, body, headers = await control.admin("GET", "products", limit="2", page_info=cursor)
    assert seen == [item["id"] for item in created[1::2]]
    _, body, _ = await control.admin("GET", "products/count", updated_at_min=since)
    assert body == {"count": 3}


async def test_product_list_filters_and_limits(control: SimControl) -> None:
    created = await control.load(
        [product("A"), product("B", status="draft"), product("C"), product("D")]
    )
    ids = [item["id"] for item in created]
    _, body, _ = await control.admin("GET", "products", ids=f"{ids[0]},{ids[2]}")
    assert [p["id"] for p in body["products"]] == [ids[0], ids[2]]
    _, body, _ = await control.admin("GET", "products", since_id=str(ids[1]))
    assert [p["id"] for p in body["products"]] == ids[2:]
    _, body, _ = await control.admin("GET", "products", status="draft")
    assert [p["id"] for p in body["products"]] == [ids[1]]
    assert (await control.admin("GET", "products", limit="251"))[0] == 400
    assert (await control.admin("GET", "products", limit="0"))[0] == 400


async def test_product_json_has_the_documented_shape(control: SimControl) -> None:
    [created] = await control.load(
        [
            product(
                "Mug",
                {
                    "sku": "MUG-1",
                    "price": "7.5",
                    "compare_at_price": "9.00",
                    "barcode": "5012345678900",
                    "weight": "0.35",
                    "weight_unit": "kg",
                    "image": 1,
                    "tracked": False,
                },
                images=[
                    {"src": "https://cdn.example/a.webp"},
                    {"src": "https://cdn.example/b.gif"},
                ],
                tags=["kitchen", "gift"],
            )
        ]
    )
    _, body, _ = await control.admin("GET", f"products/{created['id']}")
    mug = body["product"]
    assert mug["tags"] == "kitchen, gift"
    assert mug["options"] == [
        {
            "id": mug["options"][0]["id"],
            "product_id": mug["id"],
            "name": "Title",
            "position": 1,
            "values": ["Default Title"],
        }
    ]
    [variant] = mug["variants"]
    assert (variant["price"], variant["compare_at_price"]) == ("7.50", "9.00")
    assert variant["inventory_item_id"] != variant["id"]
    assert variant["image_id"] == mug["images"][1]["id"]
    assert variant["inventory_management"] is None
    assert variant["grams"] == 350
    assert mug["images"][1]["variant_ids"] == [variant["id"]]
    _, body, _ = await control.admin(
        "GET", "inventory_items", ids=str(variant["inventory_item_id"])
    )
    assert body["inventory_items"][0]["tracked"] is False
    _, body, _ = await control.admin("GET", f"products/{created['id']}/variants")
    assert body["variants"][0]["sku"] == "MUG-1"


async def test_the_leaky_bucket_throttles_each_token(control: SimControl) -> None:
    await control.sim("POST", "bucket", {"size": 5, "leak_rate": 0.5, "reset": True})
    limits = []
    for _ in range(5):
        status, _, headers = await control.admin("GET", "shop")
        assert status == 200
        limits.append(headers["X-Shopify-Shop-Api-Call-Limit"])
    assert limits == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    status, body, headers = await control.admin("GET", "shop")
    assert status == 429
    assert body["errors"].startswith("Exceeded 2 calls per second")
    assert 0 < float(headers["Retry-After"]) <= 2.0
    assert headers["X-Shopify-Shop-Api-Call-Limit"] == "5/5"
    await control.sim("POST", "tokens", {"add": ["shpat_other_app"]})
    status, _, headers = await control.admin("GET", "shop", token="shpat_other_app")
    assert (status, headers["X-Shopify-Shop-Api-Call-Limit"]) == (200, "1/5")
    assert len(await control.calls(status="429")) == 1


async def test_webhooks_are_signed_and_describe_the_change(control: SimControl) -> None:
    async with webhook_receiver() as (url, received):
        await control.sim("POST", "webhooks", {"url": url, "secret": "hush"})
        [created] = await control.load([product("Lamp", {"sku": "L1", "price": "5.00"})])
        variant = created["variants"][0]
        await control.sim("PATCH", f"products/{created['id']}", {"title": "Lamp 2"})
        await control.sim(
            "POST",
            "inventory",
            {"levels": [{"inventory_item_id": variant["inventory_item_id"], "available": 4}]},
        )
        await control.sim("DELETE", f"products/{created['id']}")
        deliveries = (await control.sim("GET", "webhooks"))["deliveries"]
    assert [d["topic"] for d in deliveries] == [
        "products/update",
        "inventory_levels/update",
        "products/delete",
    ]
    assert all(d["status"] == 200 and d["error"] is None for d in deliveries)
    assert len(received) == 3
    headers, body = received[0]
    expected = base64.b64encode(hmac.new(b"hush", body, hashlib.sha256).digest()).decode()
    assert headers["X-Shopify-Hmac-Sha256"] == expected
    assert headers["X-Shopify-Topic"] == "products/update"
    assert headers["X-Shopify-Shop-Domain"] == "sim-shop.myshopify.com"
    assert headers["X-Shopify-API-Version"] == "2026-10"
    assert datetime.fromisoformat(headers["X-Shopify-Triggered-At"])
    assert json.loads(body)["title"] == "Lamp 2"
    hints = [verify_delivery("hush", h, b) for h, b in received]
    assert hints[0].product_id == str(created["id"])
    assert hints[1].inventory_item_id == str(variant["inventory_item_id"])
    assert hints[2].product_id == str(created["id"])
    assert len({hint.webhook_id for hint in hints}) == 3


async def test_a_failing_webhook_endpoint_is_recorded_not_fatal(control: SimControl) -> None:
    async with webhook_receiver(status=500) as (url, _):
        await control.sim("POST", "webhooks", {"url": url})
        await control.load([product("A")], webhooks=True)
        [failed] = (await control.sim("GET", "webhooks"))["deliveries"]
    assert (failed["topic"], failed["status"], failed["error"]) == (
        "products/create",
        500,
        "HTTP 500",
    )
    await control.sim("POST", "webhooks", {"url": "http://127.0.0.1:9/nowhere"})
    await control.load([product("B")], webhooks=True)
    deliveries = (await control.sim("GET", "webhooks", topic="products/create"))["deliveries"]
    assert deliveries[-1]["error"] is not None
    assert (await control.admin("GET", "shop"))[0] == 200


async def test_inventory_levels_lists_and_limits(control: SimControl) -> None:
    second = (await control.sim("POST", "locations", {"name": "Second"}))["location"]["id"]
    variants = [
        {"sku": f"S{n}", "price": "1.00", "options": [f"S{n}"], "stock": n} for n in range(60)
    ]
    [created] = await control.load([product("Many", *variants)])
    items = [v["inventory_item_id"] for v in created["variants"]]
    status, body, _ = await control.admin(
        "GET", "inventory_levels", inventory_item_ids=",".join(map(str, items))
    )
    assert status == 422
    assert "inventory_item_ids" in body["errors"]
    assert (await control.admin("GET", "inventory_levels"))[0] == 422
    status, body, headers = await control.admin(
        "GET", "inventory_levels", inventory_item_ids=",".join(map(str, items[:50])), limit="30"
    )
    assert status == 200
    assert len(body["inventory_levels"]) == 30
    assert next_page_info(headers.get("Link")) is not None
    status, body, _ = await control.admin(
        "POST",
        "inventory_levels/set",
        {"inventory_item_id": items[3], "location_id": second, "available": 9},
    )
    assert status == 200
    assert body["inventory_level"]["available"] == 9
    _, body, _ = await control.admin("GET", "inventory_levels", inventory_item_ids=str(items[3]))
    assert sorted(level["available"] for level in body["inventory_levels"]) == [3, 9]
    _, body, headers = await control.admin(
        "GET", "inventory_items", ids=",".join(map(str, items[:60]))
    )
    assert len(body["inventory_items"]) == 50  # the default limit applies to id lists too
    assert next_page_info(headers.get("Link")) is not None
    assert (await control.admin("GET", "inventory_items"))[0] == 422


async def test_untracked_items_refuse_a_stock_level(control: SimControl) -> None:
    [created] = await control.load([product("U", {"price": "1.00", "tracked": False})])
    [location] = (await control.admin("GET", "locations"))[1]["locations"]
    status, body, _ = await control.admin(
        "POST",
        "inventory_levels/set",
        {
            "inventory_item_id": created["variants"][0]["inventory_item_id"],
            "location_id": location["id"],
            "available": 3,
        },
    )
    assert status == 422
    assert "tracking" in body["errors"][0]


async def test_deleted_products_become_destroy_events(control: SimControl) -> None:
    created = await control.load([product("A"), product("B")])
    await control.sim("DELETE", f"products/{created[0]['id']}")
    later = await control.advance(120)
    await control.sim("DELETE", f"products/{created[1]['id']}")
    _, body, _ = await control.admin("GET", "events", filter="Product", verb="destroy")
    assert [e["subject_id"] for e in body["events"]] == [created[0]["id"], created[1]["id"]]
    _, body, _ = await control.admin(
        "GET", "events", filter="Product", verb="destroy", created_at_min=later.isoformat()
    )
    assert [e["subject_id"] for e in body["events"]] == [created[1]["id"]]
    assert (await control.admin("GET", f"products/{created[0]['id']}"))[0] == 404


async def test_the_clock_moves_updated_at_and_only_forward(control: SimControl) -> None:
    [created] = await control.load([product("A")])
    start = await control.now()
    moved = await control.advance(86_400)
    assert moved - start >= timedelta(days=1)
    await control.sim("PATCH", f"products/{created['id']}", {"title": "B"})
    _, body, _ = await control.admin("GET", f"products/{created['id']}")
    assert datetime.fromisoformat(body["product"]["updated_at"]) >= moved
    assert datetime.fromisoformat(body["product"]["created_at"]) < moved
    async with control.session.post(
        f"{control.base_url}/_sim/clock/advance", json={"seconds": -5}
    ) as response:
        assert response.status == 400


async def test_timestamps_use_the_shop_time_zone() -> None:
    async with running(utc_offset_minutes=-240) as (_, control):
        await control.load([product("A")])
        _, body, _ = await control.admin("GET", "products")
        assert body["products"][0]["updated_at"].endswith("-04:00")


async def test_random_faults_repeat_with_the_seed(control: SimControl) -> None:
    async def pattern() -> list[int]:
        await control.sim(
            "POST",
            "faults",
            {"seed": 7, "rules": [{"endpoint": "shop", "error_500": 0.3, "error_503": 0.3}]},
        )
        return [(await control.admin("GET", "shop"))[0] for _ in range(20)]

    first = await pattern()
    assert set(first) == {200, 500, 503}
    assert await pattern() == first
    await control.sim("DELETE", "faults")
    assert (await control.admin("GET", "shop"))[0] == 200


async def test_calls_are_recorded_and_filtered(control: SimControl) -> None:
    await control.admin("GET", "shop")
    await control.admin("GET", "products", limit="5")
    await control.admin("GET", "shop", token="bad")
    products = await control.calls(endpoint="products.list")
    assert [(c["method"], c["path"], c["query"], c["status"]) for c in products] == [
        ("GET", "/admin/api/2026-10/products.json", {"limit": "5"}, 200)
    ]
    assert len(await control.calls(status="401")) == 1
    assert len(await control.calls(path_prefix="/admin/api/2026-10/shop")) == 2
    state = await control.sim("GET", "state")
    assert state["calls"] == 3
    assert {"products", "orders", "inventory_levels", "locations", "webhooks"} <= set(state)


async def test_generated_catalogs_are_deterministic_and_load_in_process() -> None:
    first = generate_catalog(50, 4, seed=3)
    second = generate_catalog(50, 4, seed=3)
    assert first.model_dump() == second.model_dump()
    assert len({v.sku for p in first.products for v in p.variants}) == 200
    async with running() as (simulator, control):
        assert simulator.generate(2_000, 5) == 10_000
        _, body, _ = await control.admin("GET", "products/count")
        assert body == {"count": 2_000}
        _, body, _ = await control.admin("GET", "products", limit="250", fields="id,variants")
        assert len(body["products"]) == 250
        answer = await control.sim("POST", "catalog/generate", {"products": 10, "variants": 2})
        assert (answer["products"], answer["variants"]) == (10, 20)
