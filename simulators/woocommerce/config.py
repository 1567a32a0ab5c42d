"""What one WooCommerce simulator is started with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WooSimulatorConfig:
    shop_name: str = "WooCommerce simulator"
    currency: str = "GBP"
    # WooCommerce core keeps stock at one place: the first name is the store's one location.
    locations: tuple[str, ...] = ("Store",)
    webhook_url: str | None = None
    consumer_key: str = "ck_simulator_key"
    consumer_secret: str = "cs_simulator_secret"  # noqa: S105 a simulator default, not a secret
    key_permissions: str = "read_write"  # read, write or read_write, as the admin grants
    webhook_secret: str = "sim-webhook-secret"  # noqa: S105 a simulator default, not a secret
    shipment_tracking: bool = True  # the Shipment Tracking extension is active
    tls: bool = False  # serve HTTPS with a trustme CA (Basic auth); plain HTTP takes OAuth 1.0a
    fault_seed: int = 0
    tick_interval_seconds: float = 0.05
