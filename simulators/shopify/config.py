"""Configuration of the Shopify Admin REST simulator; the defaults follow DOMAIN.md section 12."""

from __future__ import annotations

from dataclasses import dataclass

# Versions the simulator serves as themselves; a well-formed version outside this list falls
# forward to the oldest one listed, as Shopify does with retired versions.
# At the end of 2026 Shopify supports the stable versions of the last twelve months or so.
SUPPORTED_VERSIONS = ("2025-10", "2026-01", "2026-04", "2026-07", "2026-10")

# Shopify retries a failed webhook 8 times over about 4 hours with exponential backoff
# (DOMAIN.md section 12.2); the delays themselves are not published: these double from one minute.
WEBHOOK_RETRY_DELAYS_SECONDS = tuple(60.0 * 2**attempt for attempt in range(8))


@dataclass(frozen=True, slots=True)
class ShopifySimulatorConfig:
    """Everything that shapes the simulator's behaviour.

    Limits: `default_limit`/`max_limit` apply to every paginated list; `max_ids` caps an
    ``ids=`` filter; `max_inventory_item_ids` caps ``inventory_items.json?ids=``;
    `max_level_ids` caps each of ``inventory_item_ids`` and ``location_ids`` on
    ``inventory_levels.json``. The REST leaky bucket holds `bucket_size` calls per access token and
    leaks `leak_rate` calls per second. `utc_offset_minutes` is the shop's time zone, used when
    timestamps are rendered (``2026-11-23T09:00:00-04:00``). A failed webhook is retried after
    each of `webhook_retry_delays_seconds` (simulator time); every `webhook_redeliver_every`-th
    delivered webhook (0 = none) comes again `webhook_redeliver_after_seconds` later, with the
    same ``X-Shopify-Webhook-Id``, as Shopify's at-least-once delivery does.
    """

    shop_domain: str = "sim-shop.myshopify.com"
    access_token: str = "shpat_simulator_token"  # noqa: S105 a fixed fake credential
    api_version: str = "2026-10"
    supported_versions: tuple[str, ...] = SUPPORTED_VERSIONS
    shop_name: str = "Simulated Shop"
    currency: str = "GBP"
    utc_offset_minutes: int = 0
    bucket_size: int = 40
    leak_rate: float = 2.0
    # GraphQL points restored per second (Standard 100, Advanced 200, Plus 1,000); the bucket
    # holds twenty seconds of them.
    graphql_restore_rate: float = 100.0
    webhook_url: str | None = None
    webhook_secret: str = "sim-webhook-secret"  # noqa: S105 a fixed fake credential
    webhook_timeout_seconds: float = 5.0
    webhook_retry_delays_seconds: tuple[float, ...] = WEBHOOK_RETRY_DELAYS_SECONDS
    webhook_redeliver_every: int = 10
    webhook_redeliver_after_seconds: float = 60.0
    default_limit: int = 50
    max_limit: int = 250
    max_ids: int = 250
    max_inventory_item_ids: int = 100
    max_level_ids: int = 50
    locations: tuple[str, ...] = ("Main warehouse",)
    fault_seed: int = 0
    hang_seconds: float = 30.0
    first_order_number: int = 1001
    tick_interval_seconds: float = 0.25  # how often due webhook retries fire unasked
    # How long an ``orderCancel`` job runs after the mutation answers (0: done at once).
    cancel_job_seconds: float = 0.0
