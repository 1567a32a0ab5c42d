"""`ttsync status [--shop NAME] [--json]`: per shop, halted or not and why, the authorisation's
expiry, each job's last success and last failure with its reason, products by status, orders
by phase, the retry queue and the last order import."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from daemon.commands import common
from daemon.commands.common import Command
from daemon.runtime.overview import ShopOverview, shop_json, shop_overviews, when
from daemon.settings import Settings

NAME = "status"


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = commands.add_parser(NAME, help="show each shop's state, jobs, products and orders")
    common.with_shop(parser)
    common.with_json(parser)
    return parser


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    shop = common.chosen_shop(settings, args.shop)
    async with common.existing_ledger(settings) as ledger:
        overviews = await shop_overviews(ledger, common.configured(settings, shop))
    if args.json:
        sys.stdout.write(json.dumps({"shops": [shop_json(s) for s in overviews]}, indent=2) + "\n")
    else:
        now = datetime.now(UTC)
        sys.stdout.write("\n\n".join(status_text(s, now) for s in overviews) + "\n")
    return common.EX_OK


def status_text(shop: ShopOverview, now: datetime) -> str:
    facts = shop.facts
    lines = [f"Shop {facts.id} ({facts.store_kind})"]
    if not shop.in_ledger:
        lines.append("  not started yet: the daemon has not run with this shop")
        return "\n".join(lines)
    state = f"HALTED: {facts.halted_reason}" if facts.halted_reason else "syncing"
    lines.append(f"  state:          {state}")
    seller = f" ({facts.seller_name})" if facts.seller_name else ""
    lines.append(f"  TikTok shop:    {facts.tiktok_shop_id or 'not connected yet'}{seller}")
    lines.append(f"  authorisation:  expires {when(facts.authorization_expires_at, now)}")
    products = ", ".join(f"{status} {count}" for status, count in sorted(shop.products.items()))
    lines.append(f"  products:       {products or 'none yet'}")
    if shop.resyncs_pending:
        lines.append(
            f"  resync asked:   {shop.resyncs_pending} product(s), at the next catalog run"
        )
    orders = ", ".join(f"{phase} {count}" for phase, count in sorted(shop.orders.items()))
    lines.append(f"  orders:         {orders or 'none yet'}")
    lines.append(f"  last import:    {when(shop.last_order_import, now)}")
    lines.append(
        f"  retry queue:    {shop.retry_waiting} waiting, {shop.retry_parked} parked"
        + (" (see `ttsync failures`)" if shop.retry_waiting + shop.retry_parked else "")
    )
    lines.append("  jobs:")
    if not shop.jobs:
        lines.append("    none has run yet")
    for job in shop.jobs:
        success = when(job.last_success, now)
        lines.append(f"    {job.job:<14} last run {job.last_outcome}; last success {success}")
        if job.last_failure is not None:
            lines.append(
                f"    {'':<14} last failure {when(job.last_failure, now)}: {job.last_error}"
            )
    return "\n".join(lines)


COMMAND = Command(_add, _run)
