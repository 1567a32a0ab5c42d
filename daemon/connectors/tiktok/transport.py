"""One signed Open API call, or one unsigned auth-host call, on the shared transport policy.

`daemon.connectors.transport.send` paces, repeats and bounds every call; this module signs,
sends and classifies one attempt, and plugs the adaptive per-endpoint limiter in as the pacer
(auth-host calls are not paced). The JSON body is serialised once; those exact bytes are
signed and sent. Each attempt takes a fresh timestamp from the injected clock, so it is signed
again; the body never changes, and a multipart body is rebuilt for every attempt.
Query values are percent-encoded here (``quote(..., safe="")``) and handed to aiohttp as
already encoded, so ``+``, ``/`` and ``=`` in page tokens reach the platform intact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
import structlog
from pydantic import BaseModel, SecretStr, ValidationError
from yarl import URL

from daemon.connectors.http import exchange
from daemon.connectors.ratelimit import RateLimiter
from daemon.connectors.tiktok.endpoints import Endpoint
from daemon.connectors.tiktok.errors import (
    SCOPE_MISSING,
    TikTokAuthError,
    TikTokFatalError,
    TikTokRetriableError,
    classify,
)
from daemon.connectors.tiktok.models.common import Envelope, RequestModel
from daemon.connectors.tiktok.signing import sign_request
from daemon.connectors.transport import NO_PACING, Reply, RetrySettings, send

M = TypeVar("M", bound=BaseModel)

log = structlog.get_logger(__name__)

_HTTP_OK = 200
_MAX_DETAIL = 200
_REMOTE = "TikTok Shop"


@dataclass(frozen=True)
class Upload:
    """A multipart body: one file part and plain fields (rebuilt for every attempt)."""

    file_field: str
    content: bytes
    filename: str
    content_type: str
    fields: tuple[tuple[str, str], ...] = ()

    def form(self) -> aiohttp.FormData:
        form = aiohttp.FormData()
        form.add_field(
            self.file_field, self.content, filename=self.filename, content_type=self.content_type
        )
        for name, value in self.fields:
            form.add_field(name, value)
        return form


@dataclass(frozen=True)
class Call:
    """Everything about one Open API call except the credentials."""

    endpoint: Endpoint
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    upload: Upload | None = None


def encode_body(payload: RequestModel | Mapping[str, Any]) -> bytes:
    """Serialise a request body once, compactly; these bytes are both signed and sent."""
    if isinstance(payload, RequestModel):
        return payload.model_dump_json(exclude_none=True).encode()
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def encode_query(params: Mapping[str, str]) -> str:
    """``key=value&...`` with every reserved character (``+ / = & ?`` ...) percent-encoded."""
    pairs = (f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in params.items())
    return "&".join(pairs)


def validation_summary(error: ValidationError) -> str:
    """Where and why a payload failed validation, without echoing any of its values."""
    problems = []
    for item in error.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse_data(model: type[M], data: Any, context: str) -> M:
    """Validate an envelope's ``data`` into `model`; a mismatch is a contract violation."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise TikTokFatalError(
            f"{context}: the response does not match the documented shape: "
            f"{validation_summary(exc)}"
        ) from None


class EndpointPacing:
    """The adaptive limiter as the shared loop's pacer: one lane per endpoint, cut on throttling.

    TikTok's answers carry no rate headers, so there is nothing to learn after a call.
    """

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    async def before(self, endpoint: str) -> None:
        await self.limiter.acquire(endpoint)

    def after(self, endpoint: str, status: int | None, headers: Mapping[str, str]) -> None:
        """Nothing to learn: TikTok reports no remaining budget."""

    def throttled(
        self, endpoint: str, retry_after: float | None, headers: Mapping[str, str]
    ) -> None:
        del retry_after, headers  # the limiter slows down by its own policy
        if self.limiter.throttled(endpoint):
            log.warning(
                "tiktok_throttled",
                endpoint=endpoint,
                rate_per_second=round(self.limiter.rate(endpoint), 2),
            )


class Transport:
    """HTTP I/O for one TikTok shop connection: sign, pace, send, classify, retry."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        app_key: str,
        app_secret: SecretStr,
        api_base_url: str,
        auth_base_url: str,
        limiter: RateLimiter,
        retry: RetrySettings,
        clock: Callable[[], float],
    ) -> None:
        self._session = session
        self._app_key = app_key
        self._app_secret = app_secret
        self._api_base = api_base_url.rstrip("/")
        self._auth_base = auth_base_url.rstrip("/")
        self.limiter = limiter
        self._pacing = EndpointPacing(limiter)
        self._retry = retry
        self._clock = clock

    async def call(
        self, call: Call, model: type[M], *, access_token: str, shop_cipher: str | None
    ) -> M:
        """Send `call` (repeating it when that is safe and useful) and parse its ``data``."""
        endpoint = call.endpoint
        if endpoint.shop_scoped and not shop_cipher:
            raise TikTokFatalError(f"{endpoint.name} needs a shop_cipher")
        try:
            data = await send(
                partial(self._signed_exchange, call, access_token, shop_cipher),
                partial(self._unwrap, endpoint.name),
                endpoint=endpoint.name,
                idempotent=endpoint.idempotent,
                retry=self._retry,
                pacing=self._pacing,
            )
        except TikTokAuthError as exc:
            if exc.code != SCOPE_MISSING:
                raise
            # TikTok's answer does not say which scope; the endpoint does.
            raise TikTokAuthError(
                f"missing access scope {endpoint.scope} ({endpoint.name} needs it); {exc}",
                code=exc.code,
                request_id=exc.request_id,
            ) from None
        return parse_data(model, data, endpoint.name)

    async def auth_get(
        self, name: str, path: str, query: Mapping[str, str], model: type[M], *, idempotent: bool
    ) -> M:
        """An unsigned, unpaced GET to the auth host; `query` holds credentials and is never
        logged."""
        url = URL(f"{self._auth_base}{path}?{encode_query(query)}", encoded=True)
        data = await send(
            partial(self._exchange, name, "GET", url, {}, None),
            partial(self._unwrap, name),
            endpoint=name,
            idempotent=idempotent,
            retry=self._retry,
            pacing=NO_PACING,
        )
        return parse_data(model, data, name)

    async def _signed_exchange(
        self, call: Call, access_token: str, shop_cipher: str | None
    ) -> Reply:
        """One attempt: a fresh timestamp, signed over the exact bytes sent."""
        endpoint = call.endpoint
        params = {"app_key": self._app_key, "timestamp": str(int(self._clock()))}
        if endpoint.shop_scoped and shop_cipher:
            params["shop_cipher"] = shop_cipher
        params.update(call.query)
        signed_body = b"" if endpoint.multipart else (call.body or b"")
        params["sign"] = sign_request(
            self._app_secret.get_secret_value(), call.path, params, signed_body
        )
        url = URL(f"{self._api_base}{call.path}?{encode_query(params)}", encoded=True)
        headers = {"x-tts-access-token": access_token}
        payload: bytes | aiohttp.FormData | None = call.body
        if call.upload is not None:
            payload = call.upload.form()
        else:
            headers["Content-Type"] = "application/json"
        return await self._exchange(endpoint.name, endpoint.method, url, headers, payload)

    async def _exchange(
        self,
        name: str,
        method: str,
        url: URL,
        headers: Mapping[str, str],
        payload: bytes | aiohttp.FormData | None,
    ) -> Reply:
        # The URL's query may hold credentials: `exchange` never quotes it in an error.
        return await exchange(
            self._session,
            method,
            url,
            endpoint=name,
            remote=_REMOTE,
            failure=TikTokRetriableError,
            data=payload,
            headers=headers,
        )

    def _unwrap(self, name: str, reply: Reply) -> Any:
        status, raw, headers = reply.status, reply.body, reply.headers
        try:
            envelope = Envelope.model_validate_json(raw)
        except ValidationError:
            detail = raw[:_MAX_DETAIL].decode("utf-8", "replace")
            if status == _HTTP_OK:
                raise TikTokFatalError(
                    f"{name}: the response is not a TikTok Shop envelope: {detail!r}"
                ) from None
            raise classify(status, None, f"{name}: {detail}", headers=headers) from None
        if envelope.code == 0 and status == _HTTP_OK:
            return envelope.data
        raise classify(
            status,
            envelope.code or None,
            f"{name}: {envelope.message}",
            request_id=envelope.request_id or None,
            headers=headers,
        )
