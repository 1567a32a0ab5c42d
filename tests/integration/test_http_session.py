from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web

from daemon.connectors.http import classify_status, create_session, retry_after
from daemon.connectors.transport import AttemptError
from daemon.errors import AuthError, FatalError, RetriableError
from daemon.metrics import Metrics
from tests.conftest import free_port


async def test_calls_are_counted_by_platform_endpoint_and_status() -> None:
    async def ok(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def missing(_: web.Request) -> web.Response:
        return web.json_response({}, status=404)

    app = web.Application()
    app.router.add_get("/products/123", ok)
    app.router.add_get("/nothing", missing)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    metrics = Metrics()
    session = create_session("tiktok", metrics, timeout=timedelta(seconds=5))
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(2):
            async with session.get(
                f"{base}/products/123", trace_request_ctx={"endpoint": "get_product"}
            ) as response:
                assert response.status == 200
        async with session.get(f"{base}/nothing") as response:
            assert response.status == 404
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"http://127.0.0.1:{free_port()}/x")
    finally:
        await session.close()
        await runner.cleanup()

    def calls(endpoint: str, status: str) -> float | None:
        return metrics.registry.get_sample_value(
            "ttsync_http_calls_total",
            {"platform": "tiktok", "endpoint": endpoint, "status": status},
        )

    assert calls("get_product", "200") == 2.0
    assert calls("/nothing", "404") == 1.0
    assert calls("/x", "error") == 1.0
    count = metrics.registry.get_sample_value(
        "ttsync_http_call_duration_seconds_count",
        {"platform": "tiktok", "endpoint": "get_product"},
    )
    assert count == 2.0


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (429, AttemptError),
        (503, AttemptError),
        (500, AttemptError),
        (401, AuthError),
        (403, AuthError),
        (400, FatalError),
        (404, FatalError),
        (422, FatalError),
    ],
)
def test_classify_status(status: int, kind: type) -> None:
    error = classify_status("shopify", status, "detail", {"Retry-After": "2.5"})
    assert type(error) is kind
    assert f"HTTP {status}" in str(error)
    if kind is AttemptError:
        assert isinstance(error, RetriableError)
        assert error.retry_after == 2.5
        assert error.throttled is (status == 429)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("-1", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: no wait
        ("soon", None),
        ("inf", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    headers = {} if value is None else {"Retry-After": value}
    assert retry_after(headers) == seconds
