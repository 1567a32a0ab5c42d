"""The auth host (unsigned token GETs) and the shop discovery endpoints of the Open API.

``/api/v2/token/get``: ``app_key``, ``app_secret``, ``auth_code``, ``grant_type=authorized_code``.
``/api/v2/token/refresh``: ``app_key``, ``app_secret``, ``refresh_token``,
``grant_type=refresh_token``. Auth codes are single use; ``*_expire_in`` are absolute Unix
timestamps. A refresh issues a new access token and keeps the refresh token and its expiry.
"""

from __future__ import annotations

import hmac

from aiohttp import web

from simulators.tiktok.context import RequestContext
from simulators.tiktok.envelope import failure, success
from simulators.tiktok.errors import (
    AUTH_RECORD_NOT_FOUND,
    HTTP_OK,
    INVALID_AUTH_CODE,
    INVALID_METHOD,
    REFRESH_TOKEN_EXPIRED,
    ApiError,
    gateway_error,
    invalid_param,
)
from simulators.tiktok.ids import opaque_token
from simulators.tiktok.model import AuthCode, Grant, JsonObject
from simulators.tiktok.scopes import ALL_SCOPES
from simulators.tiktok.state import SimState

REGION_PREFIX = "ROW_"
SCOPES = ALL_SCOPES
AUTH_CODE_OPERATION = "token_get"
REFRESH_OPERATION = "token_refresh"


def issue_auth_code(
    state: SimState,
    shop_ids: tuple[str, ...],
    code_text: str | None = None,
    scopes: tuple[str, ...] | None = None,
) -> AuthCode:
    """A single-use code for `shop_ids`; `code_text` picks its value (e.g. one a config holds)."""
    if code_text is not None and code_text in state.auth_codes:
        raise ValueError("that auth code is already issued")
    code = AuthCode(
        code=code_text or opaque_token(REGION_PREFIX),
        shop_ids=shop_ids,
        expires_at=state.clock.now() + state.config.auth_code_lifetime_seconds,
        scopes=scopes,
    )
    state.auth_codes[code.code] = code
    return code


def _check_app(state: SimState, query: dict[str, str], grant_type: str) -> None:
    if query.get("app_key") != state.config.app_key:
        raise gateway_error("Invalid credentials. Invalid `app_key` query parameter.")
    secret = query.get("app_secret", "")
    if not hmac.compare_digest(secret.encode(), state.config.app_secret.encode()):
        raise gateway_error("Invalid credentials. Invalid `app_secret` query parameter.")
    if query.get("grant_type") != grant_type:
        raise invalid_param(f"grant_type must be {grant_type}")


def _grant_json(state: SimState, grant: Grant) -> JsonObject:
    shop = state.shops[grant.shop_ids[0]]
    return {
        "access_token": grant.access_token,
        "access_token_expire_in": grant.access_expires_at,
        "refresh_token": grant.refresh_token,
        "refresh_token_expire_in": grant.refresh_expires_at,
        "open_id": grant.open_id,
        "seller_name": shop.seller_name,
        "seller_base_region": shop.region,
        "user_type": 0,
        "granted_scopes": list(grant.scopes),
    }


def _store(state: SimState, grant: Grant) -> None:
    state.grants_by_access[grant.access_token] = grant
    state.grants_by_refresh[grant.refresh_token] = grant


def exchange_code(state: SimState, query: dict[str, str]) -> JsonObject:
    _check_app(state, query, "authorized_code")
    code = state.auth_codes.get(query.get("auth_code", ""))
    if code is None or code.used or code.expires_at < state.clock.now():
        raise ApiError(INVALID_AUTH_CODE)
    code.used = True
    now = state.now()
    shop = state.shops[code.shop_ids[0]]
    grant = Grant(
        access_token=opaque_token(REGION_PREFIX),
        refresh_token=opaque_token(REGION_PREFIX),
        access_expires_at=now + state.config.access_token_lifetime_seconds,
        refresh_expires_at=now + state.config.refresh_token_lifetime_seconds,
        open_id=shop.open_id,
        shop_ids=code.shop_ids,
        scopes=SCOPES if code.scopes is None else code.scopes,
    )
    _store(state, grant)
    return _grant_json(state, grant)


def refresh(state: SimState, query: dict[str, str]) -> JsonObject:
    _check_app(state, query, "refresh_token")
    old = state.grants_by_refresh.get(query.get("refresh_token", ""))
    if old is None or old.revoked:
        raise ApiError(AUTH_RECORD_NOT_FOUND)
    if old.refresh_expires_at <= state.now():
        raise ApiError(REFRESH_TOKEN_EXPIRED)
    grant = Grant(
        access_token=opaque_token(REGION_PREFIX),
        refresh_token=old.refresh_token,
        access_expires_at=state.now() + state.config.access_token_lifetime_seconds,
        refresh_expires_at=old.refresh_expires_at,
        open_id=old.open_id,
        shop_ids=old.shop_ids,
        scopes=old.scopes,
    )
    _store(state, grant)
    return _grant_json(state, grant)


async def handle_token(request: web.Request, state: SimState, *, refreshing: bool) -> web.Response:
    """GET on the auth host. Failures are HTTP 200 with a non-zero ``code``."""
    operation = REFRESH_OPERATION if refreshing else AUTH_CODE_OPERATION
    now = state.clock.now()
    if request.method != "GET":
        return failure(ApiError(INVALID_METHOD), now=now, operation=operation)
    query = {key: request.query.getone(key) for key in request.query}
    try:
        data = refresh(state, query) if refreshing else exchange_code(state, query)
    except ApiError as error:
        error.status = HTTP_OK
        return failure(error, now=now, operation=operation)
    return success(data, now=now, operation=operation)


def authorized_shops(ctx: RequestContext) -> JsonObject:
    """Get Authorized Shops: each shop with the ``cipher`` shop-scoped calls need."""
    grant = ctx.grant
    shop_ids = grant.shop_ids if grant else ()
    shops = [ctx.state.shops[shop_id] for shop_id in shop_ids]
    return {
        "shops": [
            {
                "id": shop.shop_id,
                "name": shop.name,
                "region": shop.region,
                "seller_type": shop.seller_type,
                "cipher": shop.cipher,
                "code": shop.code,
            }
            for shop in shops
        ]
    }


def active_shops(ctx: RequestContext) -> JsonObject:
    grant = ctx.grant
    shop_ids = grant.shop_ids if grant else ()
    return {"shops": [{"id": sid, "region": ctx.state.shops[sid].region} for sid in shop_ids]}
