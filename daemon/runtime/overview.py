"""The operator's view, gathered once from the ledger and shaped for every reader: the
`status`, `products` and `orders` commands (text and --json) and the status page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from daemon.domain import OrderPhase, ProductStatus
from daemon.ledger import Ledger, aftersales, orders, retry, returns
from daemon.ledger import order_flow as flow
from daemon.ledger import overview as read
from daemon.ledger.aftersales import CancellationRow, ShipmentRow
from daemon.ledger.orders import OrderRecord
from daemon.ledger.overview import JobFacts, OrderEvent, ProductLine, ShopFacts
from daemon.ledger.retry import RetryEntry
from daemon.ledger.returns import ReturnRow

# Products an operator has to act on: the page and `status` list these with their reasons.
PROBLEM_STATUSES = (
    ProductStatus.FAILED_TO_SYNC,
    ProductStatus.FAILED_REVIEW,
    ProductStatus.UNMAPPED,
)


@dataclass(frozen=True)
class ShopOverview:
    facts: ShopFacts
    jobs: list[JobFacts]
    products: dict[ProductStatus, int]
    orders: dict[OrderPhase, int]
    retry_waiting: int
    retry_parked: int
    last_order_import: datetime | None
    resyncs_pending: int
    in_ledger: bool = True  # False: the daemon has not started with this shop yet


@dataclass(frozen=True)
class PageData:
    """Everything the status page shows."""

    shops: list[ShopOverview]
    problems: list[ProductLine]
    blocked_orders: list[OrderRecord]
    recent_orders: list[OrderRecord]
    retry_queue: list[RetryEntry]


@dataclass(frozen=True)
class OrderHistory:
    order: OrderRecord
    seen_at: datetime | None
    items: list[tuple[str, str | None, int]]
    events: list[OrderEvent]
    shipments: list[ShipmentRow]
    cancellations: list[CancellationRow]
    returns: list[ReturnRow]
    retry: list[RetryEntry] = field(default_factory=list)


async def shop_overviews(
    ledger: Ledger, configured: Sequence[tuple[str, str]]
) -> list[ShopOverview]:
    """One overview per configured (shop name, store kind), in the config's order."""
    found: list[ShopOverview] = []
    async with ledger.read() as tx:
        known = {facts.id: facts for facts in await read.shops(tx)}
        for name, kind in configured:
            facts = known.get(name)
            if facts is None:
                facts = ShopFacts(name, kind, None, None, None, None)
                found.append(ShopOverview(facts, [], {}, {}, 0, 0, None, 0, in_ledger=False))
                continue
            waiting, parked = await read.retry_depth(tx, name)
            found.append(
                ShopOverview(
                    facts=facts,
                    jobs=await read.jobs(tx, name),
                    products=await read.product_counts(tx, name),
                    orders=await read.order_counts(tx, name),
                    retry_waiting=waiting,
                    retry_parked=parked,
                    last_order_import=await read.last_order_import(tx, name),
                    resyncs_pending=await read.pending_resyncs(tx, name),
                )
            )
    return found


async def page_data(
    ledger: Ledger, configured: Sequence[tuple[str, str]], *, limit: int = 50
) -> PageData:
    overviews = await shop_overviews(ledger, configured)
    names = {name for name, _ in configured}
    async with ledger.read() as tx:
        problems = await read.product_lines(tx, None, statuses=PROBLEM_STATUSES, limit=limit)
        listed = await flow.orders_for_report(tx, None, limit=limit)
        queue = await retry.list_entries(tx)
    listed = [order for order in listed if order.shop_id in names]
    return PageData(
        shops=overviews,
        problems=[line for line in problems if line.shop_id in names],
        blocked_orders=[order for order in listed if order.phase is OrderPhase.BLOCKED],
        recent_orders=sorted(
            (order for order in listed if order.phase is not OrderPhase.BLOCKED),
            key=lambda order: order.tiktok_update_time,
            reverse=True,
        )[:20],
        retry_queue=[entry for entry in queue if entry.shop_id in names][:limit],
    )


async def order_history(ledger: Ledger, order_id: str) -> OrderHistory | None:
    """One order by its TikTok order id or (failing that) its store order number."""
    async with ledger.read() as tx:
        order = await orders.get_order(tx, order_id) or await read.order_by_store_number(
            tx, order_id
        )
        if order is None:
            return None
        tiktok_id = order.tiktok_order_id
        queue = await retry.list_entries(tx, order.shop_id)
        return OrderHistory(
            order=order,
            seen_at=await read.order_seen_at(tx, tiktok_id),
            items=await read.order_items(tx, tiktok_id),
            events=await read.order_events(tx, tiktok_id),
            shipments=await aftersales.shipments_of_order(tx, tiktok_id),
            cancellations=await aftersales.cancellations_of_order(tx, tiktok_id),
            returns=await returns.returns_of_order(tx, tiktok_id),
            retry=[entry for entry in queue if entry.entity_id == tiktok_id],
        )


def when(moment: datetime | None, now: datetime | None = None) -> str:
    """A time as an operator reads it: UTC to the second, and how long ago or ahead."""
    if moment is None:
        return "never"
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if now is None:
        return text
    seconds = int((now - moment).total_seconds())
    return f"{text} ({_span(abs(seconds))} {'ago' if seconds >= 0 else 'from now'})"


def _span(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


# JSON shapes (`--json`): plain values, ISO-8601 times, enum values as their text.


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def shop_json(shop: ShopOverview) -> dict[str, Any]:
    facts = shop.facts
    return {
        "shop": facts.id,
        "store": facts.store_kind,
        "started": shop.in_ledger,
        "halted": facts.halted_reason is not None,
        "halted_reason": facts.halted_reason,
        "tiktok_shop_id": facts.tiktok_shop_id,
        "seller_name": facts.seller_name,
        "authorization_expires_at": iso(facts.authorization_expires_at),
        "jobs": {
            job.job: {
                "last_outcome": str(job.last_outcome),
                "last_run_started_at": iso(job.last_started),
                "last_success_at": iso(job.last_success),
                "last_failure_at": iso(job.last_failure),
                "last_failure_reason": job.last_error,
            }
            for job in shop.jobs
        },
        "products": {str(status): count for status, count in sorted(shop.products.items())},
        "orders": {str(phase): count for phase, count in sorted(shop.orders.items())},
        "retry_queue": {"waiting": shop.retry_waiting, "parked": shop.retry_parked},
        "last_order_import_at": iso(shop.last_order_import),
        "resyncs_pending": shop.resyncs_pending,
    }


def product_json(line: ProductLine) -> dict[str, Any]:
    return {
        "shop": line.shop_id,
        "product_id": line.store_product_id,
        "title": line.title,
        "seller_skus": list(line.seller_skus),
        "tiktok_product_id": line.tiktok_product_id,
        "status": str(line.status),
        "reason": line.reason,
        "updated_at": iso(line.updated_at),
        "resync_requested": line.resync_requested,
    }


def order_json(order: OrderRecord) -> dict[str, Any]:
    return {
        "shop": order.shop_id,
        "tiktok_order_id": order.tiktok_order_id,
        "store_order_id": order.store_order_id,
        "phase": str(order.phase),
        "tiktok_status": order.tiktok_status,
        "reason": order.reason,
    }


def history_json(history: OrderHistory) -> dict[str, Any]:
    return {
        **order_json(history.order),
        "seen_at": iso(history.seen_at),
        "items": [
            {"tiktok_sku_id": sku, "seller_sku": seller, "quantity": quantity}
            for sku, seller, quantity in history.items
        ],
        "history": [
            {
                "at": iso(event.at),
                "job": event.job,
                "outcome": str(event.outcome),
                "field": event.field,
                "reason": event.reason,
            }
            for event in history.events
        ],
        "shipments": [
            {
                "fulfillment": row.store_fulfillment_id,
                "carrier": row.carrier,
                "shipping_provider": row.shipping_provider,
                "tracking_number": row.tracking_number,
                "status": row.status,
                "reason": row.reason,
            }
            for row in history.shipments
        ],
        "cancellations": [
            {
                "origin": row.origin,
                "role": row.role,
                "status": row.status,
                "reason": row.reason,
                "refund": None if row.refund_amount is None else str(row.refund_amount),
                "refund_currency": row.refund_currency,
            }
            for row in history.cancellations
        ],
        "returns": [
            {"return_id": row.tiktok_return_id, "type": row.return_type, "status": row.status}
            for row in history.returns
        ],
        "retry_queue": [
            {"id": entry.id, "job": entry.job, "attempts": entry.attempts, "parked": entry.parked}
            for entry in history.retry
        ],
    }
