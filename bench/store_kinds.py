"""What the store-neutral benchmarks need to know of each store kind, as data.

The benchmarks (`bench_store_reconcile.py`, `bench_store_latency.py`, `bench_store_polling.py`)
run one flow for every kind here, each from its own demo config (`store_harness.StoreSetup`)
and its simulator's neutral control API; this table holds only what differs: the store's
documented request window, the simulator's own route that points its webhooks, the
``[shops.store]`` keys a benchmark sets, the store endpoints worth counting on their own, and
the latency catalog's shape. Shopify has benchmarks of its own (`bench_reconcile.py`,
`bench_latency.py`); SFCC's feeds are files on WebDAV (`bench_sfcc.py`).

``TTSYNC_BENCH_SCALE`` (default 1) scales the product counts, for a quick check on a busy
machine: ``TTSYNC_BENCH_SCALE=0.05 bench/run.py store_reconcile``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

SCALE = float(os.environ.get("TTSYNC_BENCH_SCALE", "1"))


def scaled(count: int, least: int = 1) -> int:
    """`count` times ``TTSYNC_BENCH_SCALE``, at least `least`."""
    return max(least, round(count * SCALE))


@dataclass(frozen=True)
class Window:
    """A documented request window: `quota` calls per `seconds`. The simulator enforces it
    (``PUT /_sim/<control>`` with ``quota`` and ``window_ms``); the connector is told the
    quota by the ``[shops.store]`` key `config_key` and paces by the store's answers."""

    quota: int
    seconds: int
    control: str
    config_key: str


@dataclass(frozen=True)
class KindBench:
    kind: str
    # [shops.store] keys a benchmark sets beyond the demo config's.
    store: Mapping[str, object] = field(default_factory=dict)
    window: Window | None = None
    # The simulator's own route that points its webhooks (``{"url": ...}``): method, path.
    webhooks: tuple[str, str] | None = None
    # Figure name -> a store endpoint (as the simulator's call log names it) counted on its own.
    counted: Mapping[str, str] = field(default_factory=dict)
    # The latency catalog: variants per published product, unmapped products beside them
    # (every inventory poll reads their stock too), the polling path's inventory interval.
    latency_variants: int = 3
    latency_filler: int = 0
    poll_s: int = 2


KINDS: Mapping[str, KindBench] = {
    entry.kind: entry
    for entry in (
        # Core WooCommerce documents no rate limit; a pass reads 100 products a page and the
        # variations of every variable product (one call each, `concurrency` at a time).
        KindBench(
            "woocommerce",
            store={"concurrency": 8},
            webhooks=("POST", "webhook"),
            counted={"store_variation_calls": "variations.list"},
        ),
        # Standard and Plus plans: 150 calls per 30 s window.
        KindBench(
            "bigcommerce",
            window=Window(150, 30, control="rate_limit", config_key="requests_quota"),
            webhooks=("PUT", "webhook_url"),
        ),
        # No webhooks, no published request limit: polling over a 10,000-SKU store.
        KindBench("magento", latency_variants=1, latency_filler=9_976, poll_s=10),
        KindBench("commercetools", latency_variants=1, latency_filler=9_976, poll_s=10),
    )
}
