"""Stock that comes with the products of a whole read (`Product.levels`), into the ledger.

A store whose product read includes stock (a bulk read, say) gives the catalog job's full
pass every level of the store. `CarriedStock` records those that differ from the ledger's (a
set-wise diff against the levels read at the pass's start) a batch at a time as the products
pass, and once the pass has recorded every product's levels it keeps the pass's start as
`LEVELS_RECONCILED`: the inventory job's reconciliation then reads only the levels changed
since (`daemon.jobs.inventory`), so a reconciliation reads the store once. Levels are recorded
as the inventory job's own full read records them (an upsert per stock key and location; a
level the read does not give is left as it was). A pass that cannot vouch for every level (a
product unreadable, or read without stock) drops the mark: the inventory job reads everything.
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
    # The ledger's levels when the pass began: a level read the same again is not rewritten.
    known: dict[tuple[str, str], int] = field(default_factory=dict)
    complete: bool = True  # every product so far carried its levels
    _pending: list[StockLevel] = field(default_factory=list)

    @classmethod
    def over(cls, ledger: Ledger, ctx: RunContext, levels: Iterable[StockLevel]) -> CarriedStock:
        known = {(level.stock_key, level.location_id): level.available for level in levels}
        return cls(ledger, ctx, known)

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
                if len(self._pending) >= _BATCH:
                    await self._flush()
            yield item
        await self._flush()

    async def _flush(self) -> None:
        if not self._pending:
            return
        ctx = self.ctx
        async with self.ledger.transaction() as tx:
            ctx.counts["levels_recorded"] += await stock.record_levels(
                tx, ctx.shop_id, self._pending, ctx.now()
            )
        self._pending = []

    async def settle(self, started: datetime) -> None:
        """The full pass that began at `started` has read every product: mark its levels as
        reconciled when all of them were recorded, else drop any earlier mark."""
        async with self.ledger.transaction() as tx:
            if self.complete:
                mark = started.isoformat()
                await cursors.set_cursor(tx, self.ctx.shop_id, LEVELS_RECONCILED, mark, started)
            else:
                await cursors.delete_cursor(tx, self.ctx.shop_id, LEVELS_RECONCILED)
