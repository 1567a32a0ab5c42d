"""Later TikTok statuses shown on the store order, replacing the one it showed (DOMAIN.md
section 6, "status follows"); each store shows it its own way."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.connectors.base import StoreOrders
from daemon.domain.orders import OrderState
from daemon.errors import AuthError, SyncError
from daemon.jobs.failures import FailureQueue
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger
from daemon.ledger import order_flow as flow
from daemon.ledger.orders import OrderRecord

ENTITY = "order"


@dataclass(frozen=True)
class StatusMirror:
    ledger: Ledger
    store: StoreOrders
    failures: FailureQueue

    async def show(self, ctx: RunContext, record: OrderRecord, state: OrderState) -> bool:
        """Put `state` on the order's store copy unless it is there already; False on failure."""
        if record.store_order_id is None or record.mirrored_status == state.value:
            return True
        try:
            await self.store.show_status(record.store_order_id, state)
        except AuthError:
            raise
        except SyncError as exc:
            async with self.ledger.transaction() as tx:
                await self.failures.failed(
                    tx,
                    ctx,
                    ENTITY,
                    record.tiktok_order_id,
                    f"could not show TikTok status {state.value} on store order "
                    f"{record.store_order_id}: {exc}",
                )
            return False
        async with self.ledger.transaction() as tx:
            await flow.set_mirrored(tx, record.tiktok_order_id, state.value, ctx.now())
            await self.failures.succeeded(tx, ctx, ENTITY, record.tiktok_order_id)
        ctx.counts["orders_status_shown"] += 1
        ctx.ok(ENTITY, record.tiktok_order_id)
        return True
