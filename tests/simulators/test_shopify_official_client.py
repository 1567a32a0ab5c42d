"""Shopify's own Python library (`ShopifyAPI`, unmodified) runs the connector's GraphQL queries
and mutations (catalog, bulk, and the whole order side) against the simulator: the simulator
answers what Shopify's client sends, not our own echo."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import shopify  # type: ignore[import-untyped]

from daemon.connectors.shopify import order_queries, queries
from daemon.connectors.shopify.order_mapping import draft_to_input
from daemon.domain.models import Money
from daemon.domain.orders import DraftLine, OrderDraft, OrderState, ShippedBy, StockOnCreate
from simulators.shopify import ShopifySimulator
from tests.support.shopify import SimControl, product, running

VERSION = "2026-10"


@pytest.fixture
async def shop() -> AsyncIterator[tuple[ShopifySimulator, SimControl]]:
    async with running() as (simulator, control):
        await control.load(
            [
                product(
                    f"Lamp {n}",
                    *({"sku": f"L{n}-{v}", "price": "9.50", "stock": v + 4} for v in range(3)),
                )
                for n in range(12)
            ]
        )
        yield simulator, control


def _official(base_url: str, token: str) -> Any:
    """The library's own session and GraphQL client; only the site points at loopback."""
    session = shopify.Session("sim-shop.myshopify.com", VERSION, token)
    shopify.ShopifyResource.activate_session(session)
    shopify.ShopifyResource.site = f"{base_url}/admin/api/{VERSION}"
    return shopify.GraphQL()


async def _execute(client: Any, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(
        await asyncio.to_thread(client.execute, document, variables)
    )
    assert "errors" not in answer, answer["errors"]
    assert answer["extensions"]["cost"]["throttleStatus"]["restoreRate"] == 100
    return answer["data"]


async def test_the_connectors_queries_through_shopifys_client(shop: Any) -> None:
    simulator, control = shop
    client = _official(simulator.base_url, control.token)
    try:
        data = await _execute(client, queries.SHOP, {})
        assert data["shop"]["currencyCode"] == "GBP"
        titles: list[str] = []
        after = None
        while True:
            data = await _execute(client, queries.PRODUCTS, {"after": after, "query": None})
            page = data["products"]
            titles += [node["title"] for node in page["nodes"]]
            assert all(len(node["variants"]["nodes"]) == 3 for node in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert sorted(titles) == sorted(f"Lamp {n}" for n in range(12))
        data = await _execute(client, queries.LOCATIONS, {"after": None})
        [location] = data["locations"]["nodes"]
        search = {"after": None, "query": "title:'Lamp 3'"}
        data = await _execute(client, queries.PRODUCTS, search)
        [lamp] = data["products"]["nodes"]
        item_id = lamp["variants"]["nodes"][1]["inventoryItem"]["id"]
        data = await _execute(client, queries.item_levels(1), {"ids": [item_id]})
        [item] = data["nodes"]
        [level] = item["inventoryLevels"]["nodes"]
        assert level["location"]["id"] == location["id"]
        assert level["quantities"] == [{"name": "available", "quantity": 5}]
        variant = int(lamp["variants"]["nodes"][0]["id"].rsplit("/", 1)[1])
        reference = [{"name": "tiktok_order_id", "value": "5764"}]
        order = {
            "line_items": [{"variant_id": variant, "quantity": 1}],
            "source_name": "tiktok",
            "source_identifier": "5764",
            "note_attributes": reference,
        }
        status, _, _ = await control.admin("POST", "orders", {"order": order})
        assert status == 201
        search = {"after": None, "query": 'source_identifier:"5764"'}
        data = await _execute(client, order_queries.ORDER_REFS, search)
        [found] = data["orders"]["nodes"]
        assert found["sourceName"] == "tiktok"
        assert found["customAttributes"] == [{"key": "tiktok_order_id", "value": "5764"}]
        data = await _execute(client, queries.BULK_RUN, {"query": queries.bulk_products(None)})
        started = data["bulkOperationRunQuery"]
        assert started["userErrors"] == []
        for _ in range(100):
            data = await _execute(client, queries.BULK_POLL, {"id": started["bulkOperation"]["id"]})
            if data["node"]["status"] == "COMPLETED":
                break
            await asyncio.sleep(0.02)
        assert data["node"]["status"] == "COMPLETED"
        assert data["node"]["objectCount"] == str(12 + 36 + 36)  # products, variants, levels
    finally:
        shopify.ShopifyResource.clear_session()


async def test_the_order_side_through_shopifys_client(shop: Any) -> None:
    """Every order query and mutation the connector sends, as the connector builds them."""
    simulator, control = shop
    [lamp] = [p for p in simulator.shop.state.products.values() if p.title == "Lamp 0"]
    variant = str(lamp.variants[0].id)
    lines = tuple(DraftLine(variant, 1, Money(Decimal("9.50"), "GBP")) for _ in range(12))
    draft = OrderDraft(
        "5765",
        OrderState.AWAITING_SHIPMENT,
        ShippedBy.SELLER,
        lines,
        "GBP",
        stock=StockOnCreate.REDUCE,
    )
    order_input, options = draft_to_input(draft)
    client = _official(simulator.base_url, control.token)
    q = order_queries
    try:
        data = await _execute(client, q.ORDER_CREATE, {"order": order_input, "options": options})
        created = data["orderCreate"]
        assert created["userErrors"] == []
        order = created["order"]
        assert order["sourceIdentifier"] == "5765"
        assert order["lineItems"]["pageInfo"]["hasNextPage"]  # 12 lines, 10 with the order
        after = order["lineItems"]["pageInfo"]["endCursor"]
        data = await _execute(client, q.ORDER_LINES, {"id": order["id"], "after": after})
        assert len(data["order"]["lineItems"]["nodes"]) == 2
        data = await _execute(client, q.ORDER, {"id": order["id"]})
        assert data["order"]["legacyResourceId"] == order["legacyResourceId"]
        update = {"id": order["id"], "tags": ["TikTok: In transit"], "customAttributes": []}
        data = await _execute(client, q.ORDER_UPDATE, {"input": update})
        assert data["orderUpdate"]["order"]["tags"] == ["TikTok: In transit"]
        await _fulfil_through(client, order)
        since = {"after": None, "query": f"updated_at:>='{order['createdAt']}'"}
        data = await _execute(client, q.ORDER_CREATE, {"order": order_input, "options": options})
        other = data["orderCreate"]["order"]
        cancel = {"orderId": other["id"], "reason": "CUSTOMER", "restock": True}
        data = await _execute(client, q.ORDER_CANCEL, {**cancel, "notifyCustomer": False})
        assert data["orderCancel"]["orderCancelUserErrors"] == []
        assert data["orderCancel"]["job"]["id"].startswith("gid://shopify/Job/")
        search = {"after": None, "query": f"{since['query']} AND status:cancelled"}
        data = await _execute(client, q.ORDERS, search)
        assert [o["id"] for o in data["orders"]["nodes"]] == [other["id"]]
        data = await _execute(client, q.ORDER_CANCEL, {**cancel, "notifyCustomer": False})
        [refused] = data["orderCancel"]["orderCancelUserErrors"]
        assert (refused["field"], refused["code"]) == (["orderId"], "INVALID")
    finally:
        shopify.ShopifyResource.clear_session()


async def _fulfil_through(client: Any, order: dict[str, Any]) -> None:
    """The fulfilment side of the order test: fulfil, page lines, tracking, listings."""
    q = order_queries
    data = await _execute(client, q.FULFILLMENT_ORDERS, {"id": order["id"], "after": None})
    [fulfillment_order] = data["order"]["fulfillmentOrders"]["nodes"]
    assert {"action": "CREATE_FULFILLMENT"} in fulfillment_order["supportedActions"]
    fulfil = {
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fulfillment_order["id"]}],
        "trackingInfo": {"company": "DPD", "number": "155"},
        "notifyCustomer": False,
    }
    data = await _execute(client, q.FULFILLMENT_CREATE, {"fulfillment": fulfil})
    fulfillment = data["fulfillmentCreate"]["fulfillment"]
    assert fulfillment["fulfillmentLineItems"]["pageInfo"]["hasNextPage"]
    data = await _execute(client, q.FULFILLMENT_LINES, {"id": fulfillment["id"], "after": None})
    assert len(data["fulfillment"]["fulfillmentLineItems"]["nodes"]) == 12
    tracking = {
        "fulfillmentId": fulfillment["id"],
        "trackingInfoInput": {"company": "DPD", "number": "156"},
        "notifyCustomer": False,
    }
    data = await _execute(client, q.TRACKING_UPDATE, tracking)
    assert (
        data["fulfillmentTrackingInfoUpdate"]["fulfillment"]["trackingInfo"][0]["number"] == "156"
    )
    data = await _execute(client, q.ORDER_FULFILLMENTS, {"id": order["id"]})
    assert [f["id"] for f in data["order"]["fulfillments"]] == [fulfillment["id"]]
    since = {"after": None, "query": f"updated_at:>='{order['createdAt']}'"}
    data = await _execute(client, q.FULFILLED_ORDERS, since)
    assert [o["id"] for o in data["orders"]["nodes"]] == [order["id"]]
