"""What the daemon knows about each (shop, job): last success, last failure, streak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from daemon.jobs.progress import ProgressBoard


@dataclass
class JobHealth:
    last_success: datetime | None = None
    last_failure: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    running: bool = False


@dataclass
class ShopHealth:
    """What the last connection check learned about a shop's marketplace authorisation."""

    authorization_expires_at: datetime | None = None
    seller_name: str | None = None
    tiktok_shop_id: str | None = None


@dataclass
class HealthBoard:
    """Shared between the job runner (writer) and the HTTP server (reader)."""

    jobs: dict[tuple[str, str], JobHealth] = field(default_factory=dict)
    shops: dict[str, ShopHealth] = field(default_factory=dict)
    progress: ProgressBoard = field(default_factory=ProgressBoard)  # full passes under way

    def shop(self, shop_id: str) -> ShopHealth:
        return self.shops.setdefault(shop_id, ShopHealth())

    def job(self, shop_id: str, job: str) -> JobHealth:
        return self.jobs.setdefault((shop_id, job), JobHealth())

    def succeeded(self, shop_id: str, job: str, at: datetime) -> bool:
        """Record a success; True when the job was failing before (a recovery)."""
        health = self.job(shop_id, job)
        recovered = health.consecutive_failures > 0
        health.last_success = at
        health.consecutive_failures = 0
        return recovered

    def failed(self, shop_id: str, job: str, at: datetime, error: str) -> bool:
        """Record a failure; True when this starts a failing streak (a transition)."""
        health = self.job(shop_id, job)
        health.last_failure = at
        health.last_error = error
        health.consecutive_failures += 1
        return health.consecutive_failures == 1
