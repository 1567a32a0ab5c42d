"""`ttsync authorize --shop NAME --code CODE`: exchange a new TikTok auth code now.

The code is exchanged whatever tokens the ledger holds, the connection is checked (which also
binds the TikTok shop), and a halt set by a refused authorisation is lifted. A running daemon
picks the new tokens up at its next TikTok call. ``--code -`` reads the code from stdin, so it
stays out of the shell history and the process list.
"""

from __future__ import annotations

import sys
from contextlib import AsyncExitStack

from pydantic import SecretStr

from daemon.connectors.tiktok import TikTokClient, TikTokMarketplace
from daemon.errors import AuthError
from daemon.jobs.runner import AUTH_HALT
from daemon.ledger import Ledger, shops
from daemon.ledger.sealing import TokenCipher
from daemon.metrics import Metrics
from daemon.runtime.app import utc_now
from daemon.runtime.tokens import LedgerTokenStore
from daemon.settings import Settings, ShopSection


def read_code(given: str) -> str:
    """The code as given, or read from stdin for ``-``; `ValueError` when empty."""
    code = sys.stdin.readline().strip() if given == "-" else given.strip()
    if not code:
        raise ValueError("the auth code is empty")
    return code


EX_USAGE = 64


def find_shop(settings: Settings, name: str) -> ShopSection | None:
    """The configured shop called `name`; None (and a message naming the known ones) if none."""
    for shop in settings.shops:
        if shop.name == name:
            return shop
    known = ", ".join(shop.name for shop in settings.shops)
    sys.stderr.write(f"ttsync: no shop named {name!r} in the config (it has: {known})\n")
    return None


async def authorize_command(settings: Settings, shop_name: str, given_code: str) -> int:
    """`ttsync authorize`: an exit code (64 for an unknown shop or an empty code)."""
    shop = find_shop(settings, shop_name)
    if shop is None:
        return EX_USAGE
    try:
        code = read_code(given_code)
    except ValueError as exc:
        sys.stderr.write(f"ttsync: {exc}\n")
        return EX_USAGE
    return await authorize(settings, shop, code)


async def authorize(settings: Settings, shop: ShopSection, code: str) -> int:
    """Exchange `code` for `shop`; 0 when authorised, 1 when TikTok refused it."""
    now = utc_now()
    ledger = await Ledger.open(settings.ledger.path, busy_timeout=settings.ledger.busy_timeout)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(ledger.close)
        async with ledger.transaction() as tx:
            await shops.ensure_shop(tx, shop.name, shop.store.kind, now)
        client = TikTokClient.open(
            shop.tiktok,
            tokens=LedgerTokenStore(ledger, shop.name, TokenCipher(settings.ledger.token_keys())),
            shop_name=shop.name,
            metrics=Metrics(),
            refresh_margin=shop.tiktok.token_refresh_margin,
        )
        stack.push_async_callback(client.close)
        try:
            status = await client.authorize(SecretStr(code))
            found = await TikTokMarketplace(client, wanted_shop_id=shop.tiktok.shop_id).connect()
        except AuthError as exc:
            sys.stderr.write(f"ttsync: TikTok refused the authorisation of shop {shop.name!r}:\n")
            sys.stderr.write(f"  {exc}\n")
            return 1
        async with ledger.transaction() as tx:
            record = await shops.get_shop(tx, shop.name)
            lifted = record is not None and (record.halted_reason or "").startswith(AUTH_HALT)
            if lifted:
                await shops.set_halted(tx, shop.name, None, utc_now())
    seller = status.seller_name or "unnamed seller"
    sys.stdout.write(
        f"Shop {shop.name!r} is authorised: {seller}, TikTok shop {found.shop_id} "
        f"({found.region}); the authorisation runs until "
        f"{status.authorization_expires_at:%Y-%m-%d %H:%M} UTC.\n"
    )
    if lifted:
        sys.stdout.write("The authorisation halt is lifted; a running daemon resumes the shop.\n")
    return 0
