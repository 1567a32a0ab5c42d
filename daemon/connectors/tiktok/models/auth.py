"""Token grants from the auth host and the shops an authorisation covers."""

from __future__ import annotations

from pydantic import Field, SecretStr

from daemon.connectors.tiktok.models.common import WireModel


class TokenGrant(WireModel):
    """``data`` of ``/api/v2/token/get`` and ``/api/v2/token/refresh``.

    Both ``*_expire_in`` fields are absolute Unix timestamps, not durations. Tokens stay
    `SecretStr` so that no repr or log line can show them.
    """

    access_token: SecretStr
    access_token_expire_in: int
    refresh_token: SecretStr
    refresh_token_expire_in: int
    open_id: str | None = None
    seller_name: str | None = None
    seller_base_region: str | None = None
    user_type: int | None = None
    granted_scopes: list[str] = Field(default_factory=list)


class AuthorizedShop(WireModel):
    """One shop of ``GET /authorization/202309/shops``; `cipher` goes in ``shop_cipher``."""

    id: str
    name: str = ""
    region: str = ""
    seller_type: str = ""
    cipher: str
    code: str = ""


class AuthorizedShopsData(WireModel):
    shops: list[AuthorizedShop] = Field(default_factory=list)
