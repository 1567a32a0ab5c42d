"""Later TikTok statuses shown on the store order: its ``TikTok: ...`` tag and its
``tiktok_status`` note attribute are replaced (DOMAIN.md section 6, "status follows")."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.connectors.base import StoreOrders
from daemon.domain.order_status import relabel
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
            await self._relabel(record.store_order_id, state)
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

    async def _relabel(self, store_order_id: str, state: OrderState) -> None:
        current = await self.store.order(store_order_id)
        if current is None:
            raise SyncError(f"store order {store_order_id} no longer exists")
        tags, attributes = relabel(current.tags, current.note_attributes, state)
        if set(tags) != current.tags or attributes != list(current.note_attributes):
            await self.store.set_order_labels(store_order_id, tags=tags, note_attributes=attributes)
