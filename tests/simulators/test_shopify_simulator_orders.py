"""The Shopify simulator's orders: inventory behaviours, totals, listing, cancellation with
restock, and the fulfillment-order flow with tracking."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.shopify import SimControl, product, running, webhook_receiver


class Store:
    def __init__(self, control: SimControl, catalog: list[Any], second: int) -> None:
        self.control = control
        self.second = second
        variants = catalog[0]["variants"]
        self.deny, self.cont = variants[0], variants[1]

    async def stock(self, variant: dict[str, Any]) -> dict[int, int]:
        _, body, _ = await self.control.admin(
            "GET", "inventory_levels", inventory_item_ids=str(variant["inventory_item_id"])
        )
        return {lv["location_id"]: lv["available"] for lv in body["inventory_levels"]}

    async def order(self, *lines: tuple[dict[str, Any], int], **fields: Any) -> Any:
        body = {
            "order": {
                "line_items": [{"variant_id": v["id"], "quantity": q} for v, q in lines],
                **fields,
            }
        }
        return await self.control.admin("POST", "orders", body)


@pytest.fixture
async def store() -> AsyncIterator[Store]:
    async with running() as (simulator, control):
        second = (await control.sim("POST", "locations", {"name": "Second"}))["location"]["id"]
        first = min(simulator.shop.state.locations)
        catalog = await control.load(
            [
                product(
                    "Lamp",
                    {"sku": "D", "price": "10.00", "options": ["D"], "stock": 3},
                    {
                        "sku": "C",
                        "price": "4.00",
                        "options": ["C"],
                        "inventory_policy": "continue",
                        "stock": [{"location_id": second, "available": 1}],
                    },
                )
            ]
        )
        assert first != second
        yield Store(control, catalog, second)


@pytest.mark.parametrize(
    ("behaviour", "deny_left", "cont_left"),
    [
        ("bypass", 3, 1),
        ("decrement_ignoring_policy", -1, -1),
        ("decrement_obeying_policy", None, None),  # refused: the deny variant is short
    ],
)
async def test_inventory_behaviour(
    store: Store, behaviour: str, deny_left: int | None, cont_left: int | None
) -> None:
    status, body, _ = await store.order(
        (store.deny, 4), (store.cont, 2), inventory_behaviour=behaviour
    )
    if deny_left is None:
        assert status == 422
        assert "out of stock" in body["errors"]["line_items"][0]
        deny_left, cont_left = 3, 1  # nothing moved, not even the line that fitted
    else:
        assert status == 201
    assert list((await store.stock(store.deny)).values()) == [deny_left]
    assert await store.stock(store.cont) == {store.second: cont_left}


async def test_obeying_the_policy_lets_continue_variants_oversell(store: Store) -> None:
    status, _, _ = await store.order(
        (store.deny, 3), (store.cont, 5), inventory_behaviour="decrement_obeying_policy"
    )
    assert status == 201
    assert list((await store.stock(store.deny)).values()) == [0]
    assert await store.stock(store.cont) == {store.second: -4}


async def test_order_validation(store: Store) -> None:
    status, body, _ = await store.control.admin("POST", "orders", {"order": {"line_items": []}})
    assert status == 422
    assert "line_items" in body["errors"]
    status, body, _ = await store.control.admin(
        "POST", "orders", {"order": {"line_items": [{"variant_id": 1, "quantity": 1}]}}
    )
    assert status == 422
    status, body, _ = await store.control.admin(
        "POST",
        "orders",
        {"order": {"line_items": [{"title": "Gift wrap", "price": "2.50", "quantity": 1}]}},
    )
    assert status == 201
    assert body["order"]["line_items"][0]["variant_id"] is None


async def test_order_totals_and_labels(store: Store) -> None:
    status, body, _ = await store.order(
        (store.deny, 2),
        note="TikTok Shop order 42",
        tags="TikTok, tiktok-42",
        note_attributes=[{"name": "tiktok_order_id", "value": 42}],
        source_name="tiktok",
        financial_status="paid",
        transactions=[{"kind": "sale", "status": "success", "amount": "23.00"}],
        tax_lines=[{"title": "VAT", "price": "4.00", "rate": 0.2}],
        shipping_lines=[{"title": "Standard", "price": "3.00"}],
        discount_codes=[{"code": "TT", "amount": "4.00", "type": "fixed_amount"}],
        customer={"first_name": "Ada", "email": "ada@example.com"},
    )
    assert status == 201
    order = body["order"]
    assert order["name"] == "#1001"
    assert (order["subtotal_price"], order["total_tax"], order["total_price"]) == (
        "16.00",
        "4.00",
        "23.00",
    )
    assert order["note_attributes"] == [{"name": "tiktok_order_id", "value": "42"}]
    assert order["tags"] == "TikTok, tiktok-42"
    assert order["customer"]["id"] > 0
    assert order["email"] == "ada@example.com"
    assert order["line_items"][0]["price"] == "10.00"


async def test_order_listing_filters(store: Store) -> None:
    first = (await store.order((store.deny, 1), tags="a"))[1]["order"]
    second = (await store.order((store.deny, 1), tags="b"))[1]["order"]
    await store.control.admin("POST", f"orders/{first['id']}/cancel", {})
    _, body, _ = await store.control.admin("GET", "orders")
    assert [o["id"] for o in body["orders"]] == [second["id"]]  # "open" by default
    _, body, _ = await store.control.admin("GET", "orders", status="any", fields="id,tags")
    assert body["orders"] == [{"id": first["id"], "tags": "a"}, {"id": second["id"], "tags": "b"}]
    _, body, _ = await store.control.admin("GET", "orders", status="any", tag="a")
    assert len(body["orders"]) == 2  # tag is not a REST filter: it is ignored
    _, body, _ = await store.control.admin("GET", "orders", status="cancelled")
    assert [o["id"] for o in body["orders"]] == [first["id"]]
    _, body, _ = await store.control.admin("GET", "orders/count", status="any")
    assert body == {"count": 2}


async def test_cancel_with_restock(store: Store) -> None:
    async with webhook_receiver() as (url, _):
        await store.control.sim("POST", "webhooks", {"url": url})
        created = (
            await store.order(
                (store.deny, 2),
                inventory_behaviour="decrement_obeying_policy",
                financial_status="paid",
            )
        )[1]["order"]
        assert list((await store.stock(store.deny)).values()) == [1]
        status, body, _ = await store.control.admin(
            "POST", f"orders/{created['id']}/cancel", {"reason": "nonsense"}
        )
        assert status == 422
        status, body, _ = await store.control.admin(
            "POST", f"orders/{created['id']}/cancel", {"reason": "customer", "restock": True}
        )
        assert status == 200
        cancelled = body["order"]
        assert cancelled["cancel_reason"] == "customer"
        assert cancelled["cancelled_at"] is not None
        assert cancelled["financial_status"] == "refunded"
        assert list((await store.stock(store.deny)).values()) == [3]
        status, _, _ = await store.control.admin("POST", f"orders/{created['id']}/cancel", {})
        assert status == 422
        _, body, _ = await store.control.admin("GET", f"orders/{created['id']}/fulfillment_orders")
        assert {fo["status"] for fo in body["fulfillment_orders"]} == {"closed"}
        topics = [d["topic"] for d in (await store.control.sim("GET", "webhooks"))["deliveries"]]
    assert topics == [
        "inventory_levels/update",
        "orders/create",
        "inventory_levels/update",
        "orders/cancelled",
    ]


async def test_cancel_restocks_only_refunded_lines(store: Store) -> None:
    created = (await store.order((store.deny, 3), inventory_behaviour="decrement_obeying_policy"))[
        1
    ]["order"]
    line = created["line_items"][0]["id"]
    refund = {
        "refund_line_items": [{"line_item_id": line, "quantity": 1, "restock_type": "cancel"}]
    }
    status, _, _ = await store.control.admin(
        "POST", f"orders/{created['id']}/cancel", {"reason": "inventory", "refund": refund}
    )
    assert status == 200
    assert list((await store.stock(store.deny)).values()) == [1]


async def test_fulfillment_order_flow(store: Store) -> None:
    created = (await store.order((store.deny, 2), (store.cont, 1)))[1]["order"]
    _, body, _ = await store.control.admin("GET", f"orders/{created['id']}/fulfillment_orders")
    by_location = {fo["assigned_location_id"]: fo for fo in body["fulfillment_orders"]}
    assert len(by_location) == 2  # the continue variant is stocked at the second location
    second = by_location.pop(store.second)
    [first] = by_location.values()
    assert first["status"] == "open"
    assert "create_fulfillment" in first["supported_actions"]
    [deny_line] = first["line_items"]

    mixed = {
        "fulfillment": {
            "line_items_by_fulfillment_order": [
                {"fulfillment_order_id": first["id"]},
                {"fulfillment_order_id": second["id"]},
            ]
        }
    }
    assert (await store.control.admin("POST", "fulfillments", mixed))[0] == 422

    partial = {
        "fulfillment": {
            "line_items_by_fulfillment_order": [
                {
                    "fulfillment_order_id": first["id"],
                    "fulfillment_order_line_items": [{"id": deny_line["id"], "quantity": 1}],
                }
            ],
            "tracking_info": {"company": "Royal Mail", "number": "RM1", "url": "https://rm/1"},
        }
    }
    status, body, _ = await store.control.admin("POST", "fulfillments", partial)
    assert status == 201
    fulfilment = body["fulfillment"]
    assert (fulfilment["tracking_company"], fulfilment["tracking_number"]) == ("Royal Mail", "RM1")
    assert fulfilment["tracking_urls"] == ["https://rm/1"]
    assert fulfilment["name"] == "#1001.1"
    _, body, _ = await store.control.admin("GET", f"orders/{created['id']}")
    assert body["order"]["fulfillment_status"] == "partial"
    _, body, _ = await store.control.admin("GET", f"fulfillment_orders/{first['id']}")
    assert body["fulfillment_order"]["status"] == "in_progress"

    too_many = {
        "fulfillment": {
            "line_items_by_fulfillment_order": [
                {
                    "fulfillment_order_id": first["id"],
                    "fulfillment_order_line_items": [{"id": deny_line["id"], "quantity": 2}],
                }
            ]
        }
    }
    assert (await store.control.admin("POST", "fulfillments", too_many))[0] == 422

    fulfilled = await store.control.sim(
        "POST",
        f"orders/{created['id']}/fulfil",
        {"tracking_company": "DPD", "tracking_number": "D1"},
    )
    assert len(fulfilled["fulfillments"]) == 2
    _, body, _ = await store.control.admin("GET", f"orders/{created['id']}")
    assert body["order"]["fulfillment_status"] == "fulfilled"
    assert len(body["order"]["fulfillments"]) == 3
    whole = {
        "fulfillment": {"line_items_by_fulfillment_order": [{"fulfillment_order_id": first["id"]}]}
    }
    assert (await store.control.admin("POST", "fulfillments", whole))[0] == 422

    update = {"fulfillment": {"tracking_info": {"company": "Evri", "number": "E9"}}}
    status, body, _ = await store.control.admin(
        "POST", f"fulfillments/{fulfilment['id']}/update_tracking", update
    )
    assert status == 200
    assert (body["fulfillment"]["tracking_company"], body["fulfillment"]["tracking_numbers"]) == (
        "Evri",
        ["E9"],
    )
    _, body, _ = await store.control.admin("GET", f"orders/{created['id']}/fulfillments")
    assert [f["tracking_company"] for f in body["fulfillments"]] == ["Evri", "DPD", "DPD"]
    status, body, _ = await store.control.admin("POST", f"orders/{created['id']}/cancel", {})
    assert status == 422


async def test_a_fulfilment_moves_the_order_updated_at(store: Store) -> None:
    created = (await store.order((store.deny, 1)))[1]["order"]
    later = await store.control.advance(600)
    await store.control.sim("POST", f"orders/{created['id']}/fulfil", {"tracking_number": "X"})
    _, body, _ = await store.control.admin(
        "GET", "orders", status="any", updated_at_min=later.isoformat()
    )
    assert [o["id"] for o in body["orders"]] == [created["id"]]
