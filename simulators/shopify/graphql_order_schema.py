"""The order part of the simulator's Admin GraphQL schema (API 2026-10), in SDL: orders,
line items, fulfillment orders, fulfillments, and the mutations that create, update and
cancel orders and create fulfillments or change their tracking. Names are Shopify's own;
only what the daemon uses is here (`CountryCode` lists the common ISO codes only)."""

from __future__ import annotations

ORDER_SDL = """
enum CountryCode {
  AE AT AU BE BG BR CA CH CN CY CZ DE DK EE ES FI FR GB GR HK HR HU ID IE IL IN IS IT JP
  KR LT LU LV MT MX MY NL NO NZ PH PL PT RO SA SE SG SI SK TH TR TW US VN ZA
}
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }
enum OrderCancelUserErrorCode { INVALID NOT_FOUND NO_REFUND_PERMISSION }
enum OrderCancelStatus { FAILED STARTED SUCCEEDED }
enum OrderDisplayFinancialStatus {
  AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
}
enum OrderDisplayFulfillmentStatus {
  FULFILLED IN_PROGRESS ON_HOLD OPEN PARTIALLY_FULFILLED PENDING_FULFILLMENT
  REQUEST_DECLINED RESTOCKED SCHEDULED UNFULFILLED
}
enum OrderCreateFinancialStatus {
  AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
}
enum OrderCreateInputsInventoryBehavior {
  BYPASS DECREMENT_IGNORING_POLICY DECREMENT_OBEYING_POLICY
}
enum OrderTransactionKind { AUTHORIZATION CAPTURE CHANGE EMV_AUTHORIZATION REFUND SALE
  SUGGESTED_REFUND VOID }
enum OrderTransactionStatus { AWAITING_RESPONSE ERROR FAILURE PENDING SUCCESS UNKNOWN }
enum OrderSortKeys { CREATED_AT ID NUMBER PROCESSED_AT UPDATED_AT }
enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }
enum FulfillmentOrderStatus {
  CANCELLED CLOSED INCOMPLETE IN_PROGRESS ON_HOLD OPEN SCHEDULED
}
enum FulfillmentOrderAction {
  CANCEL_FULFILLMENT_ORDER CREATE_FULFILLMENT EXTERNAL HOLD MARK_AS_OPEN MERGE MOVE
  RELEASE_HOLD REQUEST_CANCELLATION REQUEST_FULFILLMENT SPLIT
}

type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type Attribute { key: String! value: String }
type UserError { field: [String!] message: String! }
type Job { id: ID! done: Boolean! }

type LineItem implements Node {
  id: ID!
  sku: String
  title: String!
  name: String!
  variantTitle: String
  quantity: Int!
  currentQuantity: Int!
  unfulfilledQuantity: Int!
  originalUnitPriceSet: MoneyBag!
  variant: ProductVariant
  requiresShipping: Boolean!
}
type LineItemEdge { cursor: String! node: LineItem! }
type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

type FulfillmentTrackingInfo { company: String number: String url: URL }
type FulfillmentLineItem implements Node { id: ID! quantity: Int lineItem: LineItem! }
type FulfillmentLineItemEdge { cursor: String! node: FulfillmentLineItem! }
type FulfillmentLineItemConnection {
  edges: [FulfillmentLineItemEdge!]!
  nodes: [FulfillmentLineItem!]!
  pageInfo: PageInfo!
}

type Fulfillment implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  status: FulfillmentStatus!
  createdAt: DateTime!
  updatedAt: DateTime!
  order: Order!
  location: Location
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  fulfillmentLineItems(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean
  ): FulfillmentLineItemConnection!
}

type FulfillmentOrderSupportedAction { action: FulfillmentOrderAction! }
type FulfillmentOrderAssignedLocation { name: String! location: Location }
type FulfillmentOrderLineItem implements Node {
  id: ID!
  totalQuantity: Int!
  remainingQuantity: Int!
  lineItem: LineItem!
  variant: ProductVariant
}
type FulfillmentOrderLineItemEdge { cursor: String! node: FulfillmentOrderLineItem! }
type FulfillmentOrderLineItemConnection {
  edges: [FulfillmentOrderLineItemEdge!]!
  nodes: [FulfillmentOrderLineItem!]!
  pageInfo: PageInfo!
}
type FulfillmentOrder implements Node {
  id: ID!
  orderId: ID!
  status: FulfillmentOrderStatus!
  supportedActions: [FulfillmentOrderSupportedAction!]!
  assignedLocation: FulfillmentOrderAssignedLocation!
  createdAt: DateTime!
  updatedAt: DateTime!
  lineItems(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean
  ): FulfillmentOrderLineItemConnection!
}
type FulfillmentOrderEdge { cursor: String! node: FulfillmentOrder! }
type FulfillmentOrderConnection {
  edges: [FulfillmentOrderEdge!]!
  nodes: [FulfillmentOrder!]!
  pageInfo: PageInfo!
}

type Order implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  email: String
  phone: String
  note: String
  tags: [String!]!
  test: Boolean!
  currencyCode: CurrencyCode!
  totalPriceSet: MoneyBag!
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  customAttributes: [Attribute!]!
  sourceName: String
  sourceIdentifier: String
  cancelReason: OrderCancelReason
  cancelledAt: DateTime
  closedAt: DateTime
  createdAt: DateTime!
  updatedAt: DateTime!
  processedAt: DateTime!
  lineItems(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean
  ): LineItemConnection!
  fulfillments(first: Int): [Fulfillment!]!
  fulfillmentOrders(
    first: Int
    after: String
    last: Int
    before: String
    reverse: Boolean
    query: String
  ): FulfillmentOrderConnection!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

input MoneyInput { amount: Decimal! currencyCode: CurrencyCode! }
input MoneyBagInput { shopMoney: MoneyInput! presentmentMoney: MoneyInput }
input AttributeInput { key: String! value: String! }
input MailingAddressInput {
  address1: String
  address2: String
  city: String
  company: String
  countryCode: CountryCode
  firstName: String
  lastName: String
  phone: String
  provinceCode: String
  zip: String
}
input OrderCreateTaxLineInput {
  title: String!
  rate: Decimal!
  priceSet: MoneyBagInput
  channelLiable: Boolean
}
input OrderCreateLineItemInput {
  variantId: ID
  quantity: Int!
  priceSet: MoneyBagInput
  title: String
  sku: String
  requiresShipping: Boolean
  taxable: Boolean
  taxLines: [OrderCreateTaxLineInput!]
}
input OrderCreateShippingLineInput {
  title: String!
  priceSet: MoneyBagInput!
  code: String
  source: String
  taxLines: [OrderCreateTaxLineInput!]
}
input OrderCreateOrderTransactionInput {
  kind: OrderTransactionKind
  status: OrderTransactionStatus
  amountSet: MoneyBagInput!
  gateway: String
}
input OrderCreateFixedDiscountCodeAttributesInput { code: String! amountSet: MoneyBagInput }
input OrderCreatePercentageDiscountCodeAttributesInput { code: String! percentage: Float }
input OrderCreateFreeShippingDiscountCodeAttributesInput {
  code: String!
  amountSet: MoneyBagInput
}
input OrderCreateDiscountCodeInput {
  itemFixedDiscountCode: OrderCreateFixedDiscountCodeAttributesInput
  itemPercentageDiscountCode: OrderCreatePercentageDiscountCodeAttributesInput
  freeShippingDiscountCode: OrderCreateFreeShippingDiscountCodeAttributesInput
}
input OrderCreateUpsertCustomerAttributesInput {
  email: String
  firstName: String
  lastName: String
  phone: String
}
input OrderCreateCustomerInput { toUpsert: OrderCreateUpsertCustomerAttributesInput }
input OrderCreateOrderInput {
  lineItems: [OrderCreateLineItemInput!]
  currency: CurrencyCode
  email: String
  phone: String
  note: String
  tags: [String!]
  customAttributes: [AttributeInput!]
  sourceName: String
  sourceIdentifier: String
  financialStatus: OrderCreateFinancialStatus
  transactions: [OrderCreateOrderTransactionInput!]
  taxLines: [OrderCreateTaxLineInput!]
  shippingLines: [OrderCreateShippingLineInput!]
  discountCode: OrderCreateDiscountCodeInput
  taxesIncluded: Boolean
  test: Boolean
  customer: OrderCreateCustomerInput
  shippingAddress: MailingAddressInput
  billingAddress: MailingAddressInput
}
input OrderCreateOptionsInput {
  inventoryBehaviour: OrderCreateInputsInventoryBehavior
  sendReceipt: Boolean
  sendFulfillmentReceipt: Boolean
}
type OrderCreateUserError { field: [String!] message: String! }
type OrderCreatePayload { order: Order userErrors: [OrderCreateUserError!]! }

input OrderInput {
  id: ID!
  email: String
  note: String
  tags: [String!]
  customAttributes: [AttributeInput!]
}
type OrderUpdatePayload { order: Order userErrors: [UserError!]! }

input OrderCancelRefundMethodInput { originalPaymentMethodsRefund: Boolean }
type OrderCancelUserError { field: [String!] message: String! code: OrderCancelUserErrorCode }
type OrderCancelJobResult {
  id: ID!
  done: Boolean!
  status: OrderCancelStatus!
  errors: [OrderCancelUserError!]!
  order: Order
}
type OrderCancelPayload {
  job: Job
  jobResult: OrderCancelJobResult
  orderCancelUserErrors: [OrderCancelUserError!]!
  userErrors: [UserError!]! @deprecated(reason: "Use `orderCancelUserErrors` instead.")
}

input FulfillmentTrackingInput {
  company: String
  number: String
  url: URL
  numbers: [String!]
  urls: [URL!]
}
input FulfillmentOrderLineItemInput { id: ID! quantity: Int! }
input FulfillmentOrderLineItemsInput {
  fulfillmentOrderId: ID!
  fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]
}
input FulfillmentInput {
  lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
  trackingInfo: FulfillmentTrackingInput
  notifyCustomer: Boolean
}
type FulfillmentCreatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }
type FulfillmentTrackingInfoUpdatePayload { fulfillment: Fulfillment userErrors: [UserError!]! }

extend type QueryRoot {
  order(id: ID!): Order
  fulfillment(id: ID!): Fulfillment
  orders(
    first: Int
    after: String
    last: Int
    before: String
    query: String
    sortKey: OrderSortKeys
    reverse: Boolean
  ): OrderConnection!
}

extend type Mutation {
  orderCreate(order: OrderCreateOrderInput!, options: OrderCreateOptionsInput): OrderCreatePayload
  orderUpdate(input: OrderInput!): OrderUpdatePayload
  orderCancel(
    orderId: ID!
    reason: OrderCancelReason!
    restock: Boolean!
    refundMethod: OrderCancelRefundMethodInput
    notifyCustomer: Boolean
    staffNote: String
  ): OrderCancelPayload
  fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
  fulfillmentTrackingInfoUpdate(
    fulfillmentId: ID!
    trackingInfoInput: FulfillmentTrackingInput!
    notifyCustomer: Boolean
  ): FulfillmentTrackingInfoUpdatePayload
}
"""
