"""`ttsync resync [--shop NAME] PRODUCT_ID... | --all`: the next catalog run re-reads these
products from the store and decides each again under the current rules (category, validation,
publish or link); `--all` makes that run a full pass over the whole catalog."""

from __future__ import annotations

import argparse
import sys

from daemon.commands.common import EX_OK, EX_USAGE, Command, chosen_shop, existing_ledger
from daemon.runtime.levers import ask_resync
from daemon.settings import Settings

NAME = "resync"


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME, help="make the next catalog run re-read and re-decide products"
    )
    parser.add_argument(
        "--shop", metavar="NAME", help="the shop (needed when the config has several)"
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("ids", nargs="*", default=[], metavar="PRODUCT_ID", help="store ids")
    target.add_argument("--all", action="store_true", help="the whole catalog (a full pass)")
    return parser


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    shop = chosen_shop(settings, args.shop)
    if shop is None and len(settings.shops) > 1 and not args.all:
        sys.stderr.write("ttsync: resync: name the shop with --shop (the config has several)\n")
        return EX_USAGE
    if not args.all and not args.ids:
        sys.stderr.write("ttsync: resync: give product ids or --all\n")
        return EX_USAGE
    names = [shop] if shop else [s.name for s in settings.shops]
    async with existing_ledger(settings) as ledger:
        for name in names:
            sys.stdout.write(await ask_resync(ledger, name, args.ids, every=args.all) + "\n")
    return EX_OK


COMMAND = Command(_add, _run)
