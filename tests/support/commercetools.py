"""Starting the commercetools simulator for tests, and driving it: the neutral store API
(``/_sim/store/``), the kit's ``/_sim/`` routes and its own ``/_sim/commercetools/`` ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import aiohttp

from daemon.connectors.commercetools import CommercetoolsClient, CommercetoolsSettings
from daemon.connectors.transport import RetrySettings
from daemon.metrics import Metrics
from simulators.commercetools import CommercetoolsSimulator, CommercetoolsSimulatorConfig
from tests.support.sim_control import NeutralControl

SECRET = "ct_client_secret_0123456789abcdef"
CONFIG = CommercetoolsSimulatorConfig(
    project_key="tt-test",
    client_id="ttsync-test",
    client_secret=SECRET,
    locations=("Leeds Warehouse",),
)


class CommercetoolsControl(NeutralControl):
    """The neutral control: commercetools needs no routes of its own in these tests."""


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
