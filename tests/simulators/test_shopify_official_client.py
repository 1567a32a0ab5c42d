"""Shopify's own Python library (`ShopifyAPI`, unmodified) runs the connector's GraphQL queries
(catalog, bulk, and the order lookup by TikTok reference) against the simulator: the
simulator answers what Shopify's client sends, not our own echo."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import shopify  # type: ignore[import-untyped]

from daemon.connectors.shopify import queries
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
        data = await _execute(client, queries.ORDER_REFS, search)
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
