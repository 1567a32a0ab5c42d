"""`ttsync orders [ID] [--shop] [--json]`: every TikTok order beside the store order it became,
its phase and why it is blocked; with an ID (TikTok order id or store order number) that one
order's whole history: lines, each job's result, shipments, cancellations, returns."""

from __future__ import annotations

import argparse
import json
import sys

from daemon.commands import common
from daemon.commands.common import Command
from daemon.ledger import order_flow
from daemon.runtime.order_report import orders_report
from daemon.runtime.overview import OrderHistory, history_json, order_history, order_json, when
from daemon.settings import Settings

NAME = "orders"


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME,
        help="show imported, blocked and skipped orders, shipments, cancellations and returns; "
        "with an ID, one order's whole history",
    )
    parser.add_argument("id", nargs="?", help="a TikTok order id or a store order number")
    common.with_shop(parser)
    common.with_json(parser)
    return parser


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    shop = common.chosen_shop(settings, args.shop)
    async with common.existing_ledger(settings) as ledger:
        if args.id is not None:
            history = await order_history(ledger, args.id)
            if history is None or (shop is not None and history.order.shop_id != shop):
                sys.stderr.write(f"ttsync: no order {args.id} in the ledger\n")
                return common.EX_FAILED
            out = (
                json.dumps(history_json(history), indent=2) if args.json else history_text(history)
            )
        elif args.json:
            async with ledger.read() as tx:
                records = await order_flow.orders_for_report(tx, shop)
            out = json.dumps({"orders": [order_json(record) for record in records]}, indent=2)
        else:
            out = await orders_report(ledger, shop)
    sys.stdout.write(out.rstrip("\n") + "\n")
    return common.EX_OK


def history_text(history: OrderHistory) -> str:
    order = history.order
    lines = [
        f"TikTok order {order.tiktok_order_id} (shop {order.shop_id})",
        f"  store order:   {order.store_order_id or 'not created'}",
        f"  phase:         {order.phase}" + (f": {order.reason}" if order.reason else ""),
        f"  TikTok status: {order.tiktok_status}"
        + (
            f" (shown on the store order: {order.mirrored_status})" if order.mirrored_status else ""
        ),
        f"  first seen:    {when(history.seen_at)}",
    ]
    if order.store_cancelled_at is not None:
        lines.append(f"  cancelled in the store: {when(order.store_cancelled_at)}")
    if history.items:
        lines.append("  lines:")
        lines.extend(
            f"    {quantity} x TikTok SKU {sku} (seller SKU {seller or '-'})"
            for sku, seller, quantity in history.items
        )
    lines.append("  history:")
    if not history.events:
        lines.append("    no job result recorded (older runs are pruned)")
    for event in history.events:
        detail = ": ".join(part for part in (event.field, event.reason) if part)
        lines.append(
            f"    {when(event.at)}  {event.job:<14} {event.outcome}"
            + (f"  {detail}" if detail else "")
        )
    for row in history.shipments:
        provider = f" -> {row.shipping_provider}" if row.shipping_provider else ""
        lines.append(
            f"  shipment {row.store_fulfillment_id}: {row.carrier or '(no carrier)'}{provider} "
            f"{row.tracking_number}  {row.status}" + (f"  {row.reason}" if row.reason else "")
        )
    for cancel in history.cancellations:
        refund = (
            f"  refund {cancel.refund_amount} {cancel.refund_currency}"
            if cancel.refund_amount
            else ""
        )
        lines.append(
            f"  cancellation from {cancel.origin} ({cancel.role or '?'}): {cancel.status}{refund}"
            + (f"  {cancel.reason}" if cancel.reason else "")
        )
    lines.extend(
        f"  return {row.tiktok_return_id}: {row.return_type} {row.status}"
        for row in history.returns
    )
    lines.extend(
        f"  retry queue #{entry.id} ({entry.job}): {entry.attempts} attempt(s)"
        + (", parked" if entry.parked else "")
        for entry in history.retry
    )
    return "\n".join(lines)


COMMAND = Command(_add, _run)
