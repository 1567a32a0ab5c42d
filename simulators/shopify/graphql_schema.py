"""The subset of Shopify's Admin GraphQL schema the simulator serves, in SDL.

Type, field, argument and enum names are Shopify's own (Admin API 2026-10); only what the
daemon and Shopify's client tests use is here. Deprecated fields carry ``@deprecated`` as in
Shopify's schema, and a query that selects one is answered with Shopify's deprecation header.
"""

from __future__ import annotations

from graphql import GraphQLSchema, build_schema

from simulators.shopify.graphql_order_schema import ORDER_SDL

SDL = """
scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar UnsignedInt64

interface Node { id: ID! }

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Count { count: Int! precision: CountPrecision! }
enum CountPrecision { EXACT AT_LEAST }

enum CurrencyCode { GBP USD EUR CAD AUD JPY SEK DKK NOK CHF PLN CZK }

type Shop implements Node {
  id: ID!
  name: String!
  email: String!
  myshopifyDomain: String!
  currencyCode: CurrencyCode!
  ianaTimezone: String!
}

enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductSortKeys { ID TITLE UPDATED_AT CREATED_AT }
enum ProductVariantSortKeys { ID POSITION SKU }
enum ProductVariantInventoryPolicy { CONTINUE DENY }
enum WeightUnit { GRAMS KILOGRAMS OUNCES POUNDS }
enum MediaContentType { IMAGE VIDEO EXTERNAL_VIDEO MODEL_3D }
enum DeletionEventSubjectType { COLLECTION PRODUCT }
enum LocationSortKeys { ID NAME }

type ProductOption implements Node {
  id: ID!
  name: String!
  position: Int!
  values: [String!]! @deprecated(reason: "Use `optionValues` instead.")
  optionValues: [ProductOptionValue!]!
}

type ProductOptionValue implements Node { id: ID! name: String! }

type SelectedOption { name: String! value: String! }

type Image {
  id: ID
  url: URL!
  altText: String
  width: Int
  height: Int
}

interface Media { id: ID! alt: String mediaContentType: MediaContentType! }

type MediaImage implements Media & Node {
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  image: Image
}

type MediaEdge { cursor: String! node: Media! }
type MediaConnection { edges: [MediaEdge!]! nodes: [Media!]! pageInfo: PageInfo! }

type Product implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  descriptionHtml: String!
  vendor: String!
  productType: String!
  status: ProductStatus!
  tags: [String!]!
  createdAt: DateTime!
  updatedAt: DateTime!
  publishedAt: DateTime
  options(first: Int): [ProductOption!]!
  media(first: Int, after: String, last: Int, before: String): MediaConnection!
  variants(
    first: Int
    after: String
    last: Int
    before: String
    sortKey: ProductVariantSortKeys
    reverse: Boolean
  ): ProductVariantConnection!
  variantsCount: Count
  totalInventory: Int!
}

type ProductEdge { cursor: String! node: Product! }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

type Weight { unit: WeightUnit! value: Float! }
type InventoryItemMeasurement { id: ID! weight: Weight }

type ProductVariant implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  price: Money!
  compareAtPrice: Money
  position: Int!
  inventoryPolicy: ProductVariantInventoryPolicy!
  inventoryQuantity: Int
  selectedOptions: [SelectedOption!]!
  taxable: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  product: Product!
  inventoryItem: InventoryItem!
  image: Image @deprecated(reason: "Use `media` instead.")
  media(first: Int, after: String, last: Int, before: String): MediaConnection!
}

type ProductVariantEdge { cursor: String! node: ProductVariant! }
type ProductVariantConnection {
  edges: [ProductVariantEdge!]!
  nodes: [ProductVariant!]!
  pageInfo: PageInfo!
}

type InventoryItem implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  sku: String
  tracked: Boolean!
  requiresShipping: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  measurement: InventoryItemMeasurement!
  variant: ProductVariant!
  inventoryLevels(
    first: Int
    after: String
    last: Int
    before: String
    query: String
  ): InventoryLevelConnection!
}

type InventoryItemEdge { cursor: String! node: InventoryItem! }
type InventoryItemConnection {
  edges: [InventoryItemEdge!]!
  nodes: [InventoryItem!]!
  pageInfo: PageInfo!
}

type InventoryQuantity implements Node {
  id: ID!
  name: String!
  quantity: Int!
  updatedAt: DateTime
}

type InventoryLevel implements Node {
  id: ID!
  item: InventoryItem!
  location: Location!
  quantities(names: [String!]!): [InventoryQuantity!]!
  createdAt: DateTime!
  updatedAt: DateTime!
}

type InventoryLevelEdge { cursor: String! node: InventoryLevel! }
type InventoryLevelConnection {
  edges: [InventoryLevelEdge!]!
  nodes: [InventoryLevel!]!
  pageInfo: PageInfo!
}

type Location implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  isActive: Boolean!
  fulfillsOnlineOrders: Boolean!
  inventoryLevels(
    first: Int
    after: String
    last: Int
    before: String
    query: String
  ): InventoryLevelConnection!
}

type LocationEdge { cursor: String! node: Location! }
type LocationConnection { edges: [LocationEdge!]! nodes: [Location!]! pageInfo: PageInfo! }

type DeletionEvent {
  occurredAt: DateTime!
  subjectId: ID!
  subjectType: DeletionEventSubjectType!
}
type DeletionEventEdge { cursor: String! node: DeletionEvent! }
type DeletionEventConnection {
  edges: [DeletionEventEdge!]!
  nodes: [DeletionEvent!]!
  pageInfo: PageInfo!
}

enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationType { MUTATION QUERY }
enum BulkOperationUserErrorCode { INVALID OPERATION_IN_PROGRESS LIMIT_REACHED }

type BulkOperation implements Node {
  id: ID!
  status: BulkOperationStatus!
  errorCode: BulkOperationErrorCode
  type: BulkOperationType!
  query: String!
  createdAt: DateTime!
  completedAt: DateTime
  objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64
  url: URL
  partialDataUrl: URL
}

type BulkOperationUserError {
  field: [String!]
  message: String!
  code: BulkOperationUserErrorCode
}

type BulkOperationRunQueryPayload {
  bulkOperation: BulkOperation
  userErrors: [BulkOperationUserError!]!
}

type BulkOperationCancelPayload {
  bulkOperation: BulkOperation
  userErrors: [BulkOperationUserError!]!
}

type QueryRoot {
  shop: Shop!
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  product(id: ID!): Product
  productsCount(query: String, limit: Int): Count
  products(
    first: Int
    after: String
    last: Int
    before: String
    query: String
    sortKey: ProductSortKeys
    reverse: Boolean
  ): ProductConnection!
  productVariants(
    first: Int
    after: String
    last: Int
    before: String
    query: String
    sortKey: ProductVariantSortKeys
    reverse: Boolean
  ): ProductVariantConnection!
  inventoryItems(
    first: Int
    after: String
    last: Int
    before: String
    query: String
    reverse: Boolean
  ): InventoryItemConnection!
  locations(
    first: Int
    after: String
    last: Int
    before: String
    query: String
    sortKey: LocationSortKeys
    reverse: Boolean
    includeInactive: Boolean
    includeLegacy: Boolean
  ): LocationConnection!
  deletionEvents(
    first: Int
    after: String
    last: Int
    before: String
    query: String
    subjectTypes: [DeletionEventSubjectType!]
    reverse: Boolean
  ): DeletionEventConnection!
  currentBulkOperation(type: BulkOperationType): BulkOperation
  bulkOperation(id: ID!): BulkOperation
}

type Mutation {
  bulkOperationRunQuery(query: String!, groupObjects: Boolean): BulkOperationRunQueryPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
}

schema { query: QueryRoot mutation: Mutation }
"""


def build() -> GraphQLSchema:
    """A fresh schema object (resolvers are attached per simulator by `graphql_resolvers`)."""
    return build_schema(SDL + ORDER_SDL)
