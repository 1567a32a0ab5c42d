"""The ledger-backed `TokenStore` the runtime hands each shop's marketplace connector."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from daemon import log
from daemon.domain.models import ShopBinding, TokenRecord
from daemon.ledger import Ledger
from daemon.ledger import shops as ledger_shops
from daemon.ledger.sealing import TokenCipher


@dataclass(frozen=True)
class LedgerTokenStore:
    """Tokens and the shop binding of one configured shop, in the ledger's ``shops`` and
    ``tiktok_tokens`` tables."""

    ledger: Ledger
    shop: str
    cipher: TokenCipher  # the one ``[ledger] token_key`` makes (`PLAINTEXT` without a key)

    async def load_tokens(self) -> TokenRecord | None:
        async with self.ledger.read() as tx:
            tokens = await ledger_shops.load_tokens(tx, self.shop, cipher=self.cipher)
        if tokens is not None:
            _scrub(tokens)
        return tokens

    async def save_tokens(
        self, tokens: TokenRecord, now: datetime, *, code_hash: str | None = None
    ) -> None:
        _scrub(tokens)
        async with self.ledger.transaction() as tx:
            await ledger_shops.save_tokens(
                tx, self.shop, tokens, now, cipher=self.cipher, code_hash=code_hash
            )

    async def code_used(self, code_hash: str) -> bool:
        async with self.ledger.read() as tx:
            return await ledger_shops.code_used(tx, self.shop, code_hash)

    async def code_refused(self, code_hash: str, now: datetime) -> None:
        async with self.ledger.transaction() as tx:
            await ledger_shops.mark_code_used(tx, self.shop, code_hash, "refused", now)

    async def load_binding(self) -> ShopBinding | None:
        async with self.ledger.read() as tx:
            record = await ledger_shops.get_shop(tx, self.shop)
        if record is None or not record.tiktok_shop_id or not record.tiktok_cipher:
            return None
        return ShopBinding(record.tiktok_shop_id, record.tiktok_cipher)

    async def save_binding(self, binding: ShopBinding, now: datetime) -> None:
        async with self.ledger.transaction() as tx:
            await ledger_shops.set_tiktok_shop(
                tx, self.shop, tiktok_shop_id=binding.shop_id, cipher=binding.cipher, now=now
            )


def _scrub(tokens: TokenRecord) -> None:
    """Tokens obtained at run time are secrets too: no log line may show them."""
    log.scrubber.add((tokens.access_token, tokens.refresh_token))
