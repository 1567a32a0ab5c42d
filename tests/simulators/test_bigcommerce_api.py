"""The BigCommerce simulator's own API: catalog paging and filters, multi-location inventory,
V2 orders and shipments, auth and scopes, the rate window, errors and signed callbacks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from aiohttp import web

from simulators.bigcommerce import BigCommerceSimulatorConfig, secret_key, standard_signature
from simulators.kit import AppServer
from tests.support.bigcommerce import product, running, stocked


async def test_products_page_with_meta_and_include() -> None:
    async with running() as (_, sim):
        await sim.products(*(product(f"P{n}") for n in range(7)))
        status, body, _ = await sim.api(
            "GET", "v3/catalog/products", include="variants,images", limit="3", page="3"
        )
        assert status == 200
        assert [p["name"] for p in body["data"]] == ["P6"]
        assert body["meta"]["pagination"] == {
            "total": 7,
            "count": 1,
            "per_page": 3,
            "current_page": 3,
            "total_pages": 3,
            "links": {"current": "?page=3&limit=3", "previous": "?page=2&limit=3"},
        }
        assert body["data"][0]["variants"][0]["sku"] == "P6"
        _, bare, _ = await sim.api("GET", "v3/catalog/products", limit="1")
        assert "variants" not in bare["data"][0]


@pytest.mark.parametrize(("name", "value"), [("limit", "251"), ("limit", "0"), ("page", "x")])
async def test_bad_paging_is_refused_in_the_v3_shape(name: str, value: str) -> None:
    async with running() as (_, sim):
        status, body, _ = await sim.api("GET", "v3/catalog/products", **{name: value})
        assert status == 422
        assert set(body) == {"status", "title", "type", "errors"}
        assert name in body["errors"]


async def test_date_modified_min_and_visibility_filters() -> None:
    async with running() as (_, sim):
        [old, hidden] = await sim.products(product("Old"), product("Hidden", published=False))
        cutoff = await sim.advance(3600)
        await sim.sim("PATCH", f"products/{old['id']}", {"name": "Edited"})
        _, body, _ = await sim.api(
            "GET", "v3/catalog/products", **{"date_modified:min": cutoff.isoformat()}
        )
        assert [p["name"] for p in body["data"]] == ["Edited"]
        _, visible, _ = await sim.api("GET", "v3/catalog/products", is_visible="false")
        assert [p["id"] for p in visible["data"]] == [int(hidden["id"])]


async def test_inventory_tracking_follows_the_variants() -> None:
    async with running() as (_, sim):
        await sim.products(
            product("One", {"sku": "A", "price": "1.00"}),
            product("Two", {"sku": "B", "price": "1.00"}, {"sku": "C", "price": "2.00"}),
            product("Off", {"sku": "D", "price": "1.00", "tracked": False}),
            product("Pre", {"sku": "E", "price": "1.00", "backorders": True}),
        )
        _, body, _ = await sim.api("GET", "v3/catalog/products")
        got = [(p["inventory_tracking"], p["availability"]) for p in body["data"]]
        assert got == [
            ("product", "available"),
            ("variant", "available"),
            ("none", "available"),
            ("product", "preorder"),
        ]


async def test_tracking_and_availability_are_kept_per_product() -> None:
    """A neutral spec whose variants disagree is held as BigCommerce can: tracked when any
    variant is, on preorder only when every variant is."""
    async with running() as (_, sim):
        await sim.products(
            product(
                "Mixed", {"sku": "A", "price": "1"}, {"sku": "B", "price": "1", "tracked": False}
            ),
            product(
                "Some", {"sku": "C", "price": "1", "backorders": True}, {"sku": "D", "price": "1"}
            ),
        )
        _, body, _ = await sim.api("GET", "v3/catalog/products")
        got = [(p["inventory_tracking"], p["availability"]) for p in body["data"]]
        assert got == [("variant", "available"), ("variant", "available")]


async def test_inventory_items_locations_and_adjustments() -> None:
    async with running(BigCommerceSimulatorConfig(locations=("Leeds", "Bristol"))) as (_, sim):
        [lamp] = await sim.products(
            product(
                "Lamp", {"sku": "L", "price": "5", "stock": [{"location": "101", "available": 4}]}
            )
        )
        variant = int(lamp["variants"][0]["id"])
        _, locations, _ = await sim.api("GET", "v3/inventory/locations")
        assert [(loc["id"], loc["label"], loc["enabled"]) for loc in locations["data"]] == [
            (101, "Leeds", True),
            (102, "Bristol", True),
        ]
        status, _, _ = await sim.api(
            "PUT",
            "v3/inventory/adjustments/absolute",
            {
                "reason": "count",
                "items": [{"location_id": 102, "variant_id": variant, "quantity": 9}],
            },
        )
        assert status == 200
        await sim.api(
            "POST",
            "v3/inventory/adjustments/relative",
            {
                "reason": "sold",
                "items": [{"location_id": 101, "variant_id": variant, "quantity": -1}],
            },
        )
        _, items, _ = await sim.api("GET", "v3/inventory/items", **{"variant_id:in": str(variant)})
        [item] = items["data"]
        assert item["identity"]["variant_id"] == variant
        assert [(x["location_id"], x["available_to_sell"]) for x in item["locations"]] == [
            (101, 3),
            (102, 9),
        ]
        status, body, _ = await sim.api(
            "PUT",
            "v3/inventory/adjustments/absolute",
            {"items": [{"location_id": 7, "variant_id": variant, "quantity": 1}]},
        )
        assert status == 422
        assert "items[0].location_id" in body["errors"]


async def test_auth_scopes_and_store_hash() -> None:
    async with running() as (_, sim):
        assert (await sim.api("GET", "v2/store", token="wrong"))[0] == 401
        await sim.sim("POST", "tokens", {"grant": {"ro": ["store_v2_orders_read_only"]}})
        assert (await sim.api("GET", "v2/orders", token="ro"))[0] == 204
        status, body, _ = await sim.api("POST", "v2/orders", {}, token="ro")
        assert status == 403
        assert body == [{"status": 403, "message": body[0]["message"]}]
        assert "scope" in body[0]["message"]
        assert (await sim.api("GET", "v3/catalog/products", token="ro"))[0] == 403
        url = f"{sim.base_url}/stores/otherhash/v2/store"
        async with sim.session.get(url, headers={"X-Auth-Token": sim.config.access_token}) as r:
            assert r.status == 404


async def test_the_fixed_window_counts_calls_and_refuses_with_the_reset() -> None:
    async with running() as (_, sim):
        await sim.sim("PUT", "rate_limit", {"quota": 3, "window_ms": 60_000})
        lefts = []
        for _ in range(3):
            status, _, headers = await sim.api("GET", "v2/store")
            assert status == 200
            lefts.append(int(headers["X-Rate-Limit-Requests-Left"]))
            assert headers["X-Rate-Limit-Requests-Quota"] == "3"
            assert headers["X-Rate-Limit-Time-Window-Ms"] == "60000"
        assert lefts == [2, 1, 0]
        status, body, headers = await sim.api("GET", "v2/store")
        assert status == 429
        assert body[0]["status"] == 429
        assert 0 < int(headers["X-Rate-Limit-Time-Reset-Ms"]) <= 60_000


def order_body(variant_product: int, **fields: Any) -> dict[str, Any]:
    return {
        "status_id": 11,
        "billing_address": {"first_name": "Ada", "email": "ada@example.com"},
        "shipping_addresses": [{"first_name": "Ada", "city": "London", "country_iso2": "GB"}],
        "products": [{"product_id": variant_product, "quantity": 2}],
        **fields,
    }


async def test_orders_filter_by_external_order_id_take_and_return_stock() -> None:
    async with running() as (_, sim):
        [lamp] = await sim.products(
            product(
                "Lamp", {"sku": "L", "price": "5", "stock": [{"location": "101", "available": 4}]}
            )
        )
        pid, vid = int(lamp["id"]), int(lamp["variants"][0]["id"])
        status, order, _ = await sim.api(
            "POST",
            "v2/orders",
            order_body(pid, external_source="TikTok Shop", external_order_id="576"),
        )
        assert status == 200
        assert (order["status"], order["external_order_id"]) == ("Awaiting Fulfillment", "576")
        _, found, _ = await sim.api("GET", "v2/orders", external_order_id="576")
        assert [o["id"] for o in found] == [order["id"]]
        assert (await sim.api("GET", "v2/orders", external_order_id="999"))[0] == 204
        _, items, _ = await sim.api("GET", "v3/inventory/items", **{"variant_id:in": str(vid)})
        assert items["data"][0]["locations"][0]["available_to_sell"] == 2
        await sim.api("PUT", f"v2/orders/{order['id']}", {"status_id": 5})
        _, items, _ = await sim.api("GET", "v3/inventory/items", **{"variant_id:in": str(vid)})
        assert items["data"][0]["locations"][0]["available_to_sell"] == 4
        status, body, _ = await sim.api("POST", "v2/orders", order_body(pid, external_id="x"))
        assert status == 400
        assert "external_id" in body[0]["message"]


async def test_an_order_beyond_stock_and_backorder_limit_is_refused() -> None:
    async with running() as (simulator, sim):
        [lamp] = await sim.products(stocked("Lamp", 1))
        [pre] = await sim.products(product("Pre", {"sku": "PRE", "price": "1", "backorders": True}))
        status, body, _ = await sim.api("POST", "v2/orders", order_body(int(lamp["id"])))
        assert status == 409
        [error] = body[0]["details"]["errors"]
        assert (error["type"], error["available_quantity"]) == ("OutOfStock", 1)
        assert simulator.store.orders == {}
        # A product on preorder sells without stock.
        assert (await sim.api("POST", "v2/orders", order_body(int(pre["id"]))))[0] == 200


async def test_shipments_are_not_idempotent_and_move_the_status() -> None:
    async with running() as (_, sim):
        [lamp] = await sim.products(stocked("Lamp"))
        _, order, _ = await sim.api("POST", "v2/orders", order_body(int(lamp["id"])))
        _, lines, _ = await sim.api("GET", f"v2/orders/{order['id']}/products")
        _, addresses, _ = await sim.api("GET", f"v2/orders/{order['id']}/shipping_addresses")
        shipment = {
            "order_address_id": addresses[0]["id"],
            "tracking_number": "RM1",
            "tracking_carrier": "royal-mail",
            "items": [{"order_product_id": lines[0]["id"], "quantity": 1}],
        }
        assert (await sim.api("POST", f"v2/orders/{order['id']}/shipments", shipment))[0] == 201
        assert (await sim.api("POST", f"v2/orders/{order['id']}/shipments", shipment))[0] == 201
        _, shipments, _ = await sim.api("GET", f"v2/orders/{order['id']}/shipments")
        assert [s["tracking_number"] for s in shipments] == ["RM1", "RM1"]
        _, now, _ = await sim.api("GET", f"v2/orders/{order['id']}")
        assert now["status"] == "Shipped"
        status, _, _ = await sim.api("POST", f"v2/orders/{order['id']}/shipments", shipment)
        assert status == 400  # nothing left to ship


def test_the_standard_webhooks_vector() -> None:
    key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    signature = standard_signature(
        key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'
    )
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


async def test_callbacks_carry_ids_only_and_are_signed_with_the_client_secret() -> None:
    got: list[tuple[dict[str, str], bytes]] = []

    async def receive(request: web.Request) -> web.Response:
        got.append((dict(request.headers), await request.read()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hooks", receive)
    server = AppServer(app)
    url = await server.start() + "/hooks"
    try:
        async with running() as (simulator, sim):
            await sim.sim("PUT", "webhook_url", {"url": url})
            await sim.products(
                product(
                    "Lamp",
                    {"sku": "L", "price": "5", "stock": [{"location": "101", "available": 3}]},
                )
            )
            await sim.sim("POST", "webhooks/drain", {"timeout": 5})
    finally:
        await server.stop()
    scopes = [json.loads(body)["scope"] for _, body in got]
    assert scopes == ["store/product/created", "store/sku/inventory/updated"]
    headers, body = got[1]
    data = json.loads(body)["data"]
    assert data["type"] == "sku"
    assert data["inventory"]["method"] == "absolute"
    assert set(json.loads(body)) == {"scope", "store_id", "data", "hash", "created_at", "producer"}
    # A receiver given base64(client secret), as BigCommerce's sample does, verifies it.
    secret = base64.b64encode(simulator.config.client_secret.encode()).decode()
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()
