"""The Shopify connector's transport settings: timeouts, retry bounds, pacing by query cost
and bulk reads. Every call goes through `graphql.GraphQL` on the shared transport policy
(`daemon.connectors.transport.send`); the access token sits in the session's headers and
never in a URL, a log line or an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from daemon.connectors.transport import RetrySettings

PLATFORM = "shopify"


@dataclass(frozen=True)
class ShopifyClientOptions:
    """Timeouts, retry bounds, pacing and batch sizes of the Shopify connector.

    `retry` bounds the repeats of one call (the shared `RetrySettings`). `restore_rate` is
    the shop plan's GraphQL points per second (Standard 100, Advanced 200, Plus 1,000).
    `bulk` reads whole catalogs and stock through bulk operations, polled every
    `bulk_poll_interval` seconds at most, given up (and cancelled) after `bulk_timeout`.
    """

    request_timeout: timedelta = timedelta(seconds=30)
    retry: RetrySettings = field(default_factory=RetrySettings)
    locations_ttl: timedelta = timedelta(minutes=5)  # how long a read of the locations is used
    restore_rate: float = 100.0
    bulk: bool = True
    bulk_over: int = 16  # changes to more products than this (two pages) are read in bulk
    bulk_poll_interval: float = 1.0
    bulk_timeout: timedelta = timedelta(minutes=30)
