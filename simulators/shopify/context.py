"""The simulated shop as a whole: data, clock, bucket, faults, webhooks and the call log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from simulators.shopify.clock import SimClock
from simulators.shopify.config import ShopifySimulatorConfig
from simulators.shopify.faults import FaultInjector
from simulators.shopify.records import LocationRec
from simulators.shopify.state import ShopState
from simulators.shopify.throttle import Buckets
from simulators.shopify.times import fmt_time, shop_zone
from simulators.shopify.webhooks import WebhookSender


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One request the simulator received on the Admin API."""

    seq: int
    method: str
    path: str
    query: dict[str, str]
    endpoint: str
    status: int
    at: str  # simulator time
    fault: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "endpoint": self.endpoint,
            "status": self.status,
            "at": self.at,
            "fault": self.fault,
        }


class CallLog:
    def __init__(self) -> None:
        self.records: list[CallRecord] = []
        self._seq = 0

    def add(self, **fields: Any) -> None:
        self._seq += 1
        self.records.append(CallRecord(seq=self._seq, **fields))

    def select(
        self,
        *,
        method: str | None = None,
        path_prefix: str | None = None,
        endpoint: str | None = None,
        status: int | None = None,
        since: int = 0,
    ) -> list[CallRecord]:
        return [
            record
            for record in self.records
            if record.seq > since
            and (method is None or record.method == method.upper())
            and (path_prefix is None or record.path.startswith(path_prefix))
            and (endpoint is None or record.endpoint == endpoint)
            and (status is None or record.status == status)
        ]

    def clear(self) -> None:
        self.records.clear()


class Shop:
    """Everything one simulator instance holds; handlers reach it through `SHOP`."""

    def __init__(self, config: ShopifySimulatorConfig) -> None:
        self.config = config
        self.zone = shop_zone(config.utc_offset_minutes)
        self.clock = SimClock()
        self.state = ShopState(next_order_number=config.first_order_number)
        self.webhooks = WebhookSender(config, self.clock, self.zone, config.fault_seed)
        self.buckets = Buckets(config.bucket_size, config.leak_rate)
        self.faults = FaultInjector(config.fault_seed, config.hang_seconds)
        self.calls = CallLog()
        self.tokens: set[str] = {config.access_token}
        self.stopping = asyncio.Event()
        for name in config.locations:
            self.add_location(name)

    def now(self) -> datetime:
        return self.clock.now()

    def fmt(self, moment: datetime | None) -> str | None:
        return fmt_time(moment, self.zone)

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
