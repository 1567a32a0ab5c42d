"""`ttsync check-config`: everything `run` loads, checked without starting anything.

The settings (every key, every secret reference), each shop's carrier map, and the credentials:
read from ``--credentials-dir`` (or ``$CREDENTIALS_DIRECTORY`` under systemd); without either,
the ``credential:NAME`` references are listed as what the daemon will read at start. A secret
written in the file itself draws a warning, as does a credential file others may read.
"""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from daemon.config_types import SECRET_SCHEMES, deferred_credentials
from daemon.errors import ConfigError
from daemon.runtime.order_jobs import load_carriers
from daemon.settings import Settings, load_settings

EX_OK = 0
EX_USAGE = 64
EX_CONFIG = 78

KeyPath = tuple[str | int, ...]


def check_config(path: Path, credentials_dir: Path | None) -> int:
    """Check `path` as `run` would load it; print OK (and notes) or the problems. Exit code."""
    if credentials_dir is not None:
        if not credentials_dir.is_dir():
            sys.stderr.write(f"ttsync: --credentials-dir {credentials_dir} is not a directory\n")
            return EX_USAGE
        os.environ["CREDENTIALS_DIRECTORY"] = str(credentials_dir)  # this process only
    try:
        with deferred_credentials() as deferred:
            settings = load_settings(path)
        problems = list(_carrier_problems(settings))
    except ConfigError as exc:
        _print_problems(exc.source, exc.problems)
        return EX_CONFIG
    if problems:
        for source, found in problems:
            _print_problems(source, found)
        return EX_CONFIG
    shops = ", ".join(shop.name for shop in settings.shops)
    sys.stdout.write(f"OK: {path} ({len(settings.shops)} shop(s): {shops})\n")
    if deferred:
        names = ", ".join(sorted(set(deferred)))
        sys.stdout.write(
            "Credentials the daemon reads at start from $CREDENTIALS_DIRECTORY (systemd "
            f"LoadCredential=), not checked here: {names}\n"
            "  check them with: ttsync check-config --credentials-dir DIR\n"
        )
    for warning in _warnings(path, settings, credentials_dir):
        sys.stdout.write(f"warning: {warning}\n")
    return EX_OK


def _print_problems(source: str, problems: list[str]) -> None:
    sys.stderr.write(f"ttsync: invalid configuration in {source}:\n")
    for problem in problems:
        sys.stderr.write(f"  {problem}\n")


def _carrier_problems(settings: Settings) -> Iterator[tuple[str, list[str]]]:
    for index, shop in enumerate(settings.shops):
        try:
            load_carriers(shop.orders.carriers_file)
        except ConfigError as exc:
            key = f"shops[{index}].orders.carriers_file"
            yield exc.source, [f"{key} ({shop.name}): {problem}" for problem in exc.problems]


def _warnings(path: Path, settings: Settings, credentials_dir: Path | None) -> Iterator[str]:
    for index, shop in enumerate(settings.shops):
        for retired, hint in shop.store.retired_keys():
            yield f"shops[{index}].store.{retired} ({shop.name}): no longer used; {hint}"
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):  # read fine a moment ago
        return
    for key, _ in _secrets(settings, ()):
        written = _lookup(raw, key)
        if isinstance(written, str) and written.partition(":")[0] not in SECRET_SCHEMES:
            yield (
                f"{_dotted(key)}: a secret written in the config file; move it to a credential "
                'file and write "credential:NAME" (see docs/OPERATIONS.md)'
            )
        elif isinstance(written, str):
            yield from _loose_file(written, credentials_dir)


def _loose_file(reference: str, credentials_dir: Path | None) -> Iterator[str]:
    """A warning when the secret file of `reference` may be read by others than its owner:
    a ``file:`` one, or a credential in the `credentials_dir` given (under systemd, the copies
    in $CREDENTIALS_DIRECTORY are systemd's business)."""
    scheme, _, rest = reference.partition(":")
    if scheme == "file":
        secret = Path(rest)
    elif scheme == "credential" and credentials_dir is not None:
        secret = credentials_dir / rest
    else:
        return
    try:
        mode = secret.stat().st_mode
    except OSError:
        return  # unreadable files are problems load_settings already reported
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        yield f"{secret}: others than its owner may read it (mode {mode & 0o777:04o}); chmod 0600"


def _secrets(node: object, key: KeyPath) -> Iterator[tuple[KeyPath, SecretStr]]:
    if isinstance(node, SecretStr):
        yield key, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _secrets(getattr(node, name), (*key, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _secrets(item, (*key, index))


def _lookup(raw: object, key: KeyPath) -> object:
    for part in key:
        in_list = isinstance(part, int) and isinstance(raw, list) and part < len(raw)
        in_table = isinstance(part, str) and isinstance(raw, dict) and part in raw
        if not (in_list or in_table):
            return None
        raw = raw[part]  # type: ignore[index]  # checked just above
    return raw


def _dotted(key: KeyPath) -> str:
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
