"""`ttsync orders`: where each TikTok order stands, why the blocked ones are blocked, which
shipments fell back to the default carrier or were not sent, cancellations with refunds, and
returns per order (recorded and shown, never mirrored into the store)."""

from __future__ import annotations

from daemon.ledger import Ledger, aftersales, returns
from daemon.ledger import order_flow as flow
from daemon.ledger.orders import OrderRecord
from daemon.ledger.returns import ReturnRow


def _order_line(record: OrderRecord, *, with_shop: bool = False) -> str:
    store = f" -> store order {record.store_order_id}" if record.store_order_id else ""
    shop = f"{record.shop_id:<10} " if with_shop else ""
    line = f"  {shop}{record.tiktok_order_id}  {record.phase:<9} {record.tiktok_status:<20}{store}"
    return line + (f"\n      {record.reason}" if record.reason else "")


def _return_line(row: ReturnRow) -> str:
    refund = f"  refund {row.refund_amount} {row.refund_currency}" if row.refund_amount else ""
    units = f"  {row.units} unit(s)" if row.units else ""
    line = f"    return {row.tiktok_return_id}  {row.return_type}  {row.status}{refund}{units}"
    return line + (f"\n      {row.reason}" if row.reason else "")


def _returns_section(rows: list[ReturnRow]) -> list[str]:
    if not rows:
        return []
    lines = ["\nReturns and refunds after delivery (recorded, not mirrored into the store):"]
    order_id = None
    for row in rows:
        if row.tiktok_order_id != order_id:
            order_id = row.tiktok_order_id
            lines.append(f"  order {order_id}")
        lines.append(_return_line(row))
    return lines


async def orders_report(ledger: Ledger, shop_id: str | None = None, *, limit: int = 200) -> str:
    """Counts per shop, then the orders (blocked and unfinished first, then the newest) with
    the store order each became, then shipments, cancellations and returns."""
    async with ledger.read() as tx:
        shops = [shop_id] if shop_id else await flow.shops_with_orders(tx)
        counts = {shop: await flow.phase_counts(tx, shop) for shop in shops}
        records = await flow.orders_for_report(tx, shop_id, limit)
        shipments = await aftersales.shipments_for_report(tx, shop_id)
        cancellations = await aftersales.cancellations_for_report(tx, shop_id)
        returned = await returns.returns_for_report(tx, shop_id)
    lines = []
    for shop, by_phase in counts.items():
        summary = ", ".join(f"{phase} {count}" for phase, count in sorted(by_phase.items()))
        lines.append(f"Shop {shop}: {summary or 'no orders yet'}")
    if records:
        lines.append("\nOrders, TikTok order id -> store order (blocked first, then the newest):")
        lines.extend(_order_line(record, with_shop=len(shops) > 1) for record in records)
    if shipments:
        lines.append("\nShipments that fell back to the default carrier or were not sent:")
        lines.extend(
            f"  order {row.tiktok_order_id}  fulfilment {row.store_fulfillment_id}  "
            f"{row.status}  {row.carrier or '(no carrier)'} {row.tracking_number}"
            + (f" -> {row.shipping_provider}" if row.shipping_provider else "")
            + (f"\n      {row.reason}" if row.reason else "")
            for row in shipments
        )
    if cancellations:
        lines.append("\nCancellations and refunds:")
        lines.extend(
            f"  order {row.tiktok_order_id}  from {row.origin} ({row.role or '?'})  {row.status}"
            + (f"  refund {row.refund_amount} {row.refund_currency}" if row.refund_amount else "")
            + (f"  {row.units} unit(s)" if row.units else "")
            + (f"\n      {row.reason}" if row.reason else "")
            for row in cancellations
        )
    lines.extend(_returns_section(returned))
    return "\n".join(lines) + "\n"
