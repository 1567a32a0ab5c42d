"""Sending per-product updates (inventory or price): one call each, refusals kept per SKU.

A product whose call fails for a temporary reason waits in the retry queue; the next run's diff
finds it again anyway, since nothing was recorded as pushed. A refused SKU is recorded as a
failure with TikTok's reason; the SKUs it accepted are recorded as pushed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from typing import Generic, TypeVar

from daemon.domain.listing import ItemRefusal
from daemon.errors import RetriableError, SkippableError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.progress import ProgressBoard
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, Tx
from daemon.ledger.stock import LinkedSku

T = TypeVar("T")


@dataclass(frozen=True)
class Links:
    """How linked store variants map onto the marketplace."""

    product_of: dict[str, str]  # store variant id -> marketplace product id
    sku_id: dict[str, str]  # store variant id -> marketplace SKU id
    variant_of: dict[str, str]  # marketplace SKU id -> store variant id

    @classmethod
    def of(cls, linked: Iterable[LinkedSku]) -> Links:
        skus = list(linked)
        return cls(
            {sku.store_variant_id: sku.tiktok_product_id for sku in skus},
            {sku.store_variant_id: sku.tiktok_sku_id for sku in skus},
            {sku.tiktok_sku_id: sku.store_variant_id for sku in skus},
        )


def planned(ctx: RunContext, checked: int, updates: Sized, skus: int, *, dry_run: bool) -> bool:
    """Count what a run found; True when the updates should now be sent (not a dry run)."""
    ctx.counts["skus_checked"] = checked
    ctx.counts["products_changed"] = len(updates)
    if dry_run:
        ctx.counts["would_push"] = skus
    return not dry_run


Send = Callable[[str, T], Awaitable[list[ItemRefusal]]]
Record = Callable[[Tx, str, T, frozenset[str]], Awaitable[None]]


#: A push of at least this many products (a first push after an initial sync, say) shows its
#: progress like a full catalog pass.
SHOWN_FROM = 100


@dataclass(frozen=True)
class Pusher(Generic[T]):
    ledger: Ledger
    failures: FailureQueue
    send: Send[T]  # (TikTok product id, payload) -> refusals
    record: Record[T]  # in a transaction: what was accepted (refused SKU ids excluded)
    links: Links
    board: ProgressBoard | None = None

    async def push(self, ctx: RunContext, updates: Sequence[tuple[str, T]]) -> None:
        progress = None
        if self.board is not None and len(updates) >= SHOWN_FROM:
            progress = self.board.start(ctx.shop_id, ctx.job, len(updates), ctx.now())
            progress.listed = len(updates)
            progress.note_listing_complete()
        try:
            for product_id, payload in updates:
                await self._one(ctx, product_id, payload)
                if progress is not None:
                    progress.advance(ctx.now())
        finally:
            if progress is not None and self.board is not None:
                self.board.finish(ctx.shop_id, ctx.job)

    async def _one(self, ctx: RunContext, product_id: str, payload: T) -> None:
        try:
            refusals = await self.send(product_id, payload)
        except RetriableError as exc:
            async with self.ledger.transaction() as tx:
                await self.failures.failed(tx, ctx, "listing", product_id, str(exc))
            return
        except SkippableError as exc:
            ctx.failed("listing", product_id, str(exc), field_name=exc.field)
            return
        refused = frozenset(r.sku_id for r in refusals if r.sku_id)
        async with self.ledger.transaction() as tx:
            await self.record(tx, product_id, payload, refused)
            await self.failures.succeeded(tx, ctx, "listing", product_id)
            for refusal in refusals:
                sku = refusal.sku_id
                variant = self.links.variant_of.get(sku, sku) if sku else product_id
                kind = "sku" if refusal.sku_id else "listing"
                await self.failures.failed(tx, ctx, kind, variant, str(refusal))
        ctx.counts["calls"] += 1
        ctx.counts["products_pushed"] += 1
        ctx.accepted()
