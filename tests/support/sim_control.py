"""Driving a store simulator built on the kit for tests: its neutral store API
(``/_sim/store/``) and the kit's own ``/_sim/`` routes (faults, call log, clock). A kind's
control adds its own ``/_sim/<kind>/`` routes by subclassing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp


@dataclass
class NeutralControl:
    base_url: str
    session: aiohttp.ClientSession

    async def sim(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        async with self.session.request(
            method, f"{self.base_url}/_sim/{path}", json=body, params=query
        ) as response:
            answer = await response.json()
            assert response.status == 200, answer
            return answer

    async def products(self, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list((await self.sim("POST", "store/products", {"products": specs}))["products"])

    async def locations(self) -> list[str]:
        return [loc["id"] for loc in (await self.sim("GET", "store/locations"))["locations"]]

    async def advance(self, seconds: float) -> datetime:
        answer = await self.sim("POST", "clock/advance", {"seconds": seconds})
        return datetime.fromisoformat(answer["now"])

    async def calls(self, **query: str) -> list[dict[str, Any]]:
        return list((await self.sim("GET", "calls", **query))["calls"])

    async def lamp(self, option: str = "Colour") -> dict[str, Any]:
        """A product of two variants (``LAMP-A`` at 12.00, ``LAMP-B`` at 8.00), 10 units of
        each at the first location: what the order suites sell."""
        stock = [{"location": (await self.locations())[0], "available": 10}]
        variants = [
            {"sku": f"LAMP-{x}", "price": price, "options": {option: x}, "stock": stock}
            for x, price in (("A", "12.00"), ("B", "8.00"))
        ]
        [lamp] = await self.products([{"title": "Lamp", "variants": variants}])
        return lamp
