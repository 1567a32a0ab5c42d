"""Stock that comes with the products of a whole read (`Product.levels`), into the ledger.

A store whose product read includes stock (a bulk read, say) gives the catalog job's full
pass every level of the store. `CarriedStock` records those that differ from the ledger's (a
set-wise diff against the levels read at the pass's start) a batch at a time as the products
pass, and once the pass has recorded every product's levels it keeps the pass's start as
`LEVELS_RECONCILED`: the inventory job's reconciliation then reads only the levels changed
since (`daemon.jobs.inventory`), so a reconciliation reads the store once. Levels are recorded
as the inventory job's own full read records them: an upsert per stock key and location,
except where another read recorded the level after this pass began (it is newer than the
pass's read), and a level of the product's stock keys the read no longer gives is forgotten
(the store keeps no stock there now). A pass that cannot vouch for every level (a product
unreadable, or read without stock) drops the mark: the inventory job reads everything.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from daemon.domain.models import BadRecord, Product, StockLevel
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, cursors, stock

# The start of the catalog's last full pass that recorded every product's stock.
LEVELS_RECONCILED = "catalog.levels.reconciled"
_BATCH = 5_000  # levels recorded per transaction


@dataclass
class CarriedStock:
    ledger: Ledger
    ctx: RunContext
    started: datetime  # when the pass, and so its read of the store, began
    # The ledger's levels when the pass began: a level read the same again is not rewritten.
    known: dict[tuple[str, str], int] = field(default_factory=dict)
    complete: bool = True  # every product so far carried its levels
    _where: dict[str, list[str]] = field(default_factory=dict)  # stock key -> known locations
    _pending: list[StockLevel] = field(default_factory=list)
    _gone: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def over(
        cls, ledger: Ledger, ctx: RunContext, levels: Iterable[StockLevel], started: datetime
    ) -> CarriedStock:
        known = {(level.stock_key, level.location_id): level.available for level in levels}
        carried = cls(ledger, ctx, started, known)
        for key, location in known:
            carried._where.setdefault(key, []).append(location)
        return carried

    async def passing(
        self, items: AsyncIterator[Product | BadRecord]
    ) -> AsyncIterator[Product | BadRecord]:
        """The items, unchanged; the levels they carry recorded on the way (those that differ
        from the ledger's)."""
        known, counts = self.known, self.ctx.counts
        async for item in items:
            if isinstance(item, BadRecord) or item.levels is None:
                self.complete = False
            else:
                counts["levels_read"] += len(item.levels)
                self._pending.extend(
                    level
                    for level in item.levels
                    if known.get((level.stock_key, level.location_id)) != level.available
                )
                self._gone.extend(self._no_longer_given(item))
                if len(self._pending) + len(self._gone) >= _BATCH:
                    await self._flush()
            yield item
        await self._flush()

    def _no_longer_given(self, product: Product) -> list[tuple[str, str]]:
        """The ledger's levels of the product's stock keys its read no longer gives."""
        given = {(level.stock_key, level.location_id) for level in product.levels or ()}
        return [
            (v.stock_key, location)
            for v in product.variants
            if v.stock_key is not None
            for location in self._where.get(v.stock_key, ())
            if (v.stock_key, location) not in given
        ]

    async def _flush(self) -> None:
        if not (self._pending or self._gone):
            return
        ctx = self.ctx
        async with self.ledger.transaction() as tx:
            if self._pending:
                ctx.counts["levels_recorded"] += await stock.record_levels(
                    tx, ctx.shop_id, self._pending, ctx.now(), read_since=self.started
                )
            if self._gone:
                ctx.counts["levels_forgotten"] += await stock.forget_levels(
                    tx, ctx.shop_id, self._gone, read_since=self.started
                )
        self._pending, self._gone = [], []

    async def settle(self, started: datetime) -> None:
        """The full pass that began at `started` has read every product: mark its levels as
        reconciled when all of them were recorded, else drop any earlier mark."""
        async with self.ledger.transaction() as tx:
            if self.complete:
                mark = started.isoformat()
                await cursors.set_cursor(tx, self.ctx.shop_id, LEVELS_RECONCILED, mark, started)
            else:
                await cursors.delete_cursor(tx, self.ctx.shop_id, LEVELS_RECONCILED)
