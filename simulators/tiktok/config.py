"""Configuration of the TikTok Shop simulator: limits, timings and review rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

DAY = 86_400
HOUR = 3_600


@dataclass(frozen=True, slots=True)
class ReviewRules:
    """How the simulated audit decides between ``ACTIVATE`` and ``FAILED``.

    A product fails review when its title or description contains a banned word
    (case-insensitive), when its title is shorter than `min_title_length`, or always when
    `fail_all` is set. Each failure becomes one entry of ``audit_failed_reasons``.
    """

    banned_words: tuple[str, ...] = ("counterfeit", "replica")
    min_title_length: int = 0
    fail_all: bool = False
    fail_all_reason: str = "The product violates the platform's listing policy."


@dataclass(frozen=True, slots=True)
class PriceRange:
    """Allowed sale price range for one currency (inclusive)."""

    currency: str
    minimum: Decimal
    maximum: Decimal


def _default_price_ranges() -> tuple[PriceRange, ...]:
    return (
        PriceRange("GBP", Decimal("0.01"), Decimal(5600)),
        PriceRange("EUR", Decimal("0.01"), Decimal(7000)),
        PriceRange("USD", Decimal("0.01"), Decimal(7600)),
    )


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """Everything that shapes the simulator's behaviour; the defaults follow DOMAIN.md section 11.

    Times are seconds on the simulator clock (real time plus a controllable offset).
    """

    app_key: str
    app_secret: str
    max_quantity: int = 99_999
    min_quantity: int = 0
    rate_limit_per_second: float = 50.0
    on_hold_seconds: float = float(HOUR)
    review_seconds: float = 60.0
    review_rules: ReviewRules = field(default_factory=ReviewRules)
    webhook_url: str | None = None
    access_token_lifetime_seconds: int = 7 * DAY
    refresh_token_lifetime_seconds: int = 365 * DAY
    auth_code_lifetime_seconds: int = 30 * 60
    authorization_lifetime_seconds: int = 365 * DAY
    max_skus_per_product: int = 300
    max_main_images: int = 9
    price_ranges: tuple[PriceRange, ...] = field(default_factory=_default_price_ranges)
    shipping_info_update_window_seconds: int = 72 * HOUR
    buyer_cancel_response_seconds: int = 2 * DAY
    refund_complete_seconds: int = 60
    max_search_results: int = 10_000
    max_image_bytes: int = 5 * 1024 * 1024
    min_image_side: int = 300
    max_image_side: int = 4_000
    seed: int = 0
    webhook_timeout_seconds: float = 3.0
    webhook_retry_delays_seconds: tuple[int, ...] = (120, 1_800, 3 * HOUR, 12 * HOUR)
    tick_interval_seconds: float = 0.25
    max_recorded_calls: int = 200_000
    clock_offset_seconds: float = 0.0
    # New products a shop may create per `listing_quota_window_seconds` (None: no limit). Real
    # shops have one (1,000-3,000 uploads a day for new shops); over it, Create Product is
    # refused with `LISTING_QUOTA_EXCEEDED` and Check Listing Prerequisites fails its
    # PRODUCT_QUANTITY_LIMIT item.
    listing_quota: int | None = None
    listing_quota_window_seconds: int = DAY
    #: What the ``timestamp`` window is checked against. "simulator" (the default) is faithful:
    #: a client must sign with simulator time. "real" lets a client on the wall clock keep
    #: working after a test moved the simulator clock forward.
    timestamp_reference: Literal["simulator", "real"] = "simulator"

    def price_range(self, currency: str) -> PriceRange | None:
        for price_range in self.price_ranges:
            if price_range.currency == currency:
                return price_range
        return None
