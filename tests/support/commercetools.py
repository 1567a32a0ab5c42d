"""Starting the commercetools simulator for tests, and driving it: the neutral store API
(``/_sim/store/``), the kit's ``/_sim/`` routes and its own ``/_sim/commercetools/`` ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from daemon.connectors.commercetools import CommercetoolsClient, CommercetoolsSettings
from daemon.connectors.transport import RetrySettings
from daemon.metrics import Metrics
from simulators.commercetools import CommercetoolsSimulator, CommercetoolsSimulatorConfig

SECRET = "ct_client_secret_0123456789abcdef"
CONFIG = CommercetoolsSimulatorConfig(
    project_key="tt-test",
    client_id="ttsync-test",
    client_secret=SECRET,
    locations=("Leeds Warehouse",),
)


@dataclass
class CommercetoolsControl:
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


def settings_for(simulator: CommercetoolsSimulator, **changes: Any) -> CommercetoolsSettings:
    assert simulator.base_url is not None
    config = simulator.config
    fields: dict[str, Any] = {
        "project_key": config.project_key,
        "api_url": simulator.base_url,
        "auth_url": simulator.base_url,
        "client_id": config.client_id,
        "client_secret": config.client_secret,
        "price_currency": config.currencies[0],
        "price_country": config.countries[0],
        **changes,
    }
    return CommercetoolsSettings(**fields)


FAST_RETRY = RetrySettings()


def client_for(
    simulator: CommercetoolsSimulator,
    *,
    timeout: float = 5.0,
    retry: RetrySettings = FAST_RETRY,
    **changes: Any,
) -> CommercetoolsClient:
    settings = settings_for(simulator, request_timeout=timedelta(seconds=timeout), **changes)
    return CommercetoolsClient(settings, Metrics(), retry=retry)


@asynccontextmanager
async def running(
    config: CommercetoolsSimulatorConfig = CONFIG, **changes: Any
) -> AsyncIterator[tuple[CommercetoolsSimulator, CommercetoolsControl]]:
    simulator = CommercetoolsSimulator(replace(config, **changes))
    base_url = await simulator.start("127.0.0.1", 0)
    session = aiohttp.ClientSession()
    try:
        yield simulator, CommercetoolsControl(base_url, session)
    finally:
        await session.close()
        await simulator.stop()
