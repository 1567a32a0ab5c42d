"""The neutral store control API (``/_sim/store/``), for every store simulator kind.

Written against the neutral API only; each registered store kind is started with its
simulator package's `start_store` and looked at through its own platform API by the probe its
fixture module (`tests/support/stores/<kind>.py`) gives, so a new store runs this whole suite.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from daemon.connectors.registry import STORE_KINDS
from simulators.kit import RunningStore, StoreSeed
from tests.support.stores import PlatformProbe, fixtures_of

KINDS = sorted(STORE_KINDS)


@dataclass
class Store:
    kind: str
    running: RunningStore
    session: aiohttp.ClientSession
    probe: PlatformProbe

    @property
    def several_locations(self) -> bool:
        """Whether the kind keeps stock per location (else at the seed's first only)."""
        return bool(STORE_KINDS[self.kind].capabilities.several_locations)

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        async with self.session.request(
            method, f"{self.running.control_url}/{path}", json=body
        ) as response:
            return response.status, await response.json()

    async def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = await self.call(method, path, body)
        assert status == 200, answer
        return answer

    async def locations(self) -> list[str]:
        return [loc["id"] for loc in (await self.ok("GET", "locations"))["locations"]]

    async def create(self, *products: dict[str, Any]) -> list[dict[str, Any]]:
        return list((await self.ok("POST", "products", {"products": list(products)}))["products"])


@pytest.fixture(params=KINDS)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    kind = request.param
    package = importlib.import_module(f"simulators.{kind}")
    seed = StoreSeed(
        name="Neutral shop",
        currency="GBP",
        locations=("North", "South"),
        webhook_url=None,
        options=dict(package.SAMPLE_OPTIONS),
    )
    running = await package.start_store(seed, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            probe = fixtures_of(kind).probe(running, session, dict(package.SAMPLE_OPTIONS))
            yield Store(kind, running, session, probe)
    finally:
        await running.stop()


def mug(sku: str = "MUG-1", **changes: Any) -> dict[str, Any]:
    variant = {"sku": sku, "price": "9.50", "stock": []}
    variant.update(changes.pop("variant", {}))
    return {"title": "Mug", "category": "Kitchen", "variants": [variant], **changes}


async def test_locations_are_the_seeds(store: Store) -> None:
    answer = await store.ok("GET", "locations")
    seeded = ["North", "South"] if store.several_locations else ["North"]
    assert [loc["name"] for loc in answer["locations"]] == seeded
    assert all(isinstance(loc["id"], str) for loc in answer["locations"])
    assert store.running.control_url == store.running.base_url + "/_sim/store"


async def test_created_products_show_on_the_platform(store: Store) -> None:
    north, *others = await store.locations()
    south_stock = [{"location": south, "available": 1} for south in others]
    spec = {
        "title": "Shirt",
        "category": "Tops",
        "description_html": "<p>Soft</p>",
        "images": ["/cdn/shirt_800x800.jpg"],
        "variants": [
            {
                "sku": "SH-M",
                "price": "12.00",
                "barcode": "5000000000017",
                "weight_kg": "0.3",
                "options": {"Size": "M"},
                "stock": [{"location": north, "available": 4}, *south_stock],
            },
            {"sku": "SH-L", "price": "13.50", "options": {"Size": "L"}, "backorders": True},
        ],
    }
    (created,) = await store.create(spec)
    assert created["title"] == "Shirt"
    assert [v["sku"] for v in created["variants"]] == ["SH-M", "SH-L"]
    medium, large = created["variants"]
    assert all(isinstance(v[key], str) for v in created["variants"] for key in ("id", "stock_key"))
    assert await store.probe.stock(medium["stock_key"], north) == 4
    for south in others:
        assert await store.probe.stock(medium["stock_key"], south) == 1
    assert await store.probe.price(large["id"]) == Decimal("13.50")
    assert await store.probe.published(created["id"])


async def test_unpublished_products_are_created_unpublished(store: Store) -> None:
    (created,) = await store.create(mug(published=False))
    assert not await store.probe.published(created["id"])
    assert await store.probe.exists(created["id"])


async def test_generated_catalogs_have_stock_everywhere_and_repeat_with_the_seed(
    store: Store,
) -> None:
    locations = await store.locations()
    first = (await store.ok("POST", "generate", {"products": 3, "variants": 2, "seed": 5}))[
        "products"
    ]
    assert len(first) == 3
    assert all(len(product["variants"]) == 2 for product in first)
    for variant in first[0]["variants"]:
        for location in locations:
            assert await store.probe.stock(variant["stock_key"], location) is not None
    again = (await store.ok("POST", "generate", {"products": 3, "variants": 2, "seed": 5}))[
        "products"
    ]
    assert [p["title"] for p in again] == [p["title"] for p in first]
    assert {p["id"] for p in again}.isdisjoint(p["id"] for p in first)


async def test_stock_changes_show_on_the_platform(store: Store) -> None:
    north, *others = await store.locations()
    (created,) = await store.create(mug(variant={"stock": [{"location": north, "available": 2}]}))
    key = created["variants"][0]["stock_key"]
    levels = [
        {"sku": "MUG-1", "location": north, "available": 7},
        *({"sku": "MUG-1", "location": south, "available": 3} for south in others),
    ]
    assert (await store.ok("POST", "stock", {"levels": levels}))["levels"] == levels
    assert await store.probe.stock(key, north) == 7
    for south in others:
        assert await store.probe.stock(key, south) == 3


async def test_a_bad_stock_entry_changes_nothing(store: Store) -> None:
    north, *_ = await store.locations()
    (created,) = await store.create(mug(variant={"stock": [{"location": north, "available": 2}]}))
    key = created["variants"][0]["stock_key"]
    good = {"sku": "MUG-1", "location": north, "available": 9}
    status, answer = await store.call(
        "POST", "stock", {"levels": [good, {"sku": "NOPE", "location": north, "available": 1}]}
    )
    assert (status, answer["field"]) == (404, "levels[1].sku")
    status, answer = await store.call(
        "POST", "stock", {"levels": [good, {"sku": "MUG-1", "location": "999", "available": 1}]}
    )
    assert (status, answer["field"]) == (404, "levels[1].location")
    assert await store.probe.stock(key, north) == 2


async def test_price_changes_show_on_the_platform(store: Store) -> None:
    (created,) = await store.create(mug())
    answer = await store.ok("POST", "prices", {"prices": [{"sku": "MUG-1", "price": "24.99"}]})
    assert answer == {"prices": [{"sku": "MUG-1", "price": "24.99"}]}
    assert await store.probe.price(created["variants"][0]["id"]) == Decimal("24.99")
    status, answer = await store.call("POST", "prices", {"prices": [{"sku": "X", "price": "1"}]})
    assert (status, answer["field"]) == (404, "prices[0].sku")
    for price in (9.5, "nine", "-1"):
        status, answer = await store.call(
            "POST", "prices", {"prices": [{"sku": "MUG-1", "price": price}]}
        )
        assert (status, answer["field"]) == (400, "prices[0].price"), price
    assert await store.probe.price(created["variants"][0]["id"]) == Decimal("24.99")


async def test_publishing_and_deleting_show_on_the_platform(store: Store) -> None:
    (created,) = await store.create(mug())
    product_id = created["id"]
    answer = await store.ok("POST", f"products/{product_id}/published", {"published": False})
    assert answer == {"id": product_id, "published": False}
    assert not await store.probe.published(product_id)
    await store.ok("POST", f"products/{product_id}/published", {"published": True})
    assert await store.probe.published(product_id)
    assert await store.ok("DELETE", f"products/{product_id}") == {"deleted": product_id}
    assert not await store.probe.exists(product_id)
    status, answer = await store.call("DELETE", f"products/{product_id}")
    assert status == 404
    assert answer["error"]
    status, _ = await store.call("POST", "products/nope/published", {"published": True})
    assert status == 404


async def test_orders_show_their_reference_lines_and_shipments(store: Store) -> None:
    north, *_ = await store.locations()
    (created,) = await store.create(mug(variant={"stock": [{"location": north, "available": 5}]}))
    variant_id = created["variants"][0]["id"]
    order_id = await store.probe.place_order(variant_id, 2, "577000000000000001")
    (order,) = (await store.ok("GET", "orders"))["orders"]
    assert order["id"] == order_id
    assert isinstance(order["name"], str)
    assert order["name"]
    assert (order["reference"], order["cancelled"], order["shipments"]) == (
        "577000000000000001",
        False,
        [],
    )
    assert order["lines"] == [{"sku": "MUG-1", "quantity": 2}]
    shipped = await store.ok(
        "POST", f"orders/{order_id}/ship", {"carrier": "Royal Mail", "tracking_number": "RM1"}
    )
    assert shipped["order"]["shipments"] == [{"carrier": "Royal Mail", "tracking_number": "RM1"}]
    assert await store.probe.shipments(order_id) == [("Royal Mail", "RM1")]
    status, answer = await store.call(
        "POST", f"orders/{order_id}/ship", {"carrier": "DPD", "tracking_number": "D2"}
    )
    assert status == 409  # nothing left to ship
    assert answer["error"]
    status, _ = await store.call("POST", f"orders/{order_id}/cancel", {})
    assert status == 409  # a shipped order cannot be cancelled


async def test_cancelling_shows_on_the_platform(store: Store) -> None:
    north, *_ = await store.locations()
    (created,) = await store.create(mug(variant={"stock": [{"location": north, "available": 5}]}))
    order_id = await store.probe.place_order(created["variants"][0]["id"], 1, "577000000000000002")
    answer = await store.ok("POST", f"orders/{order_id}/cancel", {})
    assert answer["order"]["cancelled"] is True
    assert await store.probe.cancelled(order_id)
    status, _ = await store.call("POST", f"orders/{order_id}/cancel", {})
    assert status == 409
    for path in ("orders/424242/cancel", "orders/abc/cancel"):
        status, answer = await store.call("POST", path, {})
        assert status == 404, path
    status, _ = await store.call(
        "POST", "orders/424242/ship", {"carrier": "DPD", "tracking_number": "1"}
    )
    assert status == 404


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "products",
            {"products": [{"variants": [{"sku": "A", "price": "1"}]}]},
            "products[0].title",
        ),
        ("products", {"products": [{"title": "A", "variants": []}]}, "products[0].variants"),
        (
            "products",
            {"products": [mug(variant={"weight_kg": 0.3})]},
            "products[0].variants[0].weight_kg",
        ),
        (
            "products",
            {"products": [mug(variant={"stock": [{"location": 1, "available": 1}]})]},
            "products[0].variants[0].stock[0].location",
        ),
        ("products", {"products": [mug(colour="red")]}, "products[0].colour"),
        ("generate", {"products": -1}, "products"),
        ("stock", {"levels": [{"sku": "A", "location": "1"}]}, "levels[0].available"),
        ("orders/1/ship", {"carrier": "DPD"}, "tracking_number"),
        ("orders/1/cancel", {"reason": "why"}, "reason"),
    ],
)
async def test_malformed_bodies_are_400_naming_the_field(
    store: Store, path: str, body: Any, field: str
) -> None:
    status, answer = await store.call("POST", path, body)
    assert (status, answer["field"]) == (400, field), answer


async def test_unknown_locations_in_a_product_are_404_and_nothing_is_created(store: Store) -> None:
    status, answer = await store.call(
        "POST",
        "products",
        {
            "products": [
                mug("OK-1"),
                mug("BAD-1", variant={"stock": [{"location": "1", "available": 1}]}),
            ]
        },
    )
    assert (status, answer["field"]) == (404, "products[1].variants[0].stock[0].location")
    status, answer = await store.call(
        "POST",
        "stock",
        {"levels": [{"sku": "OK-1", "location": (await store.locations())[0], "available": 1}]},
    )
    assert status == 404  # the first product was not created either


async def test_a_body_that_is_not_json_is_400(store: Store) -> None:
    async with store.session.post(f"{store.running.control_url}/stock", data=b"levels") as response:
        assert response.status == 400
        assert (await response.json())["error"] == "the body is not valid JSON"


async def test_unknown_routes_and_methods_answer_in_the_neutral_words(store: Store) -> None:
    for method, path, status in (("GET", "stock", 405), ("POST", "nothing/here", 404)):
        code, answer = await store.call(method, path, {})
        assert code == status, path
        assert set(answer) == {"error", "field"}
