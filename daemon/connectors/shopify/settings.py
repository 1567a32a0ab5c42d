"""The ``[shops.store]`` table of a Shopify store (``kind = "shopify"``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from pydantic import Field

from daemon.config_types import Secret
from daemon.connectors.store_kind import StoreSettings

PLAN_RESTORE_RATES = {"standard": 100.0, "advanced": 200.0, "plus": 1000.0, "enterprise": 2000.0}


class ShopifySettings(StoreSettings):
    RETIRED: ClassVar[Mapping[str, str]] = {
        "leak_rate": "it paced REST calls, and every Shopify call is GraphQL now, paced by "
        "`plan` or `restore_rate`: remove it",
    }

    kind: Literal["shopify"] = "shopify"
    shop_domain: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
    base_url: str | None = None  # overrides https://{shop_domain}, e.g. for the simulator
    api_version: str = Field(default="2026-10", pattern=r"^\d{4}-\d{2}$")
    access_token: Secret
    webhook_secret: Secret | None = None
    # The shop's plan sets the GraphQL points restored per second (every call is GraphQL):
    # standard 100, advanced 200, plus 1,000; `restore_rate` overrides it.
    plan: Literal["standard", "advanced", "plus", "enterprise"] = "standard"
    restore_rate: float | None = Field(default=None, gt=0)
    leak_rate: float | None = Field(default=None, gt=0)  # retired: read, then ignored
    # Whole reads (reconciliations) through bulk operations; off reads page by page.
    bulk_reads: bool = True

    @property
    def points_per_second(self) -> float:
        return self.restore_rate or PLAN_RESTORE_RATES[self.plan]
