"""Per-shop parts: the store and marketplace connectors and the jobs they serve."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.shopify import ShopifyClient, ShopifyClientOptions
from daemon.connectors.tiktok import TikTokClient, TikTokMarketplace
from daemon.jobs import HealthBoard, JobFn, JobSpec
from daemon.jobs.connect import Connect
from daemon.ledger import Ledger
from daemon.metrics import Metrics
from daemon.settings import ShopSection


@dataclass(frozen=True)
class ShopParts:
    settings: ShopSection
    store: ShopifyClient
    tiktok: TikTokClient
    marketplace: TikTokMarketplace


async def open_shop(
    shop: ShopSection, ledger: Ledger, metrics: Metrics, stack: AsyncExitStack
) -> ShopParts:
    """Open one session per connector; the stack closes them at shutdown."""
    options = ShopifyClientOptions(
        request_timeout=shop.store.request_timeout, leak_rate=shop.store.leak_rate
    )
    store = ShopifyClient(shop.store, metrics, options=options)
    await store.start()
    stack.push_async_callback(store.close)
    tiktok = TikTokClient.open(
        shop.tiktok,
        ledger=ledger,
        shop_name=shop.name,
        metrics=metrics,
        refresh_margin=shop.tiktok.token_refresh_margin,
    )
    stack.push_async_callback(tiktok.close)
    marketplace = TikTokMarketplace(tiktok, wanted_shop_id=shop.tiktok.shop_id)
    return ShopParts(shop, store, tiktok, marketplace)


def shop_jobs(parts: ShopParts, ledger: Ledger, health: HealthBoard) -> list[JobSpec]:
    """The jobs one shop runs, in the order `run --once` runs them; "off" ones are left out."""
    shop = parts.settings
    connect = Connect(
        ledger=ledger,
        health=health,
        store=parts.store,
        marketplace=parts.marketplace,
        market=shop.tiktok.market,
        rule_warehouses=frozenset(rule.warehouse for rule in shop.rules.locations),
        authorization_warning=shop.tiktok.authorization_warning,
    )
    wanted: list[tuple[str, JobFn, timedelta | None, bool]] = [
        # (job, what runs, how often, runs while the shop is halted)
        ("connect", connect, shop.schedules.connect, True),
    ]
    return [
        JobSpec(shop.name, name, run, interval, runs_while_halted=halted_ok)
        for name, run, interval, halted_ok in wanted
        if interval is not None
    ]
