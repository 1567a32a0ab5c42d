"""Sending per-product updates (inventory or price): one call each, refusals kept per SKU.

A product whose call fails for a temporary reason waits in the retry queue; the next run's diff
finds it again anyway, since nothing was recorded as pushed. A refused SKU is recorded as a
failure with TikTok's reason; the SKUs it accepted are recorded as pushed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from daemon.domain.listing import ItemRefusal
from daemon.errors import RetriableError, SkippableError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, Tx

T = TypeVar("T")

Send = Callable[[str, T], Awaitable[list[ItemRefusal]]]
Record = Callable[[Tx, str, T, frozenset[str]], Awaitable[None]]


@dataclass(frozen=True)
class Pusher(Generic[T]):
    ledger: Ledger
    failures: FailureQueue
    send: Send[T]  # (TikTok product id, payload) -> refusals
    record: Record[T]  # in a transaction: what was accepted (refused SKU ids excluded)
    sku_of: Callable[[str], str]  # TikTok SKU id -> store variant id, for messages

    async def push(self, ctx: RunContext, updates: Iterable[tuple[str, T]]) -> None:
        for product_id, payload in updates:
            try:
                refusals = await self.send(product_id, payload)
            except RetriableError as exc:
                async with self.ledger.transaction() as tx:
                    await self.failures.failed(tx, ctx, "listing", product_id, str(exc))
                continue
            except SkippableError as exc:
                ctx.failed("listing", product_id, str(exc), field_name=exc.field)
                continue
            refused = frozenset(r.sku_id for r in refusals if r.sku_id)
            async with self.ledger.transaction() as tx:
                await self.record(tx, product_id, payload, refused)
                await self.failures.succeeded(tx, ctx, "listing", product_id)
                for refusal in refusals:
                    variant = self.sku_of(refusal.sku_id) if refusal.sku_id else product_id
                    kind = "sku" if refusal.sku_id else "listing"
                    await self.failures.failed(tx, ctx, kind, variant, str(refusal))
            ctx.counts["calls"] += 1
            ctx.counts["products_pushed"] += 1
