"""The connection check: both platforms answer, the shop is authorised, and the shop may sync.

It runs first and on its own schedule, even while the shop is halted, because it is the job that
lifts a halt: the shop syncs again once every check passes. Halting reasons it sets:

- the TikTok authorisation is missing, revoked or expired (also set by any job meeting an
  `AuthError`);
- the store's currency differs from the TikTok shop's (DOMAIN.md section 3);
- the configured market is not the TikTok shop's region;
- a warehouse named in the location rules does not exist on TikTok.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import Marketplace, SourceStore
from daemon.domain.markets import MarketFacts, market_facts
from daemon.domain.pricing import currency_mismatch
from daemon.errors import FatalError
from daemon.jobs.health import HealthBoard
from daemon.jobs.runner import RunContext
from daemon.ledger import Ledger, shops


@dataclass(frozen=True)
class Connect:
    ledger: Ledger
    health: HealthBoard
    store: SourceStore
    marketplace: Marketplace
    market: str
    rule_warehouses: frozenset[str]
    authorization_warning: timedelta

    async def __call__(self, ctx: RunContext) -> None:
        tiktok = await self.marketplace.connect()
        board = self.health.shop(ctx.shop_id)
        board.authorization_expires_at = tiktok.authorization_expires_at
        board.seller_name = tiktok.seller_name
        board.tiktok_shop_id = tiktok.shop_id
        if tiktok.authorization_expires_at - ctx.now() <= self.authorization_warning:
            ctx.log.warning(
                "authorization_expiring",
                expires_at=tiktok.authorization_expires_at.isoformat(),
                action="ask the seller to re-authorise the app in TikTok Shop Seller Center",
            )
        store = await self.store.store_info()
        warehouses = await self.marketplace.warehouses()
        problems: list[str] = []
        configured = market_facts(self.market)
        shop_market = _facts_or_none(tiktok.region)
        if shop_market is None:
            problems.append(f"TikTok shop region {tiktok.region!r} is not a supported market")
        elif shop_market.code != configured.code:
            problems.append(
                f"tiktok.market is {configured.code} but the TikTok shop is in {tiktok.region}"
            )
        shop_currency = (shop_market or configured).currency
        if mismatch := currency_mismatch(store.currency, shop_currency):
            problems.append(mismatch)
        known = {warehouse.id for warehouse in warehouses}
        problems.extend(
            f"rules.locations names warehouse {missing} which the TikTok shop does not have "
            f"(it has: {', '.join(sorted(known)) or 'none'})"
            for missing in sorted(self.rule_warehouses - known)
        )
        if not any(warehouse.active for warehouse in warehouses):
            problems.append("the TikTok shop has no active sales warehouse")
        reason = "; ".join(problems) or None
        async with self.ledger.transaction() as tx:
            await shops.set_currencies(
                tx, ctx.shop_id, store=store.currency, tiktok=shop_currency, now=ctx.now()
            )
            before = await shops.get_shop(tx, ctx.shop_id)
            await shops.set_halted(tx, ctx.shop_id, reason, ctx.now())
        was = before.halted_reason if before else None
        if reason and reason != was:
            ctx.log.error("shop_halted", reason=reason)
        elif was and not reason:
            ctx.log.info("shop_resumed", previously=was)
        ctx.counts["warehouses"] = len(warehouses)
        if reason:
            ctx.failed("shop", ctx.shop_id, reason)
            raise FatalError(f"shop halted: {reason}")
        ctx.ok("shop", ctx.shop_id)


def _facts_or_none(region: str) -> MarketFacts | None:
    try:
        return market_facts(region)
    except ValueError:
        return None
