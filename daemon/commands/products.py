"""`ttsync products [--shop] [--status S] [--search TEXT] [--json]`: each product's title,
seller SKUs, TikTok id, status and field-level reason, failed and unmapped ones first."""

from __future__ import annotations

import argparse
import json
import sys

from daemon.commands import common
from daemon.commands.common import Command
from daemon.domain import ProductStatus
from daemon.ledger import overview
from daemon.ledger.overview import ProductLine
from daemon.runtime.overview import product_json
from daemon.settings import Settings

NAME = "products"


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME, help="list products with their TikTok status and the reason of each failure"
    )
    common.with_shop(parser)
    parser.add_argument(
        "--status",
        action="append",
        choices=[str(status) for status in ProductStatus],
        metavar="STATUS",
        help="only products in this status (repeatable): "
        + ", ".join(str(status) for status in ProductStatus),
    )
    parser.add_argument(
        "--search", metavar="TEXT", help="title, store or TikTok product id, or seller SKU"
    )
    parser.add_argument("--limit", type=int, default=1000, help="at most this many (1000)")
    common.with_json(parser)
    return parser


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    shop = common.chosen_shop(settings, args.shop)
    statuses = [ProductStatus(status) for status in args.status or ()]
    names = {s.name for s in settings.shops}
    async with common.existing_ledger(settings) as ledger, ledger.read() as tx:
        lines = await overview.product_lines(
            tx, shop, statuses=statuses, search=args.search, limit=args.limit
        )
    lines = [line for line in lines if line.shop_id in names]
    if args.json:
        sys.stdout.write(json.dumps({"products": [product_json(p) for p in lines]}, indent=2))
        sys.stdout.write("\n")
    elif not lines:
        sys.stdout.write("No product matches.\n")
    else:
        sys.stdout.write("".join(_line(line) for line in lines))
    return common.EX_OK


def _line(line: ProductLine) -> str:
    skus = ", ".join(line.seller_skus) or "(no seller SKU)"
    tiktok = line.tiktok_product_id or "-"
    resync = "  [resync asked]" if line.resync_requested else ""
    text = (
        f"{line.shop_id:<10} {line.store_product_id:<16} {line.status!s:<15} "
        f"TikTok {tiktok:<20} {line.title}\n{'':<11}SKUs: {skus}{resync}\n"
    )
    return text + (f"{'':<11}{line.reason}\n" if line.reason else "")


COMMAND = Command(_add, _run)
