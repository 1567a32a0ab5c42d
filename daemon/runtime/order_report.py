"""`ttsync orders`: where each TikTok order stands, why the blocked ones are blocked, which
shipments fell back to the default carrier or were not sent, and cancellations with refunds."""

from __future__ import annotations

from daemon.domain import OrderPhase
from daemon.ledger import Ledger, aftersales
from daemon.ledger import order_flow as flow
from daemon.ledger.orders import OrderRecord

_SHOWN = (OrderPhase.BLOCKED, OrderPhase.CREATING, OrderPhase.CREATED, OrderPhase.SKIPPED)


def _order_line(record: OrderRecord) -> str:
    store = f" -> store order {record.store_order_id}" if record.store_order_id else ""
    line = f"  {record.tiktok_order_id}  {record.phase:<9} {record.tiktok_status:<20}{store}"
    return line + (f"\n      {record.reason}" if record.reason else "")


async def orders_report(ledger: Ledger, shop_id: str | None = None) -> str:
    async with ledger.read() as tx:
        shops = [shop_id] if shop_id else await flow.shops_with_orders(tx)
        counts = {shop: await flow.phase_counts(tx, shop) for shop in shops}
        records = await flow.orders_for_report(tx, shop_id)
        shipments = await aftersales.shipments_for_report(tx, shop_id)
        cancellations = await aftersales.cancellations_for_report(tx, shop_id)
    lines = []
    for shop, by_phase in counts.items():
        summary = ", ".join(f"{phase} {count}" for phase, count in sorted(by_phase.items()))
        lines.append(f"Shop {shop}: {summary or 'no orders yet'}")
    attention = [record for record in records if record.phase in _SHOWN]
    if attention:
        lines.append("\nOrders (blocked first):")
        lines.extend(_order_line(record) for record in attention)
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
    return "\n".join(lines) + "\n"
