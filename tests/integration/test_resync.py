"""Resync: a product named by the operator is re-read and re-decided at the next catalog run;
a change of the catalog rules in the config makes the next start's pass a full one (a dry run
previews it without recording anything); `run --once --dry-run --full` previews everything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from daemon.domain import ProductStatus, RunOutcome
from daemon.ledger import resync, retry, runs
from daemon.runtime import build, serve
from daemon.runtime.catalog_rules import rules_fingerprint
from daemon.runtime.levers import ask_resync
from daemon.settings import Settings, load_settings
from daemon.simulate import RunningSimulators
from tests.support.world import World, item, open_world, variant


class Clock:
    """The daemon's clock, moved on by hand: a delta pass's overlap is then behind a product
    read before (the store simulator keeps its own time)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: int = 10) -> None:
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def world(simulated_config: Path, clock: Clock) -> AsyncIterator[World]:
    async with open_world(simulated_config, clock) as opened:
        assert await opened.run("connect") is RunOutcome.OK
        yield opened


async def catalog_counts(world: World) -> dict[str, int]:
    async with world.daemon.ledger.read() as tx:
        (last,) = await runs.recent_runs(tx, "uk", "catalog", limit=1)
    return last.counts


async def test_a_resync_rereads_a_product_the_next_run_would_not(
    world: World, clock: Clock
) -> None:
    await world.tiktok("PUT", "faults", {"operation": "create_product", "p_500": 1.0})
    (product,) = await world.load(item("Unlucky mug", variant("RS-1")))
    product_id = str(product["id"])
    assert await world.run("catalog") is RunOutcome.OK
    clock.advance()
    assert await world.run("catalog") is RunOutcome.OK  # still within the overlap: read again
    assert (await world.statuses())[product_id][0] is ProductStatus.FAILED_TO_SYNC
    await world.tiktok("DELETE", "faults")

    assert await world.run("catalog") is RunOutcome.OK  # unchanged, not due for retry yet
    assert (await world.statuses())[product_id][0] is ProductStatus.FAILED_TO_SYNC

    said = await ask_resync(world.daemon.ledger, "uk", [product_id, "999999"], every=False)
    assert said.startswith("Shop uk: 2 product(s) will be re-read at the next catalog run.")
    assert await world.run("catalog") is RunOutcome.OK
    assert (await world.statuses())[product_id][0] is ProductStatus.UNDER_REVIEW
    assert (await catalog_counts(world))["resynced"] == 2
    async with world.daemon.ledger.read() as tx:
        (last,) = await runs.recent_runs(tx, "uk", "catalog", limit=1)
        results = {r.entity_id: r for r in await runs.run_results(tx, last.run_id)}
    assert results["999999"].reason == "resync: the store has no product with this id"
    async with world.daemon.ledger.read() as tx:
        assert await resync.pending(tx, "uk") == {}
        assert await retry.list_entries(tx, "uk") == []  # the queued retry is resolved
    assert len(await world.tiktok_calls("create_product")) >= 2


async def start(settings: Settings, simulators: RunningSimulators, clock: Clock) -> World:
    stack = AsyncExitStack()
    daemon = await build(settings, stack, clock)
    session = await stack.enter_async_context(aiohttp.ClientSession())
    world = World(daemon, simulators, session)
    world.stack = stack  # type: ignore[attr-defined]
    return world


def with_notebook_rule(config: Path) -> Settings:
    config.write_text(
        config.read_text()
        + '\n[[shops.catalog.categories]]\nmatch_by = "product_type"\nvalue = "Notebook"\n'
        'category_id = "600025"\n'
    )
    return load_settings(config)


async def test_a_rules_change_reconciles_the_whole_catalog(
    simulated_config, simulators, clock: Clock, capsys
):
    before = load_settings(simulated_config)
    first = await start(before, simulators, clock)
    try:
        assert await first.run("connect") is RunOutcome.OK
        (notebook,) = await first.load(item("Notebook", variant("NB-1"), product_type="Notebook"))
        assert await first.run("catalog") is RunOutcome.OK
        clock.advance()
        assert await first.run("catalog") is RunOutcome.OK
        assert (await catalog_counts(first))["reconciled"] == 0  # the second pass: a delta
        clock.advance()
    finally:
        await first.stack.aclose()  # type: ignore[attr-defined]
    notebook_id = str(notebook["id"])
    after = with_notebook_rule(simulated_config)
    assert rules_fingerprint(after.shops[0]) != rules_fingerprint(before.shops[0])

    assert await serve(after, once=True, dry_run=True, clock=clock) == 0  # previews the full pass
    out = capsys.readouterr().out
    assert "uk catalog: ok (" in out
    assert "would_create 1" in out
    assert "full_pass 1" in out

    real = await start(after, simulators, clock)
    try:
        assert await real.run("catalog") is RunOutcome.OK
        assert (await catalog_counts(real))["reconciled"] == 1
        assert (await real.statuses())[notebook_id][0] is ProductStatus.UNDER_REVIEW
        async with real.daemon.ledger.read() as tx:
            stored = await resync.rules_fingerprint(tx, "uk")
        assert stored == rules_fingerprint(after.shops[0])
    finally:
        await real.stack.aclose()  # type: ignore[attr-defined]

    # Nothing changed since: a delta.
    assert await serve(after, once=True, dry_run=True, clock=clock) == 0
    delta = capsys.readouterr().out
    assert await serve(after, once=True, dry_run=True, full=True, clock=clock) == 0
    full = capsys.readouterr().out
    catalog = [line for line in full.splitlines() if line.startswith("uk catalog:")]
    assert "unchanged 1" in catalog[0]
    assert "full_pass 1" in catalog[0]
    (delta_catalog,) = [line for line in delta.splitlines() if line.startswith("uk catalog:")]
    assert "unchanged" not in delta_catalog
    assert "full_pass" not in delta_catalog
