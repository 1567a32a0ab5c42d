"""After each run: one warning per record that entered a failed or blocked state, and the
status gauges (products by status, orders by phase, blocked orders) from the ledger's counts.

The ledger's triggers note a state change only when a record enters the state, so a product
failing again for the same reason on every retry is told once, where operators look (the log),
with its entity, SKUs, field and reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import structlog
from prometheus_client import Gauge

from daemon.domain import OrderPhase, ProductStatus
from daemon.ledger import Ledger, observed
from daemon.ledger.observed import StateChange
from daemon.metrics import Metrics

log = structlog.get_logger("ttsync.watch")

# "package_weight: missing" -> field "package_weight" (reasons are "field: why" when one is known)
_FIELD = re.compile(r"^([a-z][a-z0-9_.\[\]]*): ")


def split_reason(reason: str | None) -> tuple[str | None, str]:
    """(field, reason) from a "field: why" reason; (None, reason) when it names no field."""
    text = reason or "no reason recorded"
    match = _FIELD.match(text)
    return (match[1], text[match.end() :]) if match else (None, text)


@dataclass(frozen=True)
class Watch:
    ledger: Ledger
    metrics: Metrics
    shops: tuple[str, ...]

    async def after_run(self) -> None:
        async with self.ledger.read() as tx:
            noted = await observed.has_state_changes(tx)
            products = await observed.product_counts(tx)
            orders = await observed.order_counts(tx)
            blocked = await observed.blocked_counts(tx)
        changes: list[StateChange] = []
        if noted:  # a write transaction only when there is something to tell
            async with self.ledger.transaction() as tx:
                changes = await observed.take_state_changes(tx)
        for change in changes:
            _tell(change)
        _set(self.metrics.products, self.shops, [str(s) for s in ProductStatus], products)
        _set(self.metrics.orders, self.shops, [str(p) for p in OrderPhase], orders)
        causes = sorted({"unlinked", "refused", *(cause for _, cause in blocked)})
        _set(self.metrics.orders_blocked, self.shops, causes, blocked)


def _tell(change: StateChange) -> None:
    field, reason = split_reason(change.reason)
    event = "order_blocked" if change.entity == "order" else "product_failed"
    log.warning(
        event,
        shop=change.shop_id,
        entity=change.entity,
        id=change.entity_id,
        skus=list(change.skus),
        field=field,
        reason=reason,
        state=change.state,
        previous=change.previous,
    )


def _set(
    gauge: Gauge, shops: tuple[str, ...], values: list[str], counts: Mapping[tuple[str, str], int]
) -> None:
    """Every (shop, value) pair, zero included, so a count that drops to nothing shows it."""
    for shop in sorted({*shops, *(shop for shop, _ in counts)}):
        for value in values:
            gauge.labels(shop, value).set(counts.get((shop, value), 0))
