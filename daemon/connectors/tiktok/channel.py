"""Authenticated calls for one shop: access token, ``shop_cipher``, one refresh on 105002.

The shop's cipher comes from the token store, or else from Get Authorized Shops (choosing the
configured ``shop_id``, or the only shop), and is then recorded there.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import structlog
from pydantic import BaseModel

from daemon.connectors.base import TokenStore
from daemon.connectors.tiktok.auth import TokenManager, choose_shop, reauthorize_hint
from daemon.connectors.tiktok.endpoints import AUTHORIZED_SHOPS
from daemon.connectors.tiktok.errors import TikTokAuthError, TikTokFatalError, TokenExpiredError
from daemon.connectors.tiktok.models.auth import AuthorizedShop, AuthorizedShopsData
from daemon.connectors.tiktok.models.common import Page
from daemon.connectors.tiktok.transport import Call, Transport
from daemon.domain.models import ShopBinding

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

log = structlog.get_logger(__name__)


class Channel:
    """What every endpoint module calls: `call` for one request, `pages` for a search."""

    def __init__(
        self,
        transport: Transport,
        tokens: TokenManager,
        store: TokenStore,
        shop_name: str,
        *,
        tiktok_shop_id: str | None,
        clock: Callable[[], float],
    ) -> None:
        self._transport = transport
        self.tokens = tokens
        self._store = store
        self._shop = shop_name
        self._wanted_shop_id = tiktok_shop_id
        self._clock = clock
        self._cipher: str | None = None
        self._cipher_lock = asyncio.Lock()

    async def call(self, call: Call, model: type[M]) -> M:
        """Send `call` for this shop; on 105002 refresh the token once and send it again."""
        cipher = await self.shop_cipher() if call.endpoint.shop_scoped else None
        token = await self.tokens.access_token()
        try:
            return await self._transport.call(call, model, access_token=token, shop_cipher=cipher)
        except TokenExpiredError:
            await self.tokens.refresh_rejected(token)
        except TikTokAuthError as error:
            if not await self.tokens.reload_rejected(token):
                raise TikTokAuthError(
                    f"{error}; {reauthorize_hint(self._shop)}",
                    code=error.code,
                    request_id=error.request_id,
                ) from None
            log.info("tiktok_tokens_replaced", shop=self._shop)
        token = await self.tokens.access_token()
        try:
            return await self._transport.call(call, model, access_token=token, shop_cipher=cipher)
        except TokenExpiredError as error:
            raise TikTokAuthError(
                f"the access token was refused as expired again right after a refresh: {error}",
                code=error.code,
                request_id=error.request_id,
            ) from None

    async def authorized_shops(self) -> tuple[AuthorizedShop, ...]:
        data = await self.call(Call(AUTHORIZED_SHOPS, AUTHORIZED_SHOPS.path), AuthorizedShopsData)
        return tuple(data.shops)

    async def shop_cipher(self) -> str:
        """The ``shop_cipher`` of this shop, looked up once and kept in the token store."""
        if self._cipher is not None:
            return self._cipher
        async with self._cipher_lock:
            if self._cipher is None:
                self._cipher = await self._stored_cipher() or await self._discover_cipher()
            return self._cipher

    async def _stored_cipher(self) -> str | None:
        binding = await self._store.load_binding()
        if binding is None:
            return None
        if self._wanted_shop_id is not None and binding.shop_id != self._wanted_shop_id:
            return None  # the configured shop changed since the cipher was recorded
        return binding.cipher

    async def _discover_cipher(self) -> str:
        shops = await self.authorized_shops()
        shop = choose_shop(shops, self._wanted_shop_id, f"shop {self._shop!r}: tiktok.shop_id")
        now = datetime.fromtimestamp(self._clock(), UTC)
        await self._store.save_binding(ShopBinding(shop.id, shop.cipher), now)
        log.info("tiktok_shop_bound", shop=self._shop, tiktok_shop_id=shop.id, region=shop.region)
        return shop.cipher


async def iterate_pages(
    fetch: Callable[[str | None], Awaitable[Page[T]]],
) -> AsyncIterator[T]:
    """Every item of a search, page after page, until the platform sends no next token."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(token)
        for item in page.items:
            yield item
        token = page.next_page_token
        if token is None:
            return
        if token in seen:
            raise TikTokFatalError("the platform repeated a page token; stopping the search")
        seen.add(token)
