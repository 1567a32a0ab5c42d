"""Configuration of the BigCommerce simulator (V3 catalog and inventory, V2 orders)."""

from __future__ import annotations

from dataclasses import dataclass

#: BigCommerce retries a failed webhook after these delays (docs/integrations/webhooks).
WEBHOOK_RETRY_DELAYS_SECONDS = (
    60.0,
    180.0,
    300.0,
    600.0,
    900.0,
    1800.0,
    3600.0,
    7200.0,
    21600.0,
    50400.0,
    86400.0,
)

#: Scopes a full-access API account holds (the simulator's default token).
FULL_SCOPES = (
    "store_v2_products",
    "store_inventory",
    "store_v2_orders",
    "store_v2_information_read_only",
)


@dataclass(frozen=True, slots=True)
class BigCommerceSimulatorConfig:
    """Everything that shapes the simulator.

    `access_token` is the API account's token and `scopes` what it may do. The rate limit is
    BigCommerce's fixed window: `requests_quota` calls per `window_ms` per store (Standard and
    Plus plans: 150 per 30 s). `client_secret` is the app's client secret: webhooks are signed
    with base64 of it, as the Standard Webhooks library is given it.
    """

    store_hash: str = "simstore1"
    access_token: str = "bc_simulator_token"  # noqa: S105 a fixed fake credential
    client_id: str = "bc_simulator_client"
    client_secret: str = "bc_simulator_client_secret"  # noqa: S105 a fixed fake credential
    scopes: tuple[str, ...] = FULL_SCOPES
    store_name: str = "Simulated BigCommerce Store"
    domain: str = "simstore1.mybigcommerce.com"
    currency: str = "GBP"
    locations: tuple[str, ...] = ("Default location",)
    requests_quota: int = 150
    window_ms: int = 30_000
    webhook_url: str | None = None
    webhook_timeout_seconds: float = 5.0
    webhook_retry_delays_seconds: tuple[float, ...] = WEBHOOK_RETRY_DELAYS_SECONDS
    webhook_redeliver_every: int = 10
    webhook_redeliver_after_seconds: float = 60.0
    default_limit: int = 50
    max_limit: int = 250
    max_in_ids: int = 250  # ids in one ``:in`` filter
    first_order_id: int = 100
    fault_seed: int = 0
    tick_interval_seconds: float = 0.25
