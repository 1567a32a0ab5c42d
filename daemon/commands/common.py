"""What the operator's commands share: the ledger opened only if it exists, `--shop` checked
against the config, and times written the same way everywhere."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from daemon.ledger import Ledger
from daemon.settings import Settings

EX_OK = 0
EX_FAILED = 1
EX_USAGE = 64


@dataclass(frozen=True)
class Command:
    """A subcommand: how its arguments are declared and what it does with them."""

    add: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace, Settings], Awaitable[int]]


class UnknownShopError(Exception):
    """`--shop` names a shop the configuration does not have."""


def with_shop(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shop", metavar="NAME", help="only this shop (its name in the config)")


def with_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def chosen_shop(settings: Settings, name: str | None) -> str | None:
    """The shop `--shop` names (None: every shop); `UnknownShopError` when there is none."""
    names = [shop.name for shop in settings.shops]
    if name is not None and name not in names:
        raise UnknownShopError(
            f"no shop named {name!r} in the configuration (shops: {', '.join(names)})"
        )
    return name


def only_shop(settings: Settings, name: str) -> Settings:
    """The settings with one shop left (`run --once --shop NAME`)."""
    chosen_shop(settings, name)
    return settings.model_copy(update={"shops": [s for s in settings.shops if s.name == name]})


def configured(settings: Settings, shop: str | None) -> list[tuple[str, str]]:
    """(name, store kind) of the shops a command looks at."""
    return [(s.name, s.store.kind) for s in settings.shops if shop is None or s.name == shop]


@asynccontextmanager
async def existing_ledger(settings: Settings) -> AsyncIterator[Ledger]:
    """The configured ledger, which must exist: an operator's command never creates one."""
    ledger = await Ledger.open_existing(
        settings.ledger.path, busy_timeout=settings.ledger.busy_timeout
    )
    try:
        yield ledger
    finally:
        await ledger.close()
