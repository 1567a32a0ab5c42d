"""How the store-neutral suite looks behind the neutral API: one probe per store kind, reading
(and, for orders, writing as the daemon's connector would) through the platform's own API.

`PROBES` is the one list of store kinds the neutral suite runs for: a new store simulator adds
its kind and its probe here and gets the whole suite.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

import aiohttp

from simulators.kit import RunningStore


class PlatformProbe(Protocol):
    async def stock(self, stock_key: str, location: str) -> int | None: ...

    async def price(self, variant_id: str) -> Decimal: ...

    async def published(self, product_id: str) -> bool: ...

    async def exists(self, product_id: str) -> bool: ...

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str: ...

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]: ...

    async def cancelled(self, order_id: str) -> bool: ...


class ShopifyProbe:
    """The Admin REST API, with the seed's access token."""

    def __init__(
        self, store: RunningStore, session: aiohttp.ClientSession, options: dict[str, Any]
    ) -> None:
        self._base = f"{store.base_url}/admin/api/{options['api_version']}"
        self._headers = {"X-Shopify-Access-Token": options["access_token"]}
        self._session = session

    async def _call(self, method: str, resource: str, body: Any = None, **query: str) -> Any:
        async with self._session.request(
            method, f"{self._base}/{resource}.json", json=body, params=query, headers=self._headers
        ) as response:
            if response.status == 404:
                return None
            assert response.status < 300, await response.text()
            return await response.json()

    async def stock(self, stock_key: str, location: str) -> int | None:
        body = await self._call(
            "GET", "inventory_levels", inventory_item_ids=stock_key, location_ids=location
        )
        levels = body["inventory_levels"]
        return None if not levels else int(levels[0]["available"])

    async def price(self, variant_id: str) -> Decimal:
        return Decimal((await self._call("GET", f"variants/{variant_id}"))["variant"]["price"])

    async def published(self, product_id: str) -> bool:
        return (await self._call("GET", f"products/{product_id}"))["product"]["status"] == "active"

    async def exists(self, product_id: str) -> bool:
        return await self._call("GET", f"products/{product_id}") is not None

    async def place_order(self, variant_id: str, quantity: int, reference: str) -> str:
        order = {
            "line_items": [{"variant_id": int(variant_id), "quantity": quantity}],
            "note_attributes": [{"name": "tiktok_order_id", "value": reference}],
            "inventory_behaviour": "decrement_obeying_policy",
            "financial_status": "paid",
        }
        return str((await self._call("POST", "orders", {"order": order}))["order"]["id"])

    async def shipments(self, order_id: str) -> list[tuple[str | None, str | None]]:
        body = await self._call("GET", f"orders/{order_id}/fulfillments")
        return [
            (f["tracking_company"], (f["tracking_numbers"] or [None])[0])
            for f in body["fulfillments"]
        ]

    async def cancelled(self, order_id: str) -> bool:
        return (await self._call("GET", f"orders/{order_id}"))["order"]["cancelled_at"] is not None


ProbeFactory = Callable[[RunningStore, aiohttp.ClientSession, dict[str, Any]], PlatformProbe]

PROBES: dict[str, ProbeFactory] = {"shopify": ShopifyProbe}
