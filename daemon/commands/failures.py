"""`ttsync failures [--shop]` lists the retry queue; `ttsync retry [--shop] ID|--all` makes
parked or waiting records due now."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from daemon.commands.common import (
    EX_FAILED,
    EX_OK,
    Command,
    chosen_shop,
    existing_ledger,
    with_shop,
)
from daemon.ledger import retry
from daemon.settings import Settings

NAME = "failures"
RETRY_NAME = "retry"


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = commands.add_parser(NAME, help="list records waiting in the retry queue")
    with_shop(parser)
    return parser


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    shop = chosen_shop(settings, args.shop)
    async with existing_ledger(settings) as ledger, ledger.read() as tx:
        entries = await retry.list_entries(tx, shop)
    if not entries:
        sys.stdout.write("The retry queue is empty.\n")
        return EX_OK
    sys.stdout.write(f"{'ID':>6}  {'SHOP':<12} {'JOB':<14} {'ENTITY':<28} TRIES  NEXT / STATE\n")
    for entry in entries:
        state = "parked" if entry.parked else entry.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S")
        entity = f"{entry.entity_kind}:{entry.entity_id}"
        sys.stdout.write(
            f"{entry.id:>6}  {entry.shop_id:<12} {entry.job:<14} {entity:<28} "
            f"{entry.attempts:>5}  {state}\n        {entry.last_error}\n"
        )
    return EX_OK


def _add_retry(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    parser = commands.add_parser(RETRY_NAME, help="make parked or waiting records due now")
    with_shop(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("id", type=int, nargs="?", help="the queue entry id (see `failures`)")
    target.add_argument("--all", action="store_true", help="every entry (of --shop)")
    return parser


async def _retry(args: argparse.Namespace, settings: Settings) -> int:
    shop = chosen_shop(settings, args.shop)
    entry_id = None if args.all else args.id
    async with existing_ledger(settings) as ledger, ledger.transaction() as tx:
        changed = await retry.requeue(tx, entry_id, datetime.now(UTC), shop)
    if entry_id is not None and changed == 0:
        where = f" in shop {shop}" if shop else ""
        sys.stderr.write(f"ttsync: no retry-queue entry with id {entry_id}{where}\n")
        return EX_FAILED
    sys.stdout.write(f"Re-queued {changed} record(s); the next run of their job picks them up.\n")
    return EX_OK


COMMAND = Command(_add, _run)
RETRY = Command(_add_retry, _retry)
