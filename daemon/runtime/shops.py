"""Per-shop parts: the store and marketplace connectors and the jobs they serve."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta

from daemon.connectors.base import WebhookReceiver
from daemon.connectors.images import ImageFetcher
from daemon.connectors.shopify import ShopifyClient, ShopifyClientOptions, ShopifyWebhookReceiver
from daemon.connectors.tiktok import TikTokClient, TikTokMarketplace, TikTokWebhookReceiver
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
from daemon.metrics import Metrics
from daemon.runtime.order_jobs import order_jobs
from daemon.runtime.rules import category_rules, inventory_rules, validation_config
from daemon.settings import ShopSection


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


def webhook_receivers(shop: ShopSection) -> dict[tuple[str, str], WebhookReceiver]:
    """Where this shop's webhooks are verified: /webhooks/{platform}/{shop name}."""
    receivers: dict[tuple[str, str], WebhookReceiver] = {
        ("tiktok", shop.name): TikTokWebhookReceiver(shop.tiktok.app_key, shop.tiktok.app_secret)
    }
    if shop.store.webhook_secret is not None:
        receivers["shopify", shop.name] = ShopifyWebhookReceiver(shop.store.webhook_secret)
    return receivers


def shop_jobs(parts: ShopParts, shared: Shared) -> list[JobSpec]:
    """The jobs one shop runs, in the order `run --once` runs them; "off" ones are left out."""
    shop = parts.settings
    ledger = shared.ledger
    connect = Connect(
        ledger=ledger,
        health=shared.health,
        store=parts.store,
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
        parts.store,
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
        ),
    )
    overlap = shop.catalog.overlap
    inventory = Inventory(
        ledger,
        parts.store,
        parts.marketplace,
        shared.failures,
        rules,
        overlap,
        dry_run=shared.dry_run,
    )
    price = Price(
        ledger,
        parts.store,
        parts.marketplace,
        shared.failures,
        market,
        overlap,
        dry_run=shared.dry_run,
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
