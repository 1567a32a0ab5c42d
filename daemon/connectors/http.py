"""What every connector shares: one instrumented ClientSession, status classification,
Retry-After parsing and the retry policy (retries happen only at the connector boundary)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta
from types import SimpleNamespace

import aiohttp

from daemon import __version__
from daemon.errors import AuthError, FatalError, RetriableError
from daemon.metrics import Metrics

USER_AGENT = f"ttsync/{__version__}"

# HTTP statuses worth repeating: throttled, and the server-side failures that pass.
RETRIABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def create_session(
    platform: str,
    metrics: Metrics,
    *,
    timeout: timedelta,
    headers: Mapping[str, str] | None = None,
) -> aiohttp.ClientSession:
    """A session that counts every call by platform, endpoint and status, and times it.

    Pass ``trace_request_ctx={"endpoint": NAME}`` on each request to name its endpoint; the
    URL path is used otherwise (avoid that for paths that carry ids).
    """
    trace = aiohttp.TraceConfig()

    async def on_start(
        _: aiohttp.ClientSession, ctx: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        ctx.started = time.monotonic()
        given = ctx.trace_request_ctx or {}
        ctx.endpoint = given.get("endpoint") if isinstance(given, Mapping) else None
        ctx.endpoint = ctx.endpoint or params.url.path

    def record(ctx: SimpleNamespace, status: str) -> None:
        metrics.http_calls.labels(platform=platform, endpoint=ctx.endpoint, status=status).inc()
        metrics.http_latency.labels(platform=platform, endpoint=ctx.endpoint).observe(
            time.monotonic() - ctx.started
        )

    async def on_end(
        _: aiohttp.ClientSession, ctx: SimpleNamespace, params: aiohttp.TraceRequestEndParams
    ) -> None:
        record(ctx, str(params.response.status))

    async def on_exception(
        _: aiohttp.ClientSession,
        ctx: SimpleNamespace,
        params: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        del params
        record(ctx, "error")

    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    trace.on_request_exception.append(on_exception)
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout.total_seconds()),
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        trace_configs=[trace],
        raise_for_status=False,
    )


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a ``Retry-After`` header given in seconds; None when absent or a date."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def classify_status(
    platform: str, status: int, detail: str, headers: Mapping[str, str]
) -> RetriableError | FatalError:
    """Turn a failed HTTP status into the error that tells the caller what to do."""
    message = f"{platform} answered HTTP {status}: {detail}"
    if status in RETRIABLE_STATUSES:
        return RetriableError(message, retry_after=retry_after(headers))
    if status in {401, 403}:
        return AuthError(message)
    return FatalError(message)
