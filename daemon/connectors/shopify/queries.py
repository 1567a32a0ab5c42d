"""The Admin GraphQL documents the connector sends (API 2026-10), with their cost in mind.

A page of products asks for `PRODUCTS_PER_PAGE` products with their first
`VARIANTS_PER_PRODUCT` variants (requested cost about 930 of the 1,000 a query may cost); a
product with more variants is completed by `VARIANTS` pages of `VARIANTS_PER_PAGE`. Full
reads go through bulk operations, which cost no points per object.
"""

from __future__ import annotations

import json

PRODUCTS_PER_PAGE = 8
VARIANTS_PER_PRODUCT = 10
VARIANTS_PER_PAGE = 100
BULK_VARIANTS = 200  # a product with more variants is read alone in bulk
IMAGES_PER_PRODUCT = 10
LEVELS_PER_PAGE = 250
FIRST_LEVELS_PAGE = 10  # a read of changes asks for 10 first (about 30 points, not 750)
LOCATIONS_PER_PAGE = 50  # shops have few: a smaller page asks for fewer points
PAGE = 250

VARIANT_FIELDS = """
fragment VariantFields on ProductVariant {
  id sku barcode price compareAtPrice position inventoryPolicy
  selectedOptions { name value }
  inventoryItem { id tracked measurement { weight { unit value } } }
  media(first: 1) { nodes { ... on MediaImage { image { url } } } }
}
"""

PRODUCT_FIELDS = f"""
fragment ProductFields on Product {{
  id title descriptionHtml vendor productType status tags updatedAt variantsCount {{ count }}
  options {{ name position }}
  media(first: {IMAGES_PER_PRODUCT}) {{
    nodes {{ ... on MediaImage {{ image {{ url width height }} }} }}
  }}
  variants(first: {VARIANTS_PER_PRODUCT}) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...VariantFields }}
  }}
}}
"""

PRODUCTS_COUNT = """
query ProductsCount($query: String) { productsCount(query: $query, limit: 10000) { count } }
"""

SHOP = "query Shop { shop { name currencyCode myshopifyDomain } }"

PRODUCTS = (
    f"""
query Products($after: String, $query: String) {{
  products(first: {PRODUCTS_PER_PAGE}, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ ...ProductFields }}
  }}
}}
"""
    + PRODUCT_FIELDS
    + VARIANT_FIELDS
)

PRODUCT = (
    """
query Product($id: ID!) { product(id: $id) { ...ProductFields } }
"""
    + PRODUCT_FIELDS
    + VARIANT_FIELDS
)

VARIANTS = (
    f"""
query Variants($id: ID!, $after: String) {{
  product(id: $id) {{
    variants(first: {VARIANTS_PER_PAGE}, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      nodes {{ ...VariantFields }}
    }}
  }}
}}
"""
    + VARIANT_FIELDS
)

DELETIONS = f"""
query Deletions($after: String, $query: String) {{
  deletionEvents(first: {PAGE}, after: $after, query: $query, subjectTypes: [PRODUCT]) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ subjectId subjectType occurredAt }}
  }}
}}
"""

LOCATIONS = f"""
query Locations($after: String) {{
  locations(first: {LOCATIONS_PER_PAGE}, after: $after, includeInactive: true) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ id name isActive }}
  }}
}}
"""


def item_levels(locations: int) -> str:
    """Levels of the inventory items named (``nodes``), every location in one page."""
    return f"""
query ItemLevels($ids: [ID!]!) {{
  nodes(ids: $ids) {{
    ... on InventoryItem {{
      id tracked
      inventoryLevels(first: {max(1, locations)}) {{
        nodes {{ location {{ id }} quantities(names: ["available"]) {{ name quantity }} }}
      }}
    }}
  }}
}}
"""


LOCATION_LEVELS = """
query LocationLevels($id: ID!, $first: Int!, $after: String, $query: String) {
  node(id: $id) {
    ... on Location {
      inventoryLevels(first: $first, after: $after, query: $query) {
        pageInfo { hasNextPage endCursor }
        nodes {
          item { id tracked }
          quantities(names: ["available"]) { name quantity }
        }
      }
    }
  }
}
"""

# --- bulk operations ---------------------------------------------------------------------

_BULK_PRODUCTS = """
{
  products%s {
    edges { node {
      id title descriptionHtml vendor productType status tags updatedAt
      options { name position }
      media { edges { node { id ... on MediaImage { image { url width height } } } } }
      variants { edges { node {
        id sku barcode price compareAtPrice position inventoryPolicy
        selectedOptions { name value }
        inventoryItem {
          id tracked measurement { weight { unit value } }
          inventoryLevels { edges { node {
            id location { id } quantities(names: ["available"]) { name quantity }
          } } }
        }
        media { edges { node { id ... on MediaImage { image { url } } } } }
      } } }
    } }
  }
}
"""


def bulk_products(search: str | None) -> str:
    """The whole catalog, or the products `search` matches, as one bulk query, with every
    variant's stock at every location: five connections, nested two deep (products → variants
    → media or inventory levels), Shopify's limits for a bulk query. So a reconciliation reads
    the store once: the inventory job then reads only what changed since."""
    return _BULK_PRODUCTS % ("" if search is None else f"(query: {json.dumps(search)})")


BULK_LEVELS = """
{
  locations(includeInactive: true) {
    edges { node {
      id
      inventoryLevels { edges { node {
        item { id tracked }
        quantities(names: ["available"]) { name quantity }
      } } }
    } }
  }
}
"""

BULK_RUN = """
mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""

BULK_POLL = """
query BulkPoll($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount url partialDataUrl }
  }
}
"""

BULK_CANCEL = """
mutation BulkCancel($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } }
}
"""
