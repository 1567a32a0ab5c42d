"""Stock an imported order takes, and gives back when cancelled.

An order saved through the order repository places no MSI reservation, so ttsync moves the
SKUs' source quantities itself (``POST /V1/inventory/source-items``), from the sources that
hold the most first, and records the moves in an order comment; a cancel puts exactly those
back once. Each write reads the current quantities first: a merchant's edit between the read
and the write is overwritten (docs/OPERATIONS.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from daemon.connectors.magento.models import SourceItemWire
from daemon.connectors.magento.order_mapping import Line, Moves
from daemon.connectors.magento.rest import Rest, parse_body
from daemon.connectors.magento.stock import sku_filters
from daemon.domain.orders import OrderDraft, StockOnCreate


class StockMover:
    def __init__(self, rest: Rest) -> None:
        self._rest = rest

    async def _items(self, skus: Sequence[str]) -> dict[str, list[SourceItemWire]]:
        found: dict[str, list[SourceItemWire]] = defaultdict(list)
        for group in sku_filters(list(dict.fromkeys(skus))):
            async for items, _ in self._rest.search(
                ["inventory", "source-items"], [group], endpoint="source_items.order"
            ):
                for raw in items:
                    item = parse_body(SourceItemWire, raw, "source_items.order")
                    found[item.sku].append(item)
        return found

    async def plan(self, draft: OrderDraft, lines: Mapping[str, Line]) -> Moves:
        """The moves for `draft`; ValueError when `reduce_if_available` finds a SKU short."""
        wanted: dict[str, int] = defaultdict(int)
        for line in draft.lines:
            known = lines.get(line.variant_id)
            if known is not None:
                wanted[known.sku] += line.quantity
        items = await self._items(list(wanted))
        moves: Moves = []
        for sku, quantity in wanted.items():
            sources = sorted(items.get(sku, []), key=lambda i: (-i.quantity, i.source_code))
            if not sources:
                continue  # no source holds it (stock not managed): nothing to take
            available = sum(max(Decimal(0), i.quantity) for i in sources if i.status == 1)
            if draft.stock is StockOnCreate.REDUCE_IF_AVAILABLE and available < quantity:
                raise ValueError(f"{sku}: {available} available, {quantity} ordered")
            left = quantity
            for item in sources:
                take = min(left, max(0, int(item.quantity)))
                if take:
                    moves.append((sku, item.source_code, take))
                    left -= take
            if left:
                moves.append((sku, sources[0].source_code, left))
        return moves

    async def _write(self, moves: Moves, sign: int) -> None:
        items = await self._items([sku for sku, _, _ in moves])
        current = {(i.sku, i.source_code): i.quantity for group in items.values() for i in group}
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for sku, source, quantity in moves:
            totals[sku, source] += quantity
        body = []
        for (sku, source), quantity in totals.items():
            new = current.get((sku, source), Decimal(0)) + sign * quantity
            body.append(
                {"sku": sku, "source_code": source, "quantity": float(new), "status": int(new > 0)}
            )
        await self._rest.call(
            "POST",
            ["inventory", "source-items"],
            endpoint="source_items.save",
            body={"sourceItems": body},
            idempotent=False,
        )

    async def apply(self, moves: Moves) -> None:
        await self._write(moves, -1)

    async def give_back(self, moves: Moves) -> None:
        await self._write(moves, 1)
