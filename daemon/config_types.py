"""Value types every part of the configuration uses: durations, secret references and the
frozen, strict section base. Connectors build their own settings models from these (they may
not import `daemon.settings`, which assembles the whole file)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, SecretStr

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> timedelta:
    """Read ``"90s"``, ``"5m"``, ``"1h"``, ``"250ms"`` or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    if isinstance(value, str) and (match := _DURATION.match(value)):
        return timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2]])
    raise ValueError(f"expected a duration such as '90s', '5m' or '1h', got {value!r}")


def positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be longer than zero")
    return value


Duration = Annotated[timedelta, BeforeValidator(parse_duration), AfterValidator(positive)]


#: Credentials named while `deferred_credentials` is active and no directory is set: listed
#: instead of read (``check-config`` outside systemd).
_DEFERRED: ContextVar[list[str] | None] = ContextVar("deferred_credentials", default=None)
SECRET_SCHEMES = ("env", "file", "credential")


@contextmanager
def deferred_credentials() -> Iterator[list[str]]:
    """Inside: a ``credential:NAME`` with no ``$CREDENTIALS_DIRECTORY`` is noted in the list
    yielded (and stands in as a placeholder) instead of being a config problem."""
    names: list[str] = []
    token = _DEFERRED.set(names)
    try:
        yield names
    finally:
        _DEFERRED.reset(token)


def resolve_secret(value: object) -> SecretStr:
    """Turn a secret reference (``env:``, ``file:``, ``credential:`` or literal) into its value."""
    if isinstance(value, SecretStr):
        return value
    if not isinstance(value, str):
        raise ValueError(  # noqa: TRY004 pydantic reports only ValueError as a config problem
            "expected a string: a literal, 'env:NAME', 'file:/path' or 'credential:NAME'"
        )
    scheme, _, rest = value.partition(":")
    if scheme == "env":
        if rest not in os.environ:
            raise ValueError(f"environment variable {rest!r} is not set")
        return SecretStr(os.environ[rest])
    if scheme == "file":
        return SecretStr(_read_secret_file(Path(rest)))
    if scheme == "credential":
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        deferred = _DEFERRED.get()
        if not directory and deferred is not None and rest:
            deferred.append(rest)
            return SecretStr(f"credential:{rest}")
        if not directory:
            raise ValueError(
                f"credential {rest!r} asked for but $CREDENTIALS_DIRECTORY is not set "
                "(use LoadCredential= in the systemd unit)"
            )
        return SecretStr(_read_secret_file(Path(directory) / rest))
    if not value:
        raise ValueError("must not be empty")
    return SecretStr(value)


def _read_secret_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"cannot read secret file {str(path)!r}: {exc.strerror}") from None
    if not text:
        raise ValueError(f"secret file {str(path)!r} is empty")
    return text


Secret = Annotated[SecretStr, BeforeValidator(resolve_secret)]


class Section(BaseModel):
    """A config table: unknown keys are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
