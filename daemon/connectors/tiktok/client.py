"""`TikTokClient`: the TikTok Shop Open API for one configured shop.

Build it with `TikTokClient.open` (which creates and later closes its own instrumented
session), or pass a session you own to the constructor. Endpoints are grouped by area:
``client.products``, ``client.orders``, ``client.cancellations``, ``client.returns``,
``client.logistics`` and ``client.webhooks``.

Tokens and the shop cipher are kept in the `TokenStore` the runtime hands it (the ledger, keyed
by the shop's name in the config file; the shop must be registered there first).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from types import TracebackType
from typing import Self

import aiohttp
from pydantic import SecretStr

from daemon.connectors.base import TokenStore
from daemon.connectors.http import create_session
from daemon.connectors.ratelimit import RateLimiter, RatePolicy
from daemon.connectors.tiktok.auth import (
    DEFAULT_REFRESH_MARGIN,
    AuthorizationStatus,
    TokenManager,
)
from daemon.connectors.tiktok.cancellations import CancellationsApi
from daemon.connectors.tiktok.channel import Channel
from daemon.connectors.tiktok.events import WebhooksApi
from daemon.connectors.tiktok.logistics import LogisticsApi
from daemon.connectors.tiktok.models.auth import AuthorizedShop
from daemon.connectors.tiktok.orders import OrdersApi
from daemon.connectors.tiktok.products import ProductsApi
from daemon.connectors.tiktok.returns import ReturnsApi
from daemon.connectors.tiktok.settings import TikTokSection
from daemon.connectors.tiktok.transport import Transport
from daemon.connectors.transport import RetrySettings
from daemon.errors import AuthError
from daemon.metrics import Metrics

PLATFORM_LABEL = "tiktok"


class TikTokClient:
    """One shop's TikTok Shop connection: signing, tokens, pacing, retries, typed endpoints."""

    def __init__(
        self,
        settings: TikTokSection,
        *,
        session: aiohttp.ClientSession,
        tokens: TokenStore,
        shop_name: str,
        clock: Callable[[], float] = time.time,
        refresh_margin: timedelta = DEFAULT_REFRESH_MARGIN,
        retry: RetrySettings | None = None,
        rate_policy: RatePolicy | None = None,
    ) -> None:
        """`clock` gives Unix seconds for request timestamps and token expiry checks."""
        self.shop_name = shop_name
        self._session = session
        self._owns_session = False
        self.limiter = RateLimiter(rate_policy or RatePolicy(limit=settings.rate_limit_per_second))
        transport = Transport(
            session,
            app_key=settings.app_key,
            app_secret=settings.app_secret,
            api_base_url=settings.api_base_url,
            auth_base_url=settings.auth_base_url,
            limiter=self.limiter,
            retry=retry or RetrySettings(),
            clock=clock,
        )
        manager = TokenManager(
            transport,
            tokens,
            shop_name,
            app_key=settings.app_key,
            app_secret=settings.app_secret,
            auth_code=settings.auth_code,
            refresh_margin=refresh_margin,
            clock=clock,
        )
        self._channel = Channel(
            transport, manager, tokens, shop_name, tiktok_shop_id=settings.shop_id, clock=clock
        )
        self.products = ProductsApi(self._channel)
        self.orders = OrdersApi(self._channel)
        self.cancellations = CancellationsApi(self._channel)
        self.returns = ReturnsApi(self._channel)
        self.logistics = LogisticsApi(self._channel)
        self.webhooks = WebhooksApi(self._channel)

    @classmethod
    def open(
        cls,
        settings: TikTokSection,
        *,
        tokens: TokenStore,
        shop_name: str,
        metrics: Metrics,
        clock: Callable[[], float] = time.time,
        refresh_margin: timedelta = DEFAULT_REFRESH_MARGIN,
        retry: RetrySettings | None = None,
        rate_policy: RatePolicy | None = None,
    ) -> TikTokClient:
        """A client with its own instrumented session, closed by `close`. Call it inside a
        running event loop (aiohttp sessions belong to one)."""
        session = create_session(PLATFORM_LABEL, metrics, timeout=settings.request_timeout)
        client = cls(
            settings,
            session=session,
            tokens=tokens,
            shop_name=shop_name,
            clock=clock,
            refresh_margin=refresh_margin,
            retry=retry,
            rate_policy=rate_policy,
        )
        client._owns_session = True
        return client

    async def close(self) -> None:
        """Close the session if this client opened it."""
        if self._owns_session and not self._session.closed:
            await self._session.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> AuthorizationStatus:
        """Test-before-ready: obtain a token and the shop cipher; return the authorisation."""
        await self._channel.tokens.access_token()
        await self._channel.shop_cipher()
        status = await self._channel.tokens.status()
        if status is None:
            raise AuthError("no TikTok token after connecting")
        return status

    async def authorize(self, code: SecretStr) -> AuthorizationStatus:
        """Exchange `code` for new tokens now, whatever tokens exist (re-authorisation)."""
        await self._channel.tokens.authorize(code)
        status = await self._channel.tokens.status()
        if status is None:
            raise AuthError("no TikTok token after authorising")
        return status

    async def authorization(self) -> AuthorizationStatus | None:
        """Token and authorisation expiry (for /readyz); None before the first token."""
        return await self._channel.tokens.status()

    async def refresh_token(self) -> AuthorizationStatus | None:
        """Refresh the access token now (the scheduled auth job may call this)."""
        await self._channel.tokens.refresh()
        return await self._channel.tokens.status()

    async def authorized_shops(self) -> tuple[AuthorizedShop, ...]:
        """Every shop the seller's authorisation covers (Get Authorized Shops)."""
        return await self._channel.authorized_shops()

    async def shop_cipher(self) -> str:
        return await self._channel.shop_cipher()
