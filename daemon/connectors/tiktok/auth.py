"""TikTok Shop tokens: first grant from the auth code, refresh ahead of expiry, kept in the
runtime's `TokenStore` (the ledger), the only place tokens live. Every moment comes from the
injected clock (Unix seconds), the same one that stamps signed requests.

- A configured `TikTokSection.auth_code` not used before (the ledger keeps a hash of every code
  exchanged or refused): exchange it at the first call, even when tokens exist; that is how an
  operator re-authorises a revoked shop. `authorize` does the same for a code given directly.
- No tokens stored (or the authorisation expired) and no new code: the shop needs one.
- A call refused for the credentials: the tokens are read again from the store, since another
  process (`ttsync authorize`) may have replaced them; the call is repeated once if so.
- The access token expires within `refresh_margin`: refresh it. If that refresh fails for a
  temporary reason while the token is still valid, keep using it and try again next call.
- A call answered 105002 (expired): `refresh_rejected` refreshes once, unless another call
  already replaced the rejected token.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from pydantic import SecretStr

from daemon.connectors.base import TokenStore
from daemon.connectors.tiktok.endpoints import AUTH_GET_PATH, AUTH_REFRESH_PATH
from daemon.connectors.tiktok.errors import TikTokAuthError
from daemon.connectors.tiktok.models.auth import AuthorizedShop, TokenGrant
from daemon.connectors.tiktok.transport import Transport
from daemon.domain.models import TokenRecord
from daemon.errors import ConfigError, RetriableError, SkippableError

log = structlog.get_logger(__name__)

DEFAULT_REFRESH_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class AuthorizationStatus:
    """What /readyz shows about a shop's TikTok authorisation (no secrets)."""

    access_expires_at: datetime
    authorization_expires_at: datetime
    seller_name: str | None
    scopes: tuple[str, ...]

    def expires_within(self, window: timedelta, now: datetime) -> bool:
        return self.authorization_expires_at - now <= window


def _moment(unix_seconds: float) -> datetime:
    return datetime.fromtimestamp(unix_seconds, UTC)


def code_hash(code: SecretStr) -> str:
    """What the ledger keeps of an auth code: its SHA-256, never the code."""
    return hashlib.sha256(code.get_secret_value().encode()).hexdigest()


def reauthorize_hint(shop: str) -> str:
    """The fix for a refused or missing authorisation, named for the operator."""
    return (
        "to fix: have the seller authorise the app again in TikTok Shop Seller Center, then run "
        f"`ttsync authorize --shop {shop} --code NEW_CODE` (or set the new auth_code in the "
        "shop's [tiktok] section and restart)"
    )


def choose_shop(
    shops: Sequence[AuthorizedShop], wanted_id: str | None, source: str
) -> AuthorizedShop:
    """The configured shop (`wanted_id`), or the only one; anything else is a config error."""
    if not shops:
        raise TikTokAuthError("the TikTok authorisation covers no shop; re-authorise the seller")
    available = ", ".join(f"{shop.id} ({shop.name or 'unnamed'})" for shop in shops)
    if wanted_id is not None:
        for shop in shops:
            if shop.id == wanted_id:
                return shop
        raise ConfigError(
            source, [f"shop_id {wanted_id!r} is not among the authorised shops: {available}"]
        )
    if len(shops) > 1:
        raise ConfigError(
            source, [f"the authorisation covers several shops; set shop_id to one of: {available}"]
        )
    return shops[0]


class TokenManager:
    """Access tokens for one configured shop, kept in the runtime's `TokenStore`."""

    def __init__(
        self,
        transport: Transport,
        store: TokenStore,
        shop_name: str,
        *,
        app_key: str,
        app_secret: SecretStr,
        auth_code: SecretStr | None,
        refresh_margin: timedelta = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float],
    ) -> None:
        self._transport = transport
        self._store = store
        self._shop = shop_name
        self._app_key = app_key
        self._app_secret = app_secret
        self._auth_code = auth_code
        self._margin = refresh_margin.total_seconds()
        self._clock = clock
        self._lock = asyncio.Lock()
        self._tokens: TokenRecord | None = None
        self._loaded = False
        self._code_checked = auth_code is None

    async def access_token(self) -> str:
        """A usable access token, obtaining or refreshing one first when needed."""
        async with self._lock:
            tokens = await self._usable()
            return tokens.access_token

    async def refresh_rejected(self, rejected: str) -> None:
        """The platform called `rejected` expired (105002): refresh, unless already replaced."""
        async with self._lock:
            tokens = await self._usable()
            if tokens.access_token == rejected:
                await self._refresh(tokens)

    async def refresh(self) -> None:
        """Refresh now, whatever the expiry says."""
        async with self._lock:
            await self._refresh(await self._usable())

    async def authorize(self, code: SecretStr) -> TokenRecord:
        """Exchange `code` now, whatever tokens exist; `TikTokAuthError` when it is refused."""
        async with self._lock:
            self._code_checked = True  # the code given wins over the configured one
            return await self._exchange(code)

    async def reload_rejected(self, rejected: str) -> bool:
        """The platform refused `rejected`: read the stored tokens again. True when they were
        replaced meanwhile (another process re-authorised), so the call is worth repeating."""
        async with self._lock:
            self._loaded = False
            tokens = await self._stored()
            return tokens is not None and tokens.access_token != rejected

    async def status(self) -> AuthorizationStatus | None:
        """The authorisation's expiry and scopes, or None before the first token."""
        async with self._lock:
            tokens = await self._stored()
        if tokens is None:
            return None
        return AuthorizationStatus(
            access_expires_at=_moment(tokens.access_expires_at),
            authorization_expires_at=_moment(tokens.refresh_expires_at),
            seller_name=tokens.seller_name,
            scopes=tokens.scopes,
        )

    async def _stored(self) -> TokenRecord | None:
        if not self._loaded:
            self._tokens = await self._store.load_tokens()
            self._loaded = True
        return self._tokens

    async def _usable(self) -> TokenRecord:
        tokens = await self._stored()
        if not self._code_checked:
            tokens = await self._new_code(tokens)
        now = self._clock()
        if tokens is None or now >= tokens.refresh_expires_at:
            raise TikTokAuthError(self._missing(expired=tokens is not None))
        if now + self._margin < tokens.access_expires_at:
            return tokens
        try:
            return await self._refresh(tokens)
        except RetriableError as error:
            if now < tokens.access_expires_at:
                log.warning("tiktok_token_refresh_postponed", shop=self._shop, error=str(error))
                return tokens
            raise

    async def _new_code(self, tokens: TokenRecord | None) -> TokenRecord | None:
        """Exchange the configured code if it was never used; keep `tokens` otherwise."""
        assert self._auth_code is not None  # checked only when one is configured
        if await self._store.code_used(code_hash(self._auth_code)):
            self._code_checked = True
            return tokens
        try:
            fresh = await self._exchange(self._auth_code)
        except TikTokAuthError as error:
            self._code_checked = True
            if tokens is None:
                raise
            # e.g. the code that made the stored tokens, from before the ledger kept hashes
            log.warning("tiktok_auth_code_refused", shop=self._shop, error=str(error))
            return tokens
        self._code_checked = True
        return fresh

    def _missing(self, *, expired: bool) -> str:
        state = "has expired" if expired else "is missing"
        if self._auth_code is not None:
            state += " and the configured auth_code was already used"
        return f"the TikTok authorisation of shop {self._shop!r} {state}; " + reauthorize_hint(
            self._shop
        )

    async def _exchange(self, code: SecretStr) -> TokenRecord:
        query: Mapping[str, str] = {
            "app_key": self._app_key,
            "app_secret": self._app_secret.get_secret_value(),
            "auth_code": code.get_secret_value(),
            "grant_type": "authorized_code",
        }
        hashed = code_hash(code)
        try:
            grant = await self._ask("auth.token_get", AUTH_GET_PATH, query)
        except TikTokAuthError:
            await self._store.code_refused(hashed, _moment(self._clock()))
            raise
        tokens = await self._save(grant, previous=None, code=hashed)
        log.info("tiktok_authorised", shop=self._shop, seller=tokens.seller_name)
        return tokens

    async def _refresh(self, tokens: TokenRecord) -> TokenRecord:
        query: Mapping[str, str] = {
            "app_key": self._app_key,
            "app_secret": self._app_secret.get_secret_value(),
            "refresh_token": tokens.refresh_token,
            "grant_type": "refresh_token",
        }
        grant = await self._ask("auth.token_refresh", AUTH_REFRESH_PATH, query)
        fresh = await self._save(grant, previous=tokens)
        log.info(
            "tiktok_token_refreshed",
            shop=self._shop,
            access_expires_at=_moment(fresh.access_expires_at).isoformat(),
        )
        return fresh

    async def _ask(self, name: str, path: str, query: Mapping[str, str]) -> TokenGrant:
        # Codes and refresh tokens may be single use: repeat a call only when it surely did not
        # reach the auth host. Any business refusal there means the grant is unusable.
        try:
            return await self._transport.auth_get(name, path, query, TokenGrant, idempotent=False)
        except (SkippableError, TikTokAuthError) as error:
            code = error.code if isinstance(error, TikTokAuthError) else None
            raise TikTokAuthError(
                f"the auth host refused the grant for shop {self._shop!r}: {error}; "
                + reauthorize_hint(self._shop),
                code=code,
            ) from None

    async def _save(
        self, grant: TokenGrant, previous: TokenRecord | None, code: str | None = None
    ) -> TokenRecord:
        tokens = TokenRecord(
            access_token=grant.access_token.get_secret_value(),
            access_expires_at=grant.access_token_expire_in,
            refresh_token=grant.refresh_token.get_secret_value(),
            refresh_expires_at=grant.refresh_token_expire_in,
            open_id=grant.open_id or (previous.open_id if previous else None),
            seller_name=grant.seller_name or (previous.seller_name if previous else None),
            scopes=tuple(grant.granted_scopes) or (previous.scopes if previous else ()),
        )
        if tokens.access_expires_at <= self._clock():
            raise TikTokAuthError("the auth host granted an access token that is already expired")
        await self._store.save_tokens(tokens, _moment(self._clock()), code_hash=code)
        self._tokens = tokens
        self._loaded = True
        return tokens
