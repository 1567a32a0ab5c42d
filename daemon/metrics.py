"""Prometheus metrics. One `Metrics` per daemon, on its own registry (tests build many)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# A webhook-driven change takes about a second; a polled one up to its schedule; a change
# waiting in the retry queue or for the listing quota, hours.
_PROPAGATION_BUCKETS = (
    0.5,
    1.0,
    2.0,
    5.0,
    10.0,
    30.0,
    60.0,
    120.0,
    300.0,
    600.0,
    1800.0,
    3600.0,
    21600.0,
    86400.0,
)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.job_runs = Counter(
            "ttsync_job_runs",
            "Job runs by shop, job and outcome.",
            ["shop", "job", "outcome"],
            registry=self.registry,
        )
        self.job_failures = Counter(
            "ttsync_job_failures",
            "Failed job runs by shop and job.",
            ["shop", "job"],
            registry=self.registry,
        )
        self.job_duration = Histogram(
            "ttsync_job_duration_seconds",
            "Wall time of job runs.",
            ["shop", "job"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.last_success = Gauge(
            "ttsync_job_last_success_timestamp_seconds",
            "Unix time of the last successful run.",
            ["shop", "job"],
            registry=self.registry,
        )
        self.retry_queue_depth = Gauge(
            "ttsync_retry_queue_depth",
            "Records waiting in the retry queue; parked ones wait for a person.",
            ["shop", "parked"],
            registry=self.registry,
        )
        self.records_parked = Counter(
            "ttsync_records_parked",
            "Records parked after too many failed attempts.",
            ["shop", "job"],
            registry=self.registry,
        )
        self.http_calls = Counter(
            "ttsync_http_calls",
            "Outbound HTTP calls by platform, endpoint and status ('error' when none came).",
            ["platform", "endpoint", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "ttsync_http_call_duration_seconds",
            "Outbound HTTP call latency by platform and endpoint.",
            ["platform", "endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.wal_bytes = Gauge(
            "ttsync_ledger_wal_bytes",
            "Size of the ledger's write-ahead log.",
            registry=self.registry,
        )

        self.products = Gauge(
            "ttsync_products",
            "Products in the ledger by shop and status.",
            ["shop", "status"],
            registry=self.registry,
        )
        self.orders = Gauge(
            "ttsync_orders",
            "TikTok orders in the ledger by shop and import phase.",
            ["shop", "phase"],
            registry=self.registry,
        )
        self.orders_blocked = Gauge(
            "ttsync_orders_blocked",
            "Orders blocked from import, by shop and cause (unlinked SKU, refused by the store).",
            ["shop", "cause"],
            registry=self.registry,
        )
        self.propagation = Histogram(
            "ttsync_propagation_seconds",
            "From a store change seen (the run's read of the store, or the webhook's arrival) "
            "to TikTok's acceptance of it, by shop and job.",
            ["shop", "job"],
            buckets=_PROPAGATION_BUCKETS,
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
