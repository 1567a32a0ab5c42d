"""The Admin GraphQL documents of the order side (API 2026-10), with their cost in mind.

An order is read with its first `LINES_WITH_ORDER` line items (requested cost about 50: the
order 1, its total 2, its attributes 1, the line connection 2 + 10 x 4); an order with more
lines is completed by `ORDER_LINES` pages. A fulfilment comes with its first
`LINES_WITH_FULFILLMENT` lines, completed by `FULFILLMENT_LINES` pages. Only the fields the
daemon maps are asked for. Mutations cost 10 points.

`COSTS` is each operation's requested cost by Shopify's rules (checked by a unit test): the
pacer starts from it instead of assuming an unknown query may cost the 1,000 maximum.
"""

from __future__ import annotations

LINES_WITH_ORDER = 10
LINES_PER_PAGE = 50
ORDERS_PER_PAGE = 8  # 8 orders with 10 lines each: requested cost about 380
LINES_WITH_FULFILLMENT = 10
FULFILLMENTS_PER_ORDER = 20
FULFILLED_ORDERS_PER_PAGE = 10
FULFILLMENT_ORDERS_PER_PAGE = 5
LINES_PER_FULFILLMENT_ORDER = 20
REFS_PER_PAGE = 250

LINE_FIELDS = """
fragment LineFields on LineItem {
  id sku title quantity unfulfilledQuantity
  originalUnitPriceSet { shopMoney { amount } }
  variant { id }
}
"""

ORDER_FIELDS = (
    f"""
fragment OrderFields on Order {{
  id legacyResourceId name tags currencyCode sourceName sourceIdentifier
  displayFinancialStatus displayFulfillmentStatus cancelReason cancelledAt createdAt updatedAt
  totalPriceSet {{ shopMoney {{ amount }} }}
  customAttributes {{ key value }}
  lineItems(first: {LINES_WITH_ORDER}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...LineFields }}
  }}
}}
"""
    + LINE_FIELDS
)

FULFILLMENT_FIELDS = f"""
fragment FulfillmentFields on Fulfillment {{
  id legacyResourceId status createdAt updatedAt
  trackingInfo(first: 10) {{ company number url }}
  fulfillmentLineItems(first: {LINES_WITH_FULFILLMENT}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ quantity lineItem {{ id sku variant {{ id }} }} }}
  }}
}}
"""

ORDER = (
    """
query Order($id: ID!) { order(id: $id) { ...OrderFields } }
"""
    + ORDER_FIELDS
)

ORDER_LINES = (
    f"""
query OrderLines($id: ID!, $after: String) {{
  order(id: $id) {{
    lineItems(first: {LINES_PER_PAGE}, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ ...LineFields }}
    }}
  }}
}}
"""
    + LINE_FIELDS
)

# Orders matching a search (``updated_at:>='…' AND status:cancelled``), oldest change first.
ORDERS = (
    f"""
query Orders($query: String!, $after: String) {{
  orders(first: {ORDERS_PER_PAGE}, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...OrderFields }}
  }}
}}
"""
    + ORDER_FIELDS
)

# The orders created since a time with what carries their TikTok order id (requested cost
# 2 + 250 orders x 2 objects = 502).
ORDER_REFS = f"""
query OrderRefs($query: String!, $after: String) {{
  orders(first: {REFS_PER_PAGE}, after: $after, query: $query, sortKey: ID) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ legacyResourceId sourceName sourceIdentifier customAttributes {{ key value }} }}
  }}
}}
"""

ORDER_FULFILLMENTS = (
    f"""
query OrderFulfillments($id: ID!) {{
  order(id: $id) {{ fulfillments(first: {FULFILLMENTS_PER_ORDER}) {{ ...FulfillmentFields }} }}
}}
"""
    + FULFILLMENT_FIELDS
)

# Orders changed since a time with their fulfilments (a fulfilment or a tracking change
# moves its order's ``updatedAt``).
FULFILLED_ORDERS = (
    f"""
query FulfilledOrders($query: String!, $after: String) {{
  orders(first: {FULFILLED_ORDERS_PER_PAGE}, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{
      id legacyResourceId name
      fulfillments(first: {FULFILLMENTS_PER_ORDER}) {{ ...FulfillmentFields }}
    }}
  }}
}}
"""
    + FULFILLMENT_FIELDS
)

FULFILLMENT_LINES = """
query FulfillmentLines($id: ID!, $after: String) {
  fulfillment(id: $id) {
    fulfillmentLineItems(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { quantity lineItem { id sku variant { id } } }
    }
  }
}
"""

FULFILLMENT_ORDERS = f"""
query FulfillmentOrders($id: ID!, $after: String) {{
  order(id: $id) {{
    fulfillmentOrders(first: {FULFILLMENT_ORDERS_PER_PAGE}, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{
        id status
        supportedActions {{ action }}
        assignedLocation {{ location {{ id }} }}
        lineItems(first: {LINES_PER_FULFILLMENT_ORDER}) {{
          nodes {{ id totalQuantity remainingQuantity lineItem {{ id }} variant {{ id }} }}
        }}
      }}
    }}
  }}
}}
"""

ORDER_CREATE = (
    """
mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
  orderCreate(order: $order, options: $options) {
    order { ...OrderFields }
    userErrors { field message }
  }
}
"""
    + ORDER_FIELDS
)

ORDER_UPDATE = (
    """
mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { ...OrderFields }
    userErrors { field message }
  }
}
"""
    + ORDER_FIELDS
)

ORDER_CANCEL = """
mutation OrderCancel(
  $orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $notifyCustomer: Boolean
) {
  orderCancel(
    orderId: $orderId, reason: $reason, restock: $restock, notifyCustomer: $notifyCustomer
  ) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""

FULFILLMENT_CREATE = (
    """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { ...FulfillmentFields order { legacyResourceId } }
    userErrors { field message }
  }
}
"""
    + FULFILLMENT_FIELDS
)

TRACKING_UPDATE = (
    """
mutation TrackingUpdate(
  $fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean
) {
  fulfillmentTrackingInfoUpdate(
    fulfillmentId: $fulfillmentId,
    trackingInfoInput: $trackingInfoInput,
    notifyCustomer: $notifyCustomer
  ) {
    fulfillment { ...FulfillmentFields order { legacyResourceId } }
    userErrors { field message }
  }
}
"""
    + FULFILLMENT_FIELDS
)

# Requested cost of each operation, by the endpoint name the connector gives it.
COSTS = {
    "order": 46,
    "order.lines": 203,
    "orders": 370,
    "orders.refs": 502,
    "order.fulfillments": 35,
    "orders.fulfillments": 352,
    "fulfillment.lines": 303,
    "fulfillmentOrders": 333,
    "orderCreate": 10,
    "orderUpdate": 10,
    "orderCancel": 10,
    "fulfillmentCreate": 10,
    "fulfillmentTrackingInfoUpdate": 10,
}

DOCUMENTS = {
    "order": ORDER,
    "order.lines": ORDER_LINES,
    "orders": ORDERS,
    "orders.refs": ORDER_REFS,
    "order.fulfillments": ORDER_FULFILLMENTS,
    "orders.fulfillments": FULFILLED_ORDERS,
    "fulfillment.lines": FULFILLMENT_LINES,
    "fulfillmentOrders": FULFILLMENT_ORDERS,
    "orderCreate": ORDER_CREATE,
    "orderUpdate": ORDER_UPDATE,
    "orderCancel": ORDER_CANCEL,
    "fulfillmentCreate": FULFILLMENT_CREATE,
    "fulfillmentTrackingInfoUpdate": TRACKING_UPDATE,
}
