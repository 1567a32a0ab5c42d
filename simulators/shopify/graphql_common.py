"""What the Admin GraphQL resolvers share: GIDs, timestamps, access scopes, search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from simulators.shopify.context import Shop
from simulators.shopify.graphql_search import SearchFields, SearchSyntaxError, matcher
from simulators.shopify.records import (
    ImageRec,
    InventoryItemRec,
    LocationRec,
    OrderRec,
    ProductRec,
    VariantRec,
)

Resolver = Callable[..., Any]
GID = "gid://shopify/"
QUANTITY_NAMES = frozenset(
    {
        "available",
        "committed",
        "damaged",
        "incoming",
        "on_hand",
        "quality_control",
        "reserved",
        "safety_stock",
    }
)
WEIGHT_UNITS = {"g": "GRAMS", "kg": "KILOGRAMS", "oz": "OUNCES", "lb": "POUNDS"}
GID_TYPES = {
    ProductRec: "Product",
    VariantRec: "ProductVariant",
    InventoryItemRec: "InventoryItem",
    LocationRec: "Location",
    OrderRec: "Order",
    ImageRec: "MediaImage",
}


def gid(kind: str, number: int) -> str:
    return f"{GID}{kind}/{number}"


def parse_gid(value: str, kind: str | None = None) -> tuple[str, int] | None:
    """``gid://shopify/Product/7`` → ("Product", 7); None when it is not one (of `kind`)."""
    if not value.startswith(GID):
        return None
    found_kind, _, rest = value.removeprefix(GID).partition("/")
    number = rest.split("?", 1)[0]
    if not number.isdigit() or (kind is not None and found_kind != kind):
        return None
    return found_kind, int(number)


def stamp(moment: datetime | None) -> str | None:
    """GraphQL's DateTime: ISO 8601 in UTC with a ``Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_key(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def shop_of_info(info: GraphQLResolveInfo) -> Shop:
    shop: Shop = info.context["shop"]
    return shop


def require(info: GraphQLResolveInfo, scope: str) -> None:
    """Shopify's access-denied error unless the token holds `scope` (a write scope implies
    the read one)."""
    held: frozenset[str] = info.context["scopes"]
    if scope in held or scope.replace("read_", "write_") in held:
        return
    raise GraphQLError(
        f"Access denied for {info.field_name} field. Required access: `{scope}` access scope.",
        extensions={
            "code": "ACCESS_DENIED",
            "documentation": "https://shopify.dev/api/usage/access-scopes",
            "requiredAccess": f"`{scope}` access scope.",
        },
    )


def search(info: GraphQLResolveInfo, query: str | None, getters: dict[str, Any]) -> Any:
    fields = SearchFields(getters, shop_of_info(info).zone)
    try:
        test = matcher(query, fields)
    except SearchSyntaxError as exc:
        raise GraphQLError(f"Invalid search query: {exc}") from None
    info.context.setdefault("search_warnings", []).extend(fields.warnings)
    return test
