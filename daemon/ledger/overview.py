"""The operator's read model: what `ttsync status`, `products`, `orders` and the status page
show, read from the ledger alone, so the CLI and the page state the same facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from daemon.domain import EntityOutcome, OrderPhase, ProductStatus, RunOutcome
from daemon.ledger.db import Tx
from daemon.ledger.orders import ORDER_COLUMNS, OrderRecord, order_from_row
from daemon.ledger.times import parse, parse_optional

_BATCH = 500  # (shop, product) pairs per query: well within SQLite's bound parameters


@dataclass(frozen=True)
class ShopFacts:
    id: str
    store_kind: str
    halted_reason: str | None
    tiktok_shop_id: str | None
    seller_name: str | None
    # When the seller's authorisation (the refresh token) runs out; None before authorising.
    authorization_expires_at: datetime | None


@dataclass(frozen=True)
class JobFacts:
    job: str
    last_outcome: RunOutcome
    last_started: datetime
    last_success: datetime | None
    last_failure: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class ProductLine:
    shop_id: str
    store_product_id: str
    title: str
    seller_skus: tuple[str, ...]
    tiktok_product_id: str | None
    status: ProductStatus
    reason: str | None
    updated_at: datetime
    resync_requested: bool


@dataclass(frozen=True)
class OrderEvent:
    """One thing a job did with an order (from the per-entity results of its runs)."""

    at: datetime
    job: str
    outcome: EntityOutcome
    field: str | None
    reason: str | None


async def shops(tx: Tx, shop_id: str | None = None) -> list[ShopFacts]:
    rows = await tx.fetchall(
        "SELECT s.id, s.store_kind, s.halted_reason, s.tiktok_shop_id, t.seller_name, "
        "t.refresh_expires_at FROM shops s LEFT JOIN tiktok_tokens t ON t.shop_id = s.id "
        "WHERE ? IS NULL OR s.id = ? ORDER BY s.id",
        (shop_id, shop_id),
    )
    return [
        ShopFacts(
            id=str(row[0]),
            store_kind=str(row[1]),
            halted_reason=_text(row[2]),
            tiktok_shop_id=_text(row[3]),
            seller_name=_text(row[4]),
            authorization_expires_at=None
            if row[5] is None
            else datetime.fromtimestamp(int(row[5]), UTC),
        )
        for row in rows
    ]


async def jobs(tx: Tx, shop_id: str) -> list[JobFacts]:
    """Each job's latest run, last success and last failure (with its error)."""
    latest = await tx.fetchall(
        "SELECT job, outcome, max(started_at) FROM job_runs WHERE shop_id = ? GROUP BY job",
        (shop_id,),
    )
    # SQLite gives the bare `error` column from the row holding max(finished_at).
    ended = await tx.fetchall(
        "SELECT job, outcome, max(finished_at), error FROM job_runs "
        "WHERE shop_id = ? AND outcome IN (?, ?) GROUP BY job, outcome",
        (shop_id, RunOutcome.OK, RunOutcome.FAILED),
    )
    success = {str(r[0]): parse(str(r[2])) for r in ended if r[1] == RunOutcome.OK}
    failure = {str(r[0]): (parse(str(r[2])), _text(r[3])) for r in ended if r[1] != RunOutcome.OK}
    return [
        JobFacts(
            job=str(row[0]),
            last_outcome=RunOutcome(str(row[1])),
            last_started=parse(str(row[2])),
            last_success=success.get(str(row[0])),
            last_failure=failure.get(str(row[0]), (None, None))[0],
            last_error=failure.get(str(row[0]), (None, None))[1],
        )
        for row in sorted(latest, key=lambda r: str(r[0]))
    ]


async def product_counts(tx: Tx, shop_id: str) -> dict[ProductStatus, int]:
    rows = await tx.fetchall(
        "SELECT status, count(*) FROM products WHERE shop_id = ? GROUP BY status", (shop_id,)
    )
    return {ProductStatus(str(row[0])): int(row[1]) for row in rows}


async def order_counts(tx: Tx, shop_id: str) -> dict[OrderPhase, int]:
    rows = await tx.fetchall(
        "SELECT phase, count(*) FROM orders WHERE shop_id = ? GROUP BY phase", (shop_id,)
    )
    return {OrderPhase(str(row[0])): int(row[1]) for row in rows}


async def retry_depth(tx: Tx, shop_id: str) -> tuple[int, int]:
    """(waiting, parked) records in the shop's retry queue."""
    row = await tx.fetchone(
        "SELECT count(*) FILTER (WHERE parked = 0), count(*) FILTER (WHERE parked = 1) "
        "FROM retry_queue WHERE shop_id = ?",
        (shop_id,),
    )
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


async def last_order_import(tx: Tx, shop_id: str) -> datetime | None:
    """When the newest store order was created from a TikTok order."""
    row = await tx.fetchone(
        "SELECT max(coalesce(create_started_at, creating_since)) FROM orders "
        "WHERE shop_id = ? AND phase IN (?, ?)",
        (shop_id, OrderPhase.CREATED, OrderPhase.IMPORTED),
    )
    return None if row is None else parse_optional(_text(row[0]))


async def pending_resyncs(tx: Tx, shop_id: str) -> int:
    row = await tx.fetchone("SELECT count(*) FROM resync_requests WHERE shop_id = ?", (shop_id,))
    return 0 if row is None else int(row[0])


async def product_lines(
    tx: Tx,
    shop_id: str | None,
    *,
    statuses: Sequence[ProductStatus] = (),
    search: str | None = None,
    limit: int = 1000,
) -> list[ProductLine]:
    """Products with their seller SKUs, status and reason; failed ones first.

    `search` matches the title, the store or TikTok product id, or a seller SKU (any case).
    """
    marks = ", ".join("?" for _ in statuses) or "NULL"
    pattern = None if not search else f"%{_escape(search.lower())}%"
    rows = await tx.fetchall(
        "SELECT p.shop_id, p.store_product_id, p.title, p.tiktok_product_id, p.status, p.reason, "
        "p.updated_at, EXISTS (SELECT 1 FROM resync_requests r WHERE r.shop_id = p.shop_id "
        "AND r.store_product_id = p.store_product_id) "
        "FROM products p WHERE (? IS NULL OR p.shop_id = ?) "
        f"AND (? = 0 OR p.status IN ({marks})) "
        "AND (? IS NULL OR lower(p.title) LIKE ? ESCAPE '\\' "
        "OR lower(p.store_product_id) LIKE ? ESCAPE '\\' "
        "OR lower(coalesce(p.tiktok_product_id, '')) LIKE ? ESCAPE '\\' "
        "OR EXISTS (SELECT 1 FROM skus s WHERE s.shop_id = p.shop_id "
        "AND s.store_product_id = p.store_product_id AND lower(s.seller_sku) LIKE ? ESCAPE '\\')) "
        "ORDER BY CASE p.status WHEN 'failed_to_sync' THEN 0 WHEN 'failed_review' THEN 1 "
        "WHEN 'unmapped' THEN 2 ELSE 3 END, p.shop_id, p.updated_at DESC, p.store_product_id "
        "LIMIT ?",
        (
            shop_id,
            shop_id,
            len(statuses),
            *statuses,
            pattern,
            pattern,
            pattern,
            pattern,
            pattern,
            limit,
        ),
    )
    skus = await _seller_skus(tx, [(str(row[0]), str(row[1])) for row in rows])
    return [
        ProductLine(
            shop_id=str(row[0]),
            store_product_id=str(row[1]),
            title=str(row[2]),
            seller_skus=tuple(skus.get((str(row[0]), str(row[1])), ())),
            tiktok_product_id=_text(row[3]),
            status=ProductStatus(str(row[4])),
            reason=_text(row[5]),
            updated_at=parse(str(row[6])),
            resync_requested=bool(row[7]),
        )
        for row in rows
    ]


async def _seller_skus(tx: Tx, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """The seller SKUs of these (shop, store product id) pairs, each product's sorted."""
    found: dict[tuple[str, str], list[str]] = {}
    for start in range(0, len(keys), _BATCH):
        batch = keys[start : start + _BATCH]
        pairs = ", ".join("(?, ?)" for _ in batch)
        rows = await tx.fetchall(
            "SELECT shop_id, store_product_id, seller_sku FROM skus "
            f"WHERE (shop_id, store_product_id) IN (VALUES {pairs}) AND seller_sku IS NOT NULL "
            "ORDER BY seller_sku",
            [value for key in batch for value in key],
        )
        for row in rows:
            found.setdefault((str(row[0]), str(row[1])), []).append(str(row[2]))
    return found


async def order_events(tx: Tx, tiktok_order_id: str) -> list[OrderEvent]:
    """Every per-order result the jobs recorded for this order, oldest first."""
    rows = await tx.fetchall(
        "SELECT r.started_at, r.job, j.outcome, j.field, j.reason FROM job_results j "
        "JOIN job_runs r ON r.run_id = j.run_id WHERE j.entity_kind = 'order' "
        "AND j.entity_id = ? ORDER BY r.started_at, j.rowid",
        (tiktok_order_id,),
    )
    return [
        OrderEvent(parse(str(r[0])), str(r[1]), EntityOutcome(str(r[2])), _text(r[3]), _text(r[4]))
        for r in rows
    ]


async def order_items(tx: Tx, tiktok_order_id: str) -> list[tuple[str, str | None, int]]:
    """(TikTok SKU id, seller SKU, quantity) of each line of the order."""
    rows = await tx.fetchall(
        "SELECT tiktok_sku_id, seller_sku, quantity FROM order_skus WHERE tiktok_order_id = ? "
        "ORDER BY tiktok_sku_id",
        (tiktok_order_id,),
    )
    return [(str(r[0]), _text(r[1]), int(r[2])) for r in rows]


async def order_seen_at(tx: Tx, tiktok_order_id: str) -> datetime | None:
    row = await tx.fetchone(
        "SELECT created_at FROM orders WHERE tiktok_order_id = ?", (tiktok_order_id,)
    )
    return None if row is None else parse(str(row[0]))


async def order_by_store_number(tx: Tx, store_order_id: str) -> OrderRecord | None:
    row = await tx.fetchone(
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE store_order_id = ? LIMIT 1", (store_order_id,)
    )
    return None if row is None else order_from_row(row)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
