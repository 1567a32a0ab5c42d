"""Prometheus metrics. One `Metrics` per daemon, on its own registry (tests build many)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


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

    def render(self) -> bytes:
        return generate_latest(self.registry)
