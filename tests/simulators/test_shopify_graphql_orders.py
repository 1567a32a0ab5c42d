"""The Shopify simulator's Admin GraphQL order side: orderCreate (inventory behaviour, TikTok
reference fields), the orders search, orderUpdate, fulfillment orders, fulfillmentCreate and
fulfillmentTrackingInfoUpdate, orderCancel with restock, user errors, and access scopes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from simulators.shopify import ShopifySimulator
from tests.simulators.test_shopify_graphql import gql
from tests.support.shopify import SimControl, product, running

ORDER = """
fragment O on Order {
  id legacyResourceId name sourceName sourceIdentifier tags cancelledAt cancelReason
  currencyCode displayFinancialStatus displayFulfillmentStatus
  totalPriceSet { shopMoney { amount currencyCode } }
  customAttributes { key value }
  lineItems(first: 10) { nodes { id sku quantity unfulfilledQuantity variant { id } } }
  fulfillments(first: 5) {
    id status trackingInfo(first: 1) { company number url }
    fulfillmentLineItems(first: 10) { nodes { quantity lineItem { sku } } }
  }
}
"""
CREATE = (
    ORDER
    + """
mutation Create($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) { order { ...O } userErrors { field message } }
}"""
)
SEARCH = (
    ORDER
    + """
query Find($query: String) { orders(first: 10, query: $query) { nodes { ...O } } }"""
)
FULFILLMENT_ORDERS = """
query FOs($id: ID!) {
  order(id: $id) {
    fulfillmentOrders(first: 5) {
      nodes {
        id status supportedActions { action } assignedLocation { location { id } }
        lineItems(first: 10) { nodes { id totalQuantity remainingQuantity } }
      }
    }
  }
}"""
FULFIL = """
mutation Fulfil($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status trackingInfo(first: 1) { company number url } }
    userErrors { field message }
  }
}"""
TRACK = """
mutation Track($id: ID!, $tracking: FulfillmentTrackingInput!) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $tracking) {
    fulfillment { trackingInfo(first: 1) { company number url } }
    userErrors { field message }
  }
}"""
UPDATE = """
mutation Update($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { tags customAttributes { key value } }
    userErrors { message }
  }
}"""
CANCEL = """
mutation Cancel($id: ID!) {
  orderCancel(orderId: $id, reason: INVENTORY, restock: true,
              refundMethod: {originalPaymentMethodsRefund: false}) {
    job { done } orderCancelUserErrors { field message code }
  }
}"""


def _money(amount: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": amount, "currencyCode": "GBP"}}


@pytest.fixture
async def shop() -> AsyncIterator[tuple[ShopifySimulator, SimControl, dict[str, Any]]]:
    async with running() as (simulator, control):
        [lamp] = await control.load(
            [product("Lamp", {"sku": "L1", "price": "10.00", "options": ["L1"], "stock": 3})]
        )
        yield simulator, control, lamp["variants"][0]


def _draft(variant: dict[str, Any], reference: str, quantity: int) -> dict[str, Any]:
    return {
        "lineItems": [
            {
                "variantId": f"gid://shopify/ProductVariant/{variant['id']}",
                "quantity": quantity,
                "priceSet": _money("9.00"),
                "taxLines": [{"title": "VAT", "rate": "0.2", "priceSet": _money("1.50")}],
            }
        ],
        "currency": "GBP",
        "financialStatus": "PAID",
        "tags": ["TikTok", "TikTok: Awaiting shipment"],
        "customAttributes": [{"key": "tiktok_order_id", "value": reference}],
        "sourceName": "tiktok",
        "sourceIdentifier": reference,
        "taxesIncluded": True,
        "shippingAddress": {"firstName": "Ann", "countryCode": "GB", "zip": "N1 9GU"},
    }


async def _ok(control: SimControl, query: str, variables: dict[str, Any]) -> Any:
    status, body, _ = await gql(control, query, variables)
    assert status == 200
    assert "errors" not in body, body["errors"]
    return body["data"]


async def test_an_order_is_created_found_fulfilled_and_tracked(shop: Any) -> None:
    simulator, control, variant = shop
    options = {"inventoryBehaviour": "DECREMENT_OBEYING_POLICY"}
    data = await _ok(control, CREATE, {"order": _draft(variant, "5764", 2), "options": options})
    created = data["orderCreate"]
    assert created["userErrors"] == []
    order = created["order"]
    assert order["sourceIdentifier"] == "5764"
    assert order["customAttributes"] == [{"key": "tiktok_order_id", "value": "5764"}]
    assert order["totalPriceSet"]["shopMoney"] == {"amount": "18.00", "currencyCode": "GBP"}
    assert order["displayFinancialStatus"] == "PAID"
    assert order["displayFulfillmentStatus"] == "UNFULFILLED"
    item = simulator.shop.state.variants[variant["id"]].inventory_item_id
    assert simulator.shop.state.available_total(item) == 1  # 3 - 2

    # Too many for the stock when obeying the policy: a user error, no order.
    data = await _ok(control, CREATE, {"order": _draft(variant, "5765", 5), "options": options})
    assert data["orderCreate"]["order"] is None
    assert data["orderCreate"]["userErrors"][0]["field"][0] == "order"

    found = await _ok(control, SEARCH, {"query": 'source_identifier:"5764"'})
    assert [o["id"] for o in found["orders"]["nodes"]] == [order["id"]]
    found = await _ok(control, SEARCH, {"query": "source_identifier:nope"})
    assert found["orders"]["nodes"] == []

    data = await _ok(control, FULFILLMENT_ORDERS, {"id": order["id"]})
    [fo] = data["order"]["fulfillmentOrders"]["nodes"]
    assert fo["status"] == "OPEN"
    assert {"action": "CREATE_FULFILLMENT"} in fo["supportedActions"]
    tracking = {"company": "Royal Mail", "number": "RM1", "url": "https://rm.example/RM1"}
    fulfillment = {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]}
    data = await _ok(control, FULFIL, {"fulfillment": {**fulfillment, "trackingInfo": tracking}})
    made = data["fulfillmentCreate"]
    assert made["userErrors"] == []
    assert made["fulfillment"]["status"] == "SUCCESS"
    assert made["fulfillment"]["trackingInfo"] == [tracking]
    again = await _ok(control, FULFIL, {"fulfillment": fulfillment})
    assert again["fulfillmentCreate"]["fulfillment"] is None
    assert again["fulfillmentCreate"]["userErrors"]

    moved = {"company": "DPD", "number": "D2"}
    data = await _ok(control, TRACK, {"id": made["fulfillment"]["id"], "tracking": moved})
    assert data["fulfillmentTrackingInfoUpdate"]["fulfillment"]["trackingInfo"] == [
        {**moved, "url": "https://rm.example/RM1"}
    ]
    found = await _ok(control, SEARCH, {"query": 'source_identifier:"5764"'})
    [shipped] = found["orders"]["nodes"]
    assert shipped["displayFulfillmentStatus"] == "FULFILLED"
    [line] = shipped["lineItems"]["nodes"]
    assert line["unfulfilledQuantity"] == 0
    assert shipped["fulfillments"][0]["fulfillmentLineItems"]["nodes"] == [
        {"quantity": 2, "lineItem": {"sku": "L1"}}
    ]
    # A shipped order cannot be cancelled: Shopify's user error, not a GraphQL error.
    data = await _ok(control, CANCEL, {"id": order["id"]})
    assert data["orderCancel"]["job"] is None
    assert data["orderCancel"]["orderCancelUserErrors"][0]["code"] == "INVALID"


async def test_update_and_cancel_with_restock(shop: Any) -> None:
    simulator, control, variant = shop
    options = {"inventoryBehaviour": "DECREMENT_IGNORING_POLICY"}
    data = await _ok(control, CREATE, {"order": _draft(variant, "77", 3), "options": options})
    order = data["orderCreate"]["order"]
    item = simulator.shop.state.variants[variant["id"]].inventory_item_id
    assert simulator.shop.state.available_total(item) == 0

    attributes = [{"key": "tiktok_status", "value": "IN_TRANSIT"}]
    update = {"id": order["id"], "tags": ["TikTok: In transit"], "customAttributes": attributes}
    data = await _ok(control, UPDATE, {"input": update})
    assert data["orderUpdate"]["order"] == {
        "tags": ["TikTok: In transit"],
        "customAttributes": attributes,
    }

    data = await _ok(control, CANCEL, {"id": order["id"]})
    assert data["orderCancel"] == {"job": {"done": True}, "orderCancelUserErrors": []}
    assert simulator.shop.state.available_total(item) == 3
    found = await _ok(control, SEARCH, {"query": "status:cancelled"})
    [cancelled] = found["orders"]["nodes"]
    assert cancelled["cancelReason"] == "INVENTORY"
    assert cancelled["cancelledAt"] is not None
    data = await _ok(control, CANCEL, {"id": "gid://shopify/Order/1"})
    assert data["orderCancel"]["orderCancelUserErrors"][0]["code"] == "NOT_FOUND"


async def test_orders_need_the_order_scopes(shop: Any) -> None:
    _, control, variant = shop
    narrow = {"add": ["shpat_catalog"], "scopes": {"shpat_catalog": ["read_products"]}}
    await control.sim("POST", "tokens", narrow)
    status, body, _ = await gql(control, SEARCH, {"query": None}, token="shpat_catalog")
    assert status == 200
    assert body["errors"][0]["extensions"]["requiredAccess"] == "`read_orders` access scope."
    reader = {"add": ["shpat_reader"], "scopes": {"shpat_reader": ["read_orders"]}}
    await control.sim("POST", "tokens", reader)
    _, body, _ = await gql(
        control, CREATE, {"order": _draft(variant, "9", 1)}, token="shpat_reader"
    )
    assert body["errors"][0]["extensions"]["requiredAccess"] == "`write_orders` access scope."
