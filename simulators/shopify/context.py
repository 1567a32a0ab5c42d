"""The simulated shop as a whole: data, clock, bucket, faults, webhooks and the call log."""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiohttp import web

from simulators.kit import CallLog, FaultInjector, SimClock
from simulators.shopify.bulk import BulkOperations
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.graphql_cost import PointsBuckets
from simulators.shopify.records import LocationRec
from simulators.shopify.state import ShopState
from simulators.shopify.throttle import Buckets
from simulators.shopify.times import fmt_time, shop_zone
from simulators.shopify.webhooks import ShopifyWebhooks


class Shop:
    """Everything one simulator instance holds; handlers reach it through `SHOP`."""

    def __init__(self, config: ShopifySimulatorConfig) -> None:
        self.config = config
        self.zone = shop_zone(config.utc_offset_minutes)
        self.clock = SimClock()
        self.state = ShopState(next_order_number=config.first_order_number)
        self.webhooks = ShopifyWebhooks(config, self.clock, self.zone, config.fault_seed)
        self.buckets = Buckets(config.bucket_size, config.leak_rate)
        self.faults = FaultInjector(config.fault_seed)
        self.calls = CallLog(self.clock)
        self.tokens: set[str] = {config.access_token}
        # GraphQL: the points bucket of each token, and the scopes of tokens granted fewer
        # than all (a token not listed holds every scope the simulator knows).
        self.points = PointsBuckets(config.graphql_restore_rate)
        self.scopes: dict[str, frozenset[str]] = {}
        self.bulk = BulkOperations(self)
        self.stopping = asyncio.Event()
        for name in config.locations:
            self.add_location(name)

    @property
    def base_url(self) -> str:
        """Where the server listens (links in answers use it); set when it starts."""
        return self.state.base_url or ""

    @base_url.setter
    def base_url(self, value: str) -> None:
        self.state.base_url = value

    def now(self) -> datetime:
        """The simulated moment, in whole seconds (Shopify's timestamps have no fraction)."""
        return self.clock.moment()

    def fmt(self, moment: datetime | None) -> str | None:
        return fmt_time(moment, self.zone)

    def tick(self) -> None:
        """Fire what fell due on the clock: webhook retries and redeliveries."""
        self.webhooks.sender.fire_due()

    def add_location(
        self,
        name: str,
        *,
        active: bool = True,
        country_code: str = "GB",
        city: str | None = None,
        location_id: int | None = None,
    ) -> LocationRec:
        ids = self.state.ids
        new_id = ids.take("location") if location_id is None else ids.claim("location", location_id)
        now = self.now()
        location = LocationRec(
            id=new_id,
            name=name,
            active=active,
            address1=None,
            city=city,
            zip=None,
            country_code=country_code,
            created_at=now,
            updated_at=now,
        )
        self.state.locations[new_id] = location
        return location


SHOP = web.AppKey("shopify_simulation", Shop)


def shop_of(request: web.Request) -> Shop:
    return request.app[SHOP]
