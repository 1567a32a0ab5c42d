"""Changes by the Messages API (``change_feed = "messages"``): the ids of the products that
messages name since a time, and the products deleted since then. The project must have the
Messages API enabled (`store_info` checks it) and the API client ``view_messages``. Messages
are kept 15 days by default: bookmarks older than that need a full pass, which the catalog
job's schedule makes anyway."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from daemon.connectors.commercetools.rest import Api, ct_time, quoted

#: Messages that change what a product projection shows.
PRODUCT_CHANGES = (
    "ProductCreated",
    "ProductPublished",
    "ProductUnpublished",
    "ProductPriceAdded",
    "ProductPriceChanged",
    "ProductPricesSet",
    "ProductPriceRemoved",
    "ProductPriceDiscountsSet",
    "ProductVariantAdded",
    "ProductVariantDeleted",
    "ProductImageAdded",
    "ProductRevertedStagedChanges",
)
PRODUCT_DELETED = ("ProductDeleted",)


async def resource_ids(api: Api, types: Sequence[str], since: datetime) -> list[str]:
    """The ids of the resources that messages of `types` created at or after `since` name,
    each once, in the order first named."""
    kinds = ", ".join(quoted(t) for t in types)
    where = [f"type in ({kinds})", f"createdAt >= {quoted(ct_time(since))}"]
    found: dict[str, None] = {}
    async for page in api.query(["messages"], where, endpoint="messages.query"):
        for raw in page:
            resource = raw.get("resource") if isinstance(raw, dict) else None
            if isinstance(resource, dict) and isinstance(resource.get("id"), str):
                found[resource["id"]] = None
    return list(found)
