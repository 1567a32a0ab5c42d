"""Shops and their TikTok tokens (`TokenRecord` is the domain's), sealed at rest by a
`TokenCipher` (see `daemon.ledger.sealing`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from daemon.domain.models import TokenRecord
from daemon.errors import LedgerError
from daemon.ledger.db import Tx
from daemon.ledger.sealing import SEALED_PREFIX, TokenCipher
from daemon.ledger.times import stamp


@dataclass(frozen=True)
class ShopRecord:
    id: str
    store_kind: str
    store_currency: str | None
    tiktok_shop_id: str | None
    tiktok_cipher: str | None
    tiktok_currency: str | None
    halted_reason: str | None


async def ensure_shop(tx: Tx, shop_id: str, store_kind: str, now: datetime) -> None:
    await tx.execute(
        "INSERT INTO shops (id, store_kind, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET store_kind = excluded.store_kind",
        (shop_id, store_kind, stamp(now), stamp(now)),
    )


async def get_shop(tx: Tx, shop_id: str) -> ShopRecord | None:
    row = await tx.fetchone(
        "SELECT id, store_kind, store_currency, tiktok_shop_id, tiktok_cipher, tiktok_currency, "
        "halted_reason FROM shops WHERE id = ?",
        (shop_id,),
    )
    return None if row is None else ShopRecord(*row)


async def set_tiktok_shop(
    tx: Tx, shop_id: str, *, tiktok_shop_id: str, cipher: str, now: datetime
) -> None:
    await tx.execute(
        "UPDATE shops SET tiktok_shop_id = ?, tiktok_cipher = ?, updated_at = ? WHERE id = ?",
        (tiktok_shop_id, cipher, stamp(now), shop_id),
    )


async def set_currencies(
    tx: Tx, shop_id: str, *, store: str | None, tiktok: str | None, now: datetime
) -> None:
    await tx.execute(
        "UPDATE shops SET store_currency = coalesce(?, store_currency), "
        "tiktok_currency = coalesce(?, tiktok_currency), updated_at = ? WHERE id = ?",
        (store, tiktok, stamp(now), shop_id),
    )


async def set_halted(tx: Tx, shop_id: str, reason: str | None, now: datetime) -> None:
    """Halt the shop's sync with a reason, or clear the halt with None."""
    await tx.execute(
        "UPDATE shops SET halted_reason = ?, updated_at = ? WHERE id = ?",
        (reason, stamp(now), shop_id),
    )


async def save_tokens(
    tx: Tx,
    shop_id: str,
    tokens: TokenRecord,
    now: datetime,
    *,
    cipher: TokenCipher,
    code_hash: str | None = None,
) -> None:
    """Keep the shop's tokens, sealed (and, with `code_hash`, that the code they came from is
    used); `LedgerError` when the shop is not registered."""
    if await tx.fetchone("SELECT 1 FROM shops WHERE id = ?", (shop_id,)) is None:
        raise LedgerError(f"shop {shop_id!r} is not in the ledger; register it before authorising")
    await tx.execute(
        "INSERT INTO tiktok_tokens (shop_id, access_token, access_expires_at, refresh_token, "
        "refresh_expires_at, open_id, seller_name, scopes, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shop_id) DO UPDATE SET "
        "access_token = excluded.access_token, access_expires_at = excluded.access_expires_at, "
        "refresh_token = excluded.refresh_token, "
        "refresh_expires_at = excluded.refresh_expires_at, open_id = excluded.open_id, "
        "seller_name = excluded.seller_name, scopes = excluded.scopes, "
        "updated_at = excluded.updated_at",
        (
            shop_id,
            cipher.seal(tokens.access_token),
            tokens.access_expires_at,
            cipher.seal(tokens.refresh_token),
            tokens.refresh_expires_at,
            tokens.open_id,
            tokens.seller_name,
            " ".join(tokens.scopes),
            stamp(now),
        ),
    )
    if code_hash is not None:
        await mark_code_used(tx, shop_id, code_hash, "exchanged", now)


async def code_used(tx: Tx, shop_id: str, code_hash: str) -> bool:
    """True when the auth code with this hash was exchanged or refused before."""
    row = await tx.fetchone(
        "SELECT 1 FROM used_auth_codes WHERE shop_id = ? AND code_hash = ?", (shop_id, code_hash)
    )
    return row is not None


async def mark_code_used(
    tx: Tx, shop_id: str, code_hash: str, outcome: Literal["exchanged", "refused"], now: datetime
) -> None:
    await tx.execute(
        "INSERT INTO used_auth_codes (shop_id, code_hash, outcome, used_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (shop_id, code_hash) DO NOTHING",
        (shop_id, code_hash, outcome, stamp(now)),
    )


async def load_tokens(tx: Tx, shop_id: str, *, cipher: TokenCipher) -> TokenRecord | None:
    row = await tx.fetchone(
        "SELECT access_token, access_expires_at, refresh_token, refresh_expires_at, open_id, "
        "seller_name, scopes FROM tiktok_tokens WHERE shop_id = ?",
        (shop_id,),
    )
    if row is None:
        return None
    return TokenRecord(
        access_token=cipher.open(str(row[0])),
        access_expires_at=int(row[1]),
        refresh_token=cipher.open(str(row[2])),
        refresh_expires_at=int(row[3]),
        open_id=row[4],
        seller_name=row[5],
        scopes=tuple(str(row[6]).split()),
    )


async def delete_tokens(tx: Tx, shop_id: str) -> None:
    await tx.execute("DELETE FROM tiktok_tokens WHERE shop_id = ?", (shop_id,))


async def reseal_tokens(tx: Tx, cipher: TokenCipher) -> int:
    """Seal every shop's tokens anew with the cipher's current key (plain ones included);
    the number of shops whose tokens were sealed. `LedgerError` when some cannot be opened."""
    rows = await tx.fetchall("SELECT shop_id, access_token, refresh_token FROM tiktok_tokens")
    for shop_id, access, refresh in rows:
        await tx.execute(
            "UPDATE tiktok_tokens SET access_token = ?, refresh_token = ? WHERE shop_id = ?",
            (cipher.seal(cipher.open(access)), cipher.seal(cipher.open(refresh)), shop_id),
        )
    return len(rows)


async def plain_tokens(tx: Tx) -> int:
    """How many shops' tokens are stored in plain text."""
    row = await tx.fetchone(
        "SELECT count(*) FROM tiktok_tokens WHERE access_token NOT LIKE ? "
        "OR refresh_token NOT LIKE ?",
        (f"{SEALED_PREFIX}%", f"{SEALED_PREFIX}%"),
    )
    return int(row[0]) if row else 0
