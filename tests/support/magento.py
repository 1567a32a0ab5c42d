"""Starting the Magento simulator for tests, and driving it: the neutral store API
(``/_sim/store/``), the kit's ``/_sim/`` routes and its own ``/_sim/magento/`` ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import aiohttp

from daemon.connectors.magento import MagentoClient, MagentoSettings
from daemon.connectors.transport import RetrySettings
from daemon.metrics import Metrics
from simulators.magento import MagentoSimulator, MagentoSimulatorConfig
from tests.support.sim_control import NeutralControl

TOKEN = "magento_test_token_0123456789"
CONFIG = MagentoSimulatorConfig(access_token=TOKEN, locations=("Leeds Warehouse",))


@dataclass
class MagentoControl(NeutralControl):
    token: str

    async def rest(
        self, method: str, path: str, body: Any = None, *, token: str | None = None, **query: str
    ) -> tuple[int, Any]:
        """A REST call as an integration would make it (default scope)."""
        headers = {"Authorization": f"Bearer {token or self.token}"}
        async with self.session.request(
            method,
            f"{self.base_url}/rest/default/V1/{path}",
            json=body,
            params=query,
            headers=headers,
        ) as response:
            return response.status, await response.json()


def settings_for(simulator: MagentoSimulator, **changes: Any) -> MagentoSettings:
    assert simulator.base_url is not None
    fields: dict[str, Any] = {
        "base_url": simulator.base_url,
        "store_code": simulator.config.store_code,
        "access_token": simulator.config.access_token,
        **changes,
    }
    return MagentoSettings(**fields)


FAST_RETRY = RetrySettings()


def client_for(
    simulator: MagentoSimulator,
    *,
    timeout: float = 5.0,
    retry: RetrySettings = FAST_RETRY,
    **changes: Any,
) -> MagentoClient:
    settings = settings_for(simulator, request_timeout=timedelta(seconds=timeout), **changes)
    return MagentoClient(settings, Metrics(), retry=retry)


@asynccontextmanager
async def running(
    config: MagentoSimulatorConfig = CONFIG, **changes: Any
) -> AsyncIterator[tuple[MagentoSimulator, MagentoControl]]:
    simulator = MagentoSimulator(replace(config, **changes))
    base_url = await simulator.start("127.0.0.1", 0)
    session = aiohttp.ClientSession()
    try:
        yield simulator, MagentoControl(base_url, session, simulator.config.access_token)
    finally:
        await session.close()
        await simulator.stop()
