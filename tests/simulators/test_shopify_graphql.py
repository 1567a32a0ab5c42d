"""The Shopify simulator's Admin GraphQL API: paging, search, cost, scopes, versions, bulk."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse, validate

from daemon.connectors.shopify import order_queries
from simulators.shopify import ShopifySimulator
from simulators.shopify.graphql_api import SCHEMA
from simulators.shopify.graphql_cost import requested_cost
from tests.support.shopify import SimControl, product, running

VERSION = "2026-10"
PRODUCTS = """
query Page($after: String, $query: String) {
  products(first: 2, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id title variants(first: 3) { nodes { id sku } pageInfo { hasNextPage } } }
  }
}"""


async def gql(
    control: SimControl,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    version: str = VERSION,
    token: str | None = None,
) -> tuple[int, Any, Any]:
    headers = {"X-Shopify-Access-Token": token or control.token}
    async with control.session.post(
        f"{control.base_url}/admin/api/{version}/graphql.json",
        json={"query": query, "variables": variables or {}},
        headers=headers,
    ) as response:
        return response.status, await response.json(), response.headers


@pytest.fixture
async def shop() -> AsyncIterator[tuple[ShopifySimulator, SimControl]]:
    async with running() as (simulator, control):
        await control.load(
            [
                product(f"P{n}", *({"sku": f"S{n}-{v}", "price": "5.00"} for v in range(4)))
                for n in range(5)
            ]
        )
        yield simulator, control


async def test_products_page_by_cursor_with_nested_variants(shop: Any) -> None:
    _, control = shop
    titles: list[str] = []
    after = None
    while True:
        status, body, headers = await gql(control, PRODUCTS, {"after": after})
        assert status == 200, body
        assert headers["X-Shopify-API-Version"] == VERSION
        page = body["data"]["products"]
        for node in page["nodes"]:
            titles.append(node["title"])
            assert len(node["variants"]["nodes"]) == 3
            assert node["variants"]["pageInfo"]["hasNextPage"] is True
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert titles == [f"P{n}" for n in range(5)]


async def test_updated_at_filter_and_the_cost_extension(shop: Any) -> None:
    _, control = shop
    moment = await control.advance(60)
    [created] = await control.load([product("Late")])
    stamp = moment.isoformat()
    _, body, _ = await gql(control, PRODUCTS, {"query": f"updated_at:>='{stamp}'"})
    assert [n["title"] for n in body["data"]["products"]["nodes"]] == ["Late"]
    assert body["data"]["products"]["nodes"][0]["id"] == f"gid://shopify/Product/{created['id']}"
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 2 * (1 + 2 + 3 * 1)
    assert cost["actualQueryCost"] == 2 + 1 * (1 + 2 + 1 * 1)
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] == 2000
    assert status["restoreRate"] == 100


async def test_an_empty_bucket_answers_throttled(shop: Any) -> None:
    _, control = shop
    await control.sim("POST", "bucket", {"restore_rate": 1, "maximum_available": 20})
    _, first, _ = await gql(control, PRODUCTS)
    assert "errors" not in first
    status, body, _ = await gql(control, PRODUCTS)
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert body["extensions"]["cost"]["actualQueryCost"] is None
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 14


async def test_a_query_over_the_max_cost_is_refused(shop: Any) -> None:
    _, control = shop
    query = "{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }"
    _, body, _ = await gql(control, query)
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert "data" not in body


async def test_a_token_without_read_products_is_denied(shop: Any) -> None:
    _, control = shop
    await control.sim("POST", "tokens", {"add": ["shpat_narrow"], "scopes": {"shpat_narrow": []}})
    _, body, _ = await gql(control, PRODUCTS, token="shpat_narrow")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "ACCESS_DENIED"
    assert "read_products" in error["message"]
    _, ok, _ = await gql(control, "{ shop { currencyCode } }", token="shpat_narrow")
    assert ok["data"]["shop"]["currencyCode"] == "GBP"


async def test_a_retired_version_falls_forward_and_says_so(shop: Any) -> None:
    _, control = shop
    _, _, headers = await gql(control, "{ shop { name } }", version="2024-04")
    assert headers["X-Shopify-API-Version"] == "2025-10"
    assert "X-Shopify-API-Deprecated-Reason" in headers
    async with control.session.post(
        f"{control.base_url}/admin/api/latest-ish/graphql.json",
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": control.token},
    ) as response:
        assert response.status == 404


async def test_a_product_with_more_than_100_variants_reads_whole(shop: Any) -> None:
    _, control = shop
    variants = [{"sku": f"BIG-{n}", "price": "1.00", "options": [f"V{n}"]} for n in range(300)]
    [big] = await control.load([product("Big", *variants, options=[{"name": "Size"}])])
    query = """query($id: ID!, $after: String) { product(id: $id) {
      variants(first: 250, after: $after) {
        nodes { sku } pageInfo { hasNextPage endCursor } } } }"""
    skus: list[str] = []
    after = None
    while True:
        variables = {"id": f"gid://shopify/Product/{big['id']}", "after": after}
        _, body, _ = await gql(control, query, variables)
        page = body["data"]["product"]["variants"]
        skus += [node["sku"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert skus == [f"BIG-{n}" for n in range(300)]
    status, rest, _ = await control.admin("GET", f"products/{big['id']}", version=VERSION)
    assert status == 200
    assert len(rest["product"]["variants"]) == 100  # REST shows at most 100


BULK = """mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) {
  bulkOperation { id status } userErrors { field message code } } }"""
BULK_QUERY = """{ products { edges { node { id title variants { edges { node { id sku
  inventoryItem { id tracked } } } } } } } }"""
POLL = """query($id: ID!) { node(id: $id) { ... on BulkOperation {
  status errorCode objectCount rootObjectCount url } } }"""


async def _finish(control: SimControl, op_id: str) -> dict[str, Any]:
    for _ in range(200):
        _, body, _ = await gql(control, POLL, {"id": op_id})
        node = body["data"]["node"]
        if node["status"] not in {"CREATED", "RUNNING"}:
            return dict(node)
        await asyncio.sleep(0.01)
    raise AssertionError("the bulk operation did not finish")


async def test_a_bulk_query_writes_jsonl_with_parent_ids(shop: Any) -> None:
    _, control = shop
    _, body, _ = await gql(control, BULK, {"q": BULK_QUERY})
    started = body["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    done = await _finish(control, started["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED"
    assert done["objectCount"] == "25"
    assert done["rootObjectCount"] == "5"
    async with control.session.get(done["url"]) as response:
        lines = [json.loads(line) for line in (await response.text()).splitlines()]
    parents = [line for line in lines if "__parentId" not in line]
    assert [p["title"] for p in parents] == [f"P{n}" for n in range(5)]
    children = [line for line in lines if "__parentId" in line]
    assert {c["__parentId"] for c in children} == {p["id"] for p in parents}
    assert all(c["inventoryItem"]["tracked"] is True for c in children)
    assert lines.index(parents[1]) == 5  # grouped: each product's variants follow it


LEVELS_QUERY = """{ products { edges { node { id variants { edges { node { id
  inventoryItem { id inventoryLevels { edges { node { id location { id }
  quantities(names: ["available"]) { name quantity } } } } } } } } } } } }"""


async def test_levels_inside_a_variants_item_name_the_variant_and_the_end_is_announced(
    shop: Any,
) -> None:
    """A connection inside a nested object (the variant's inventory item) gets the id of the
    nearest object with a line of its own; the operation's end fires its webhook."""
    _, control = shop
    stocked = {"price": "5.00", "stock": 3}
    await control.load([product("Stocked", {"sku": "ST-1", **stocked}, {"sku": "ST-2", **stocked})])
    _, body, _ = await gql(control, BULK, {"q": LEVELS_QUERY})
    op_id = body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
    done = await _finish(control, op_id)
    async with control.session.get(done["url"]) as response:
        lines = [json.loads(line) for line in (await response.text()).splitlines()]
    variants = {line["id"]: line for line in lines if "/ProductVariant/" in line["id"]}
    levels = [line for line in lines if "/InventoryLevel/" in line["id"]]
    assert (len(variants), len(levels)) == (22, 2)  # 20 variants without stock, 2 with
    assert {level["__parentId"] for level in levels} == set(list(variants)[-2:])
    assert [level["quantities"][0]["quantity"] for level in levels] == [3, 3]
    assert all("inventoryLevels" not in v["inventoryItem"] for v in variants.values())
    hooks = await control.sim("GET", "webhooks", topic="bulk_operations/finish")
    [finish] = [json.loads(d["body"]) for d in hooks["deliveries"]]
    assert finish["admin_graphql_api_id"] == op_id
    assert (finish["status"], finish["type"], finish["error_code"]) == ("completed", "query", None)
    assert finish["created_at"] <= finish["completed_at"]


async def test_a_bulk_query_is_checked_and_failures_say_why(shop: Any) -> None:
    _, control = shop
    _, body, _ = await gql(control, BULK, {"q": "{ shop { name } }"})
    [error] = body["data"]["bulkOperationRunQuery"]["userErrors"]
    assert error["code"] == "INVALID"
    await control.sim("POST", "bulk/outcome", {"status": "FAILED", "error_code": "TIMEOUT"})
    _, body, _ = await gql(control, BULK, {"q": BULK_QUERY})
    done = await _finish(control, body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"])
    assert (done["status"], done["errorCode"]) == ("FAILED", "TIMEOUT")


async def test_calls_are_named_by_their_root_fields_for_faults_and_the_log(shop: Any) -> None:
    _, control = shop
    await control.sim("DELETE", "calls")
    queue = [{"endpoint": "graphql.orderCancel", "kind": "503"}]
    await control.sim("POST", "faults", {"queue": queue})
    status, _, _ = await gql(control, "{ shop { name } locations(first: 1) { nodes { id } } }")
    assert status == 200  # another operation does not meet the fault
    cancel = 'mutation { orderCancel(orderId: "gid://shopify/Order/1", reason: OTHER, restock: true) { job { id } } }'  # noqa: E501 one document
    status, _, _ = await gql(control, cancel)
    assert status == 503
    status, _, _ = await gql(control, "{ shop { name ")  # unreadable: named "graphql"
    assert status == 200
    calls = await control.calls()
    assert [(c["endpoint"], c["status"], c["fault"]) for c in calls] == [
        ("graphql.shop+locations", 200, None),
        ("graphql.orderCancel", 503, "503"),
        ("graphql", 200, None),
    ]


@pytest.mark.parametrize("endpoint", sorted(order_queries.DOCUMENTS))
def test_the_order_documents_are_valid_and_cost_what_the_pacer_expects(endpoint: str) -> None:
    document = parse(order_queries.DOCUMENTS[endpoint])
    assert validate(SCHEMA, document) == []
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    assert requested_cost(SCHEMA, operation, fragments, {}) == order_queries.COSTS[endpoint]
    assert order_queries.COSTS[endpoint] <= 600  # far below the 1,000 cap
