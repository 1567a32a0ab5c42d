"""Tokens at rest: sealed with Fernet (AES-128-CBC with HMAC-SHA256, authenticated) from the
`cryptography` library, under ``[ledger] token_key``.

A sealed value is stored as ``fernet:<token>``; a value without that prefix is plain text (kept
before a key was set). `TokenCipher.seal` seals with the current key; `TokenCipher.open` opens
with the current key or any of ``previous_token_keys``, so that a rotated key still reads what
its predecessor sealed until `reseal_tokens` (run at every start) has sealed it anew.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from daemon.errors import LedgerError

SEALED_PREFIX = "fernet:"


class TokenCipher:
    """Seals and opens token values; without keys it keeps them as plain text."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        """`keys`: the current key first, then previous ones (Fernet keys, base64)."""
        self._fernet = MultiFernet([Fernet(key) for key in keys]) if keys else None

    @property
    def encrypting(self) -> bool:
        return self._fernet is not None

    def seal(self, value: str) -> str:
        if self._fernet is None:
            return value
        return SEALED_PREFIX + self._fernet.encrypt(value.encode()).decode()

    def open(self, value: str) -> str:
        if not value.startswith(SEALED_PREFIX):
            return value
        if self._fernet is None:
            raise LedgerError(
                "the ledger's tokens are encrypted but no [ledger] token_key is set; "
                "set it to the key they were encrypted with"
            )
        try:
            return self._fernet.decrypt(value.removeprefix(SEALED_PREFIX).encode()).decode()
        except InvalidToken:
            raise LedgerError(
                "the ledger's tokens were encrypted with a key that is neither [ledger] "
                "token_key nor one of previous_token_keys"
            ) from None


PLAINTEXT = TokenCipher()


def valid_key(key: str) -> str:
    """`key` when it is a Fernet key; a `ValueError` saying what one is otherwise."""
    try:
        Fernet(key)
    except ValueError:
        raise ValueError(
            "not a Fernet key (32 random bytes, URL-safe base64: 44 characters); make one "
            'with: python3 -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from None
    return key
