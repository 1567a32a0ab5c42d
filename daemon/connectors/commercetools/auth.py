"""OAuth2 client credentials against the auth host: one token at a time, fetched on first
use and renewed `token_refresh_margin` before it expires (or at once when the API says it is
no longer valid). The secret travels only in the token request's Basic header; neither it nor
a token appears in a message."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from urllib.parse import urlencode

import aiohttp
import structlog

from daemon.connectors.commercetools.models import Token
from daemon.connectors.commercetools.settings import CommercetoolsSettings
from daemon.connectors.http import classify_status, exchange
from daemon.connectors.transport import Reply, RetrySettings, send
from daemon.errors import AuthError, FatalError

log = structlog.get_logger(__name__)

PLATFORM = "commercetools"
_ENDPOINT = "oauth.token"
_AUTH_REFUSALS = {400, 401, 403}


def _code(reply: Reply) -> str:
    """The OAuth error code of a refusal, and for a scope the description naming it (never
    a client's description, which may echo what was sent)."""
    try:
        body = json.loads(reply.body)
    except ValueError:
        return f"HTTP {reply.status}"
    code = body.get("error") if isinstance(body, dict) else None
    if not isinstance(code, str):
        return f"HTTP {reply.status}"
    detail = body.get("error_description")
    if code == "invalid_scope" and isinstance(detail, str):
        return f"{code}: {detail[:200]}"
    return code


class Tokens:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: CommercetoolsSettings,
        retry: RetrySettings,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._session = session
        self._settings = settings
        self._retry = retry
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._renew_at = 0.0
        self.fetched = 0  # how many tokens this process has asked for

    def _read(self, reply: Reply) -> Token:
        if reply.status in _AUTH_REFUSALS:
            raise AuthError(
                f"commercetools refused the API client {self._settings.client_id!r} "
                f"({_code(reply)}): check client_id, client_secret and scopes"
            )
        if not 200 <= reply.status < 300:  # noqa: PLR2004 success range
            raise classify_status(PLATFORM, reply.status, _ENDPOINT, reply.headers)
        try:
            return Token.model_validate_json(reply.body)
        except ValueError:
            raise FatalError(f"{_ENDPOINT}: the answer is not a token") from None

    async def _fetch(self) -> None:
        settings = self._settings
        key = settings.project_key
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "scope": " ".join(f"{scope}:{key}" for scope in settings.scopes),
            }
        ).encode()
        basic = aiohttp.encode_basic_auth(
            settings.client_id, settings.client_secret.get_secret_value()
        )
        started = self._clock()
        token = await send(
            lambda: exchange(
                self._session,
                "POST",
                f"{settings.auth_url.rstrip('/')}/oauth/token",
                endpoint=_ENDPOINT,
                remote="the commercetools auth host",
                data=form,
                headers={
                    "Authorization": basic,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            ),
            self._read,
            endpoint=_ENDPOINT,
            idempotent=True,
            retry=self._retry,
        )
        margin = settings.token_refresh_margin.total_seconds()
        self._token = token.access_token
        self._renew_at = started + max(token.expires_in - margin, token.expires_in / 2)
        self.fetched += 1
        log.info("commercetools_token_fetched", expires_in=token.expires_in, scope=token.scope)

    async def bearer(self) -> str:
        """The Authorization header's value, with a token good for a while yet."""
        async with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                await self._fetch()
            assert self._token is not None
            return f"Bearer {self._token}"

    def drop(self, header: str) -> None:
        """The API refused the token in `header`: the next call fetches another."""
        if self._token is not None and header == f"Bearer {self._token}":
            self._token = None
