"""What every connector shares on the wire: one instrumented ClientSession, one exchange
that turns a failed connection into a retriable error, status classification and
``Retry-After`` parsing. The retry loop and pacing hooks that use them are in `transport`."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel, ValidationError
from yarl import URL

from daemon import __version__
from daemon.connectors.transport import AttemptError, FailureFactory, Reply
from daemon.errors import AuthError, FatalError
from daemon.metrics import Metrics

USER_AGENT = f"ttsync/{__version__}"

# HTTP statuses worth repeating: throttled, and the server-side failures that pass.
RETRIABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
HTTP_TOO_MANY_REQUESTS = 429
M = TypeVar("M", bound=BaseModel)


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


async def exchange(
    session: aiohttp.ClientSession,
    method: str,
    url: str | URL,
    *,
    endpoint: str,
    remote: str,
    failure: FailureFactory = AttemptError,
    params: Mapping[str, str] | None = None,
    data: bytes | aiohttp.FormData | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """Send one request and read its whole answer, whatever the status.

    A timeout or a broken connection becomes `failure` (a connection never made says so, as
    the call surely did not run). Messages name `endpoint` and `remote`, never the URL,
    whose query may hold credentials.
    """
    try:
        async with session.request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            trace_request_ctx={"endpoint": endpoint},
        ) as response:
            return Reply(response.status, await response.read(), response.headers)
    except TimeoutError:
        raise failure(f"{endpoint}: {remote} did not answer in time") from None
    except aiohttp.ClientConnectorError as exc:
        raise failure(
            f"{endpoint}: cannot connect to {remote} ({type(exc).__name__})", reached_server=False
        ) from None
    except aiohttp.ClientError as exc:
        raise failure(f"{endpoint}: connection to {remote} failed ({type(exc).__name__})") from None


def retry_after(headers: Mapping[str, str], *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, given in seconds or as an HTTP date
    (counted from `now`, the current time by default); None when absent or unreadable.
    A date in the past means no wait."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until(value, now or datetime.now(UTC))
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _seconds_until(http_date: str, now: datetime) -> float | None:
    try:
        moment = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000" means UTC with no source zone (RFC 5322)
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse_answer(model: type[M], body: Any, endpoint: str) -> M:
    """A whole answer in its documented shape; anything else is a contract violation."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise FatalError(
            f"{endpoint}: the answer does not match the documented shape: {validation_summary(exc)}"
        ) from None


def classify_status(
    platform: str, status: int, detail: str, headers: Mapping[str, str]
) -> AttemptError | FatalError:
    """Turn a failed HTTP status into the error that tells the caller what to do."""
    message = f"{platform} answered HTTP {status}: {detail}"
    if status in RETRIABLE_STATUSES:
        return AttemptError(
            message, retry_after=retry_after(headers), throttled=status == HTTP_TOO_MANY_REQUESTS
        )
    if status in {401, 403}:
        return AuthError(message)
    return FatalError(message)
