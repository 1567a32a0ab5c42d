from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from daemon.domain import EntityOutcome, OrderPhase, ProductStatus, RunOutcome
from daemon.domain.models import StockLevel
from daemon.domain.retry import RetryPolicy
from daemon.errors import LedgerError
from daemon.ledger import (
    Ledger,
    Migration,
    bundled_migrations,
    cursors,
    orders,
    products,
    pushed,
    retry,
    runs,
    shops,
    stock,
)
from daemon.ledger.runs import EntityResult
from daemon.ledger.sealing import PLAINTEXT


async def test_pragmas_and_schema_version(ledger: Ledger) -> None:
    async with ledger.read() as tx:
        assert (await tx.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await tx.fetchone("PRAGMA synchronous"))[0] == 2  # FULL
        assert (await tx.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await tx.fetchone("PRAGMA busy_timeout"))[0] == 5000
    assert await ledger.schema_version() == len(bundled_migrations())


async def test_reopening_applies_nothing_twice(tmp_path: Path, clock) -> None:
    path = tmp_path / "l.sqlite3"
    first = await Ledger.open(path)
    async with first.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())
    await first.close()
    again = await Ledger.open(path)
    async with again.read() as tx:
        assert (await shops.get_shop(tx, "uk")) is not None
    await again.close()


async def test_new_migration_applies_on_open(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    await (await Ledger.open(path)).close()
    extra = [*bundled_migrations()]
    extra.append(Migration(len(extra) + 1, "extra", "CREATE TABLE extra (x INTEGER) STRICT;"))
    upgraded = await Ledger.open(path, migrations=extra)
    assert await upgraded.schema_version() == len(extra)
    await upgraded.close()


async def test_failed_migration_leaves_schema_untouched(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    await (await Ledger.open(path)).close()
    broken = [*bundled_migrations()]
    version = len(broken) + 1
    broken.append(Migration(version, "broken", "CREATE TABLE half (x INTEGER);\nNOT SQL;"))
    with pytest.raises(LedgerError, match="broken failed"):
        await Ledger.open(path, migrations=broken)
    reopened = await Ledger.open(path)
    assert await reopened.schema_version() == version - 1
    async with reopened.read() as tx:
        assert await tx.fetchone("SELECT name FROM sqlite_master WHERE name = 'half'") is None
    await reopened.close()


async def test_newer_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(LedgerError, match="schema version 99, newer"):
        await Ledger.open(path)


async def test_garbage_file_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LedgerError, match="not usable"):
        await Ledger.open(path)


async def test_transaction_rolls_back_on_error(ledger: Ledger, clock) -> None:
    async def write_then_fail() -> None:
        async with ledger.transaction() as tx:
            await shops.ensure_shop(tx, "uk", "shopify", clock())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        await write_then_fail()
    async with ledger.read() as tx:
        assert await shops.get_shop(tx, "uk") is None


async def test_concurrent_transactions_do_not_interleave(ledger: Ledger, clock) -> None:
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())

    async def bump(n: int) -> None:
        async with ledger.transaction() as tx:
            value = await cursors.get_cursor(tx, "uk", "counter")
            await asyncio.sleep(0)
            await cursors.set_cursor(tx, "uk", "counter", str(int(value or 0) + n), clock())

    await asyncio.gather(*(bump(1) for _ in range(50)))
    async with ledger.read() as tx:
        assert await cursors.get_cursor(tx, "uk", "counter") == "50"


async def test_foreign_keys_are_enforced(ledger: Ledger, clock) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with ledger.transaction() as tx:
            await cursors.set_cursor(tx, "no-such-shop", "orders", "1", clock())


async def test_tokens_round_trip(ledger: Ledger, clock) -> None:
    token = shops.TokenRecord(
        "acc", 1_800_000_000, "ref", 1_900_000_000, "oid", "Seller", ("a", "b")
    )
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())
        await shops.save_tokens(tx, "uk", token, clock(), cipher=PLAINTEXT)
        await shops.set_tiktok_shop(tx, "uk", tiktok_shop_id="749", cipher="ROW_x", now=clock())
        await shops.set_halted(tx, "uk", "currency GBP != USD", clock())
    async with ledger.read() as tx:
        assert await shops.load_tokens(tx, "uk", cipher=PLAINTEXT) == token
        shop = await shops.get_shop(tx, "uk")
    assert shop is not None
    assert (shop.tiktok_cipher, shop.halted_reason) == ("ROW_x", "currency GBP != USD")


async def test_products_skus_and_pushed_state(ledger: Ledger, clock) -> None:
    now = clock()
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", now)
        await products.upsert_product(
            tx,
            shop_id="uk",
            store_product_id="p1",
            title="Mug",
            category_id=None,
            store_updated_at=None,
            now=now,
        )
        await products.upsert_product(
            tx,
            shop_id="uk",
            store_product_id="p2",
            title="Cap",
            category_id="601",
            store_updated_at=None,
            now=now,
        )
        await products.upsert_sku(
            tx,
            shop_id="uk",
            store_variant_id="v1",
            store_product_id="p2",
            seller_sku="CAP-1",
            now=now,
        )
        await products.set_product_status(
            tx,
            shop_id="uk",
            store_product_id="p2",
            status=ProductStatus.UNDER_REVIEW,
            reason=None,
            now=now,
            tiktok_product_id="tt-2",
            content_hash="h1",
        )
        await products.link_sku(
            tx,
            shop_id="uk",
            store_variant_id="v1",
            tiktok_sku_id="sku-9",
            status=ProductStatus.UNDER_REVIEW,
            now=now,
        )
        await pushed.record_quantities(tx, "uk", {("v1", "wh1"): 5, ("v1", "wh2"): 0}, now)
        await pushed.record_prices(tx, "uk", [("v1", Decimal("12.50"), "GBP")], now)
    async with ledger.read() as tx:
        assert (await products.get_product(tx, "uk", "p1")).status is ProductStatus.UNMAPPED
        p2 = await products.get_product(tx, "uk", "p2")
        assert (p2.status, p2.tiktok_product_id, p2.content_hash) == (
            ProductStatus.UNDER_REVIEW,
            "tt-2",
            "h1",
        )
        assert await products.status_counts(tx, "uk") == {
            ProductStatus.UNMAPPED: 1,
            ProductStatus.UNDER_REVIEW: 1,
        }
        assert (await products.sku_by_tiktok_id(tx, "uk", "sku-9")).store_variant_id == "v1"
        assert await pushed.pushed_quantities(tx, "uk") == {("v1", "wh1"): 5, ("v1", "wh2"): 0}
        assert await pushed.pushed_prices(tx, "uk") == {"v1": (Decimal("12.50"), "GBP")}
    with pytest.raises(sqlite3.IntegrityError):
        async with ledger.transaction() as tx:
            await pushed.record_quantities(tx, "uk", {("v1", "wh1"): -1}, now)


async def test_a_products_sku_claims_are_looked_up_not_scanned(ledger: Ledger) -> None:
    """Each step of the claims query searches by its own key, never by the shop alone (every
    SKU of the shop for each product linked: a quadratic catalog pass)."""
    async with ledger.read() as tx:
        plan = await tx.fetchall(f"EXPLAIN QUERY PLAN {products.CLAIMS_SQL}", ("uk", "p", "", ""))
    steps = [str(row[3]) for row in plan if str(row[3]).startswith("SEARCH")]
    assert len(steps) == 3
    assert not [step for step in steps if step.endswith("(shop_id=?)")], steps


async def test_a_long_read_never_records_over_a_newer_one(ledger: Ledger, clock) -> None:
    """A whole read that began before another read recorded a level keeps that level, and
    forgets only levels recorded before it began."""
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())
        await stock.record_levels(tx, "uk", [StockLevel("i1", "l1", 5)], clock())
        await stock.record_levels(tx, "uk", [StockLevel("i2", "l1", 6)], clock())
    clock.advance(seconds=1)
    began = clock()
    clock.advance(seconds=1)
    async with ledger.transaction() as tx:  # a quick read while the long one runs
        await stock.record_levels(tx, "uk", [StockLevel("i1", "l1", 4)], clock())
    clock.advance(seconds=1)
    read = [StockLevel("i1", "l1", 5), StockLevel("i3", "l1", 7)]
    async with ledger.transaction() as tx:  # the long read, as it stood when it began
        await stock.record_levels(tx, "uk", read, clock(), read_since=began)
        await stock.forget_levels(tx, "uk", [("i1", "l1"), ("i2", "l1")], read_since=began)
    async with ledger.read() as tx:
        levels = {(lv.stock_key, lv.available) for lv in await stock.levels(tx, "uk")}
    assert levels == {("i1", 4), ("i3", 7)}  # i1 newer than the read; i2 gone; i3 new
    async with ledger.transaction() as tx:  # a read that began after: it records
        await stock.record_levels(tx, "uk", read, clock(), read_since=clock())
    async with ledger.read() as tx:
        assert ("i1", 5) in {(lv.stock_key, lv.available) for lv in await stock.levels(tx, "uk")}


async def test_order_id_is_unique_and_phase_survives_upsert(ledger: Ledger, clock) -> None:
    now = clock()
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", now)
        first = await orders.upsert_order(
            tx,
            shop_id="uk",
            tiktok_order_id="576",
            tiktok_status="ON_HOLD",
            tiktok_update_time=100,
            now=now,
        )
        await orders.set_phase(
            tx, "576", OrderPhase.CREATED, reason=None, now=now, store_order_id="S-1"
        )
        again = await orders.upsert_order(
            tx,
            shop_id="uk",
            tiktok_order_id="576",
            tiktok_status="AWAITING_SHIPMENT",
            tiktok_update_time=90,
            now=now,
        )
    assert first.phase is OrderPhase.SEEN
    assert (again.phase, again.store_order_id, again.tiktok_update_time) == (
        OrderPhase.CREATED,
        "S-1",
        100,
    )
    async with ledger.transaction() as tx:
        assert await orders.record_fulfillment(
            tx,
            shop_id="uk",
            tiktok_order_id="576",
            store_fulfillment_id="f1",
            carrier="Hermes",
            tracking_number="T1",
            status="pending",
            now=now,
        )
        assert not await orders.record_fulfillment(
            tx,
            shop_id="uk",
            tiktok_order_id="576",
            store_fulfillment_id="f1",
            carrier="Hermes",
            tracking_number="T1",
            status="pending",
            now=now,
        )
        await orders.record_cancellation(
            tx,
            shop_id="uk",
            tiktok_order_id="576",
            origin="tiktok",
            tiktok_cancel_id="c1",
            reason="buyer",
            status="mirrored",
            now=now,
        )
        assert await orders.cancellation_status(tx, "576", "tiktok") == "mirrored"
        assert [
            o.tiktok_order_id for o in await orders.orders_in_phase(tx, "uk", [OrderPhase.CREATED])
        ] == ["576"]


async def test_runs_results_interrupted_and_pruned(ledger: Ledger, clock) -> None:
    async with ledger.transaction() as tx:
        await runs.start_run(tx, run_id="r1", shop_id="uk", job="inventory", now=clock())
        await runs.finish_run(
            tx,
            run_id="r1",
            outcome=RunOutcome.FAILED,
            error="boom",
            counts={"sku_ok": 1},
            results=[EntityResult("sku", "v1", EntityOutcome.FAILED, "price", "too high")],
            now=clock(),
        )
        await runs.start_run(tx, run_id="r2", shop_id="uk", job="inventory", now=clock())
    async with ledger.transaction() as tx:
        assert await runs.mark_interrupted(tx, clock()) == 1
    async with ledger.read() as tx:
        r1 = await runs.get_run(tx, "r1")
        assert (r1.outcome, r1.error, r1.counts) == (RunOutcome.FAILED, "boom", {"sku_ok": 1})
        assert await runs.run_results(tx, "r1") == [
            EntityResult("sku", "v1", EntityOutcome.FAILED, "price", "too high")
        ]
        assert (await runs.get_run(tx, "r2")).outcome is RunOutcome.INTERRUPTED
        recent = await runs.recent_runs(tx, "uk", "inventory", 10)
        assert [r.run_id for r in recent] == ["r2", "r1"]
    clock.advance(days=31)
    async with ledger.transaction() as tx:
        assert await runs.prune_runs(tx, clock() - timedelta(days=30)) == 2
        assert tuple(await tx.fetchone("SELECT count(*) FROM job_results")) == (0,)


async def test_retry_queue_backs_off_parks_and_requeues(ledger: Ledger, clock) -> None:
    policy = RetryPolicy(timedelta(minutes=1), timedelta(minutes=5), max_attempts=4)
    key = {"shop_id": "uk", "job": "orders", "entity_kind": "order", "entity_id": "576"}
    waits = []
    for _ in range(4):
        async with ledger.transaction() as tx:
            entry = await retry.record_failure(
                tx, **key, error="store 503", policy=policy, now=clock()
            )
        waits.append(entry.next_attempt_at - clock())
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 5)]
    assert entry.attempts == 4
    assert entry.parked
    async with ledger.read() as tx:
        assert await retry.due(tx, "uk", "orders", clock() + timedelta(days=1)) == []
        assert await retry.depth(tx) == {("uk", True): 1}
    async with ledger.transaction() as tx:
        assert await retry.requeue(tx, entry.id, clock()) == 1
    async with ledger.read() as tx:
        due = await retry.due(tx, "uk", "orders", clock())
    assert [(d.entity_id, d.attempts, d.parked) for d in due] == [("576", 0, False)]
    async with ledger.transaction() as tx:
        assert await retry.resolve(tx, **key)
        assert await retry.list_entries(tx) == []


async def test_checkpoint_truncates_the_wal(ledger: Ledger, clock) -> None:
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())
        for i in range(2000):
            await cursors.set_cursor(tx, "uk", f"c{i}", "x" * 200, clock())
    assert ledger.wal_bytes() > 100_000
    await ledger.checkpoint()
    assert ledger.wal_bytes() == 0


async def test_cancelled_tasks_never_leave_the_connection_in_a_transaction(
    ledger: Ledger, clock
) -> None:
    async with ledger.transaction() as tx:
        await shops.ensure_shop(tx, "uk", "shopify", clock())

    async def write(n: int) -> None:
        async with ledger.transaction() as tx:
            await cursors.set_cursor(tx, "uk", f"a{n}", "1", clock())
            await cursors.set_cursor(tx, "uk", f"b{n}", "1", clock())

    for delay in range(40):  # cancel at many different points of BEGIN, writes and COMMIT
        tasks = [asyncio.create_task(write(delay * 10 + i)) for i in range(5)]
        for _ in range(delay % 7):
            await asyncio.sleep(0)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    async with ledger.transaction() as tx:  # the connection is usable, not mid-transaction
        await cursors.set_cursor(tx, "uk", "after", "1", clock())
    async with ledger.read() as tx:
        rows = await tx.fetchall("SELECT name FROM cursors WHERE shop_id = 'uk'")
    names = {str(row[0]) for row in rows}
    assert "after" in names
    for n in range(400):  # each transaction is whole or absent
        assert (f"a{n}" in names) == (f"b{n}" in names), n
