"""TikTok's listing quota: when a create is refused because the shop's quota is used up, new
listings pause until it resets, and the products waiting say so (Waiting for quota, not a
failure). The pause survives a restart (a cursor in the ledger). After it, the next catalog run
re-reads the waiting products and creates them, until the quota runs out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from daemon.domain import ProductStatus
from daemon.errors import QuotaExhaustedError
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, cursors, products

QUOTA_CURSOR = "catalog.quota_until"
ENTITY = "product"


@dataclass
class QuotaGate:
    """One shop's state of the listing quota: open, or closed until a moment."""

    ledger: Ledger
    wait: timedelta  # how long creating pauses when the platform does not say
    until: datetime | None = None
    _loaded: bool = field(default=False, repr=False)

    async def load(self, ctx: RunContext) -> None:
        if self._loaded:
            return
        async with self.ledger.read() as tx:
            stored = await cursors.get_cursor(tx, ctx.shop_id, QUOTA_CURSOR)
        self.until = None if stored is None else datetime.fromisoformat(stored)
        self._loaded = True

    def closed(self, now: datetime) -> bool:
        return self.until is not None and now < self.until

    async def reached(self, ctx: RunContext, error: QuotaExhaustedError) -> datetime:
        """A create was refused for the quota: close the gate (once per closing, logged)."""
        now = ctx.now()
        if self.closed(now):
            assert self.until is not None  # closed
            return self.until
        wait = timedelta(seconds=error.retry_after) if error.retry_after else self.wait
        self.until = now + wait
        async with self.ledger.transaction() as tx:
            await cursors.set_cursor(tx, ctx.shop_id, QUOTA_CURSOR, self.until.isoformat(), now)
        ctx.log.warning(
            "listing_quota_reached",
            until=self.until.isoformat(),
            action="new listings wait; price, stock and orders go on",
            error=str(error),
        )
        return self.until

    async def wait_for_it(self, ctx: RunContext, product_id: str) -> None:
        """Record that `product_id` waits for the quota (its status and reason)."""
        assert self.until is not None  # only while closed
        reason = (
            "TikTok's listing quota for this shop is used up; the product is created once it "
            f"resets (tried again after {self.until:%Y-%m-%d %H:%M} UTC)"
        )
        async with self.ledger.transaction() as tx:
            await products.set_product_status(
                tx,
                shop_id=ctx.shop_id,
                store_product_id=product_id,
                status=ProductStatus.WAITING_FOR_QUOTA,
                reason=reason,
                now=ctx.now(),
            )
        ctx.skipped(ENTITY, product_id, reason)
        ctx.counts["waiting_for_quota"] += 1

    async def waiting(self, ctx: RunContext) -> list[str]:
        """The products waiting for the quota, oldest first by id."""
        async with self.ledger.read() as tx:
            found = await products.products_with_status(
                tx, ctx.shop_id, [ProductStatus.WAITING_FOR_QUOTA]
            )
        return [record.store_product_id for record in found]
