"""Over HTTPS the connector's calls carry the key as HTTP Basic credentials (no signature),
against the simulator serving TLS with a trustme CA."""

from __future__ import annotations

import ssl

import aiohttp
import pytest

from daemon.connectors.transport import RetrySettings
from daemon.connectors.woocommerce.rest import Rest
from daemon.errors import AuthError
from simulators.kit import CallQuery, StoreSeed
from simulators.woocommerce import SAMPLE_OPTIONS, start_store


async def test_basic_credentials_over_https_read_and_a_wrong_secret_is_refused() -> None:
    seed = StoreSeed("TLS shop", "GBP", ("Store",), None, {**SAMPLE_OPTIONS, "tls": True})
    running = await start_store(seed, "127.0.0.1", 0)
    try:
        assert running.base_url.startswith("https://")
        assert running.ca_file is not None
        trusted = ssl.create_default_context(cafile=str(running.ca_file))
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trusted)) as session:

            def rest(secret: str) -> Rest:
                return Rest(
                    session,
                    base_url=running.base_url,
                    key=SAMPLE_OPTIONS["consumer_key"],
                    secret=secret,
                    retry=RetrySettings(attempts=1),
                )

            answer = await rest(SAMPLE_OPTIONS["consumer_secret"]).call(
                "GET", "settings/general/woocommerce_currency", endpoint="settings.currency"
            )
            assert answer is not None
            assert answer.body["value"] == "GBP"
            calls = running.simulator.store.calls.select(CallQuery())
            assert not any(key.startswith("oauth_") for call in calls for key in call.query)
            with pytest.raises(AuthError, match="Consumer secret is invalid") as caught:
                await rest("cs_wrong").call("GET", "products", endpoint="products.list")
            assert "cs_wrong" not in str(caught.value)
    finally:
        await running.stop()
