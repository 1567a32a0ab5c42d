"""Per-shop parts: the store and marketplace connectors and the jobs they serve."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import structlog

from daemon.connectors.base import WebhookReceiver
from daemon.connectors.images import ImageFetcher
from daemon.connectors.registry import store_kind
from daemon.connectors.store_kind import StoreConnection, StoreContext, StoreKind
from daemon.connectors.tiktok import TikTokClient, TikTokMarketplace, TikTokWebhookReceiver
from daemon.connectors.tiktok.order_channel import TikTokOrderChannel
from daemon.domain.markets import market_facts
from daemon.domain.retry import RetryPolicy
from daemon.jobs import HealthBoard, JobFn, JobSpec
from daemon.jobs.catalog import Catalog, CatalogOptions
from daemon.jobs.connect import Connect
from daemon.jobs.failures import FailureQueue
from daemon.jobs.inventory import Inventory
from daemon.jobs.price import Price
from daemon.jobs.publish import Publisher
from daemon.ledger import Ledger
from daemon.ledger.sealing import PLAINTEXT, TokenCipher
from daemon.metrics import Metrics
from daemon.runtime.feed_state import LedgerFeedState
from daemon.runtime.order_jobs import order_jobs
from daemon.runtime.rules import category_rules, inventory_rules, validation_config
from daemon.runtime.tokens import LedgerTokenStore
from daemon.settings import ShopSection

log = structlog.get_logger("ttsync.runtime")


@dataclass(frozen=True)
class Shared:
    """What every shop's jobs share: the ledger, health, metrics, images, retry policy."""

    ledger: Ledger
    health: HealthBoard
    metrics: Metrics
    images: ImageFetcher
    retry: RetryPolicy
    dry_run: bool = False

    @property
    def failures(self) -> FailureQueue:
        return FailureQueue(self.retry, self.metrics)


@dataclass(frozen=True)
class ShopParts:
    settings: ShopSection
    kind: StoreKind[Any]
    store: StoreConnection
    tiktok: TikTokClient
    marketplace: TikTokMarketplace
    channel: TikTokOrderChannel


async def open_shop(
    shop: ShopSection,
    ledger: Ledger,
    metrics: Metrics,
    stack: AsyncExitStack,
    cipher: TokenCipher = PLAINTEXT,
) -> ShopParts:
    """Open the shop's store (as its kind says) and TikTok; the stack closes both."""
    kind = store_kind(shop.store.kind)
    store = await kind.open(
        shop.store, StoreContext(shop.name, metrics, LedgerFeedState(ledger, shop.name)), stack
    )
    log.info("store_opened", shop=shop.name, kind=kind.name, **asdict(kind.capabilities))
    tiktok = TikTokClient.open(
        shop.tiktok,
        tokens=LedgerTokenStore(ledger, shop.name, cipher),
        shop_name=shop.name,
        metrics=metrics,
        refresh_margin=shop.tiktok.token_refresh_margin,
    )
    stack.push_async_callback(tiktok.close)
    marketplace = TikTokMarketplace(tiktok, wanted_shop_id=shop.tiktok.shop_id)
    channel = TikTokOrderChannel(tiktok, store_platform=kind.order_platform)
    return ShopParts(shop, kind, store, tiktok, marketplace, channel)


def webhook_receivers(parts: ShopParts) -> dict[tuple[str, str], WebhookReceiver]:
    """Where this shop's webhooks are verified: /webhooks/{platform}/{shop name}."""
    shop = parts.settings
    receivers: dict[tuple[str, str], WebhookReceiver] = {
        ("tiktok", shop.name): TikTokWebhookReceiver(shop.tiktok.app_key, shop.tiktok.app_secret)
    }
    if parts.store.webhooks is not None:
        receivers[parts.kind.name, shop.name] = parts.store.webhooks
    return receivers


def shop_jobs(parts: ShopParts, shared: Shared, *, full: bool = False) -> list[JobSpec]:
    """The jobs one shop runs, in the order `run --once` runs them; "off" ones are left out.

    `full`: every catalog run reads the whole catalog.
    """
    shop = parts.settings
    ledger = shared.ledger
    connect = Connect(
        ledger=ledger,
        health=shared.health,
        store=parts.store.catalog,
        marketplace=parts.marketplace,
        market=shop.tiktok.market,
        rule_warehouses=frozenset(rule.warehouse for rule in shop.rules.locations),
        authorization_warning=shop.tiktok.authorization_warning,
    )
    rules = inventory_rules(shop.rules)
    market = market_facts(shop.tiktok.market)
    publisher = Publisher(parts.marketplace, shared.images, validation_config(shop), rules)
    catalog = Catalog(
        ledger,
        parts.store.catalog,
        parts.marketplace,
        publisher,
        shared.failures,
        CatalogOptions(
            categories=category_rules(shop.catalog),
            overlap=shop.catalog.overlap,
            content_updates=shop.rules.content_updates,
            link_existing=shop.catalog.link_existing,
            dry_run=shared.dry_run,
            publish_concurrency=shop.catalog.publish_concurrency,
            deletion_feed=parts.kind.capabilities.deletion_feed,
            quota_wait=shop.catalog.quota_wait,
            full=full,
        ),
        progress=shared.health.progress,
    )
    overlap = shop.catalog.overlap
    inventory = Inventory(
        ledger,
        parts.store.catalog,
        parts.marketplace,
        shared.failures,
        rules,
        overlap,
        dry_run=shared.dry_run,
        progress=shared.health.progress,
    )
    price = Price(
        ledger,
        parts.store.catalog,
        parts.marketplace,
        shared.failures,
        market,
        overlap,
        dry_run=shared.dry_run,
        progress=shared.health.progress,
    )
    wanted: list[tuple[str, JobFn, timedelta | None, bool]] = [
        # (job, what runs, how often, runs while the shop is halted)
        ("connect", connect, shop.schedules.connect, True),
        ("catalog", catalog, shop.schedules.catalog, False),
        ("inventory", inventory, shop.schedules.inventory, False),
        ("price", price, shop.schedules.price, False),
        *order_jobs(parts, ledger, shared.failures, dry_run=shared.dry_run),
    ]
    return [
        JobSpec(shop.name, name, run, interval, runs_while_halted=halted_ok)
        for name, run, interval, halted_ok in wanted
        if interval is not None
    ]
