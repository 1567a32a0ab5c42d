"""A BigCommerce simulator (V3 catalog and inventory, V2 orders) for tests, demos and
benchmarks.

Serves ``/stores/{store_hash}/v3/...`` and ``/v2/...`` behind ``X-Auth-Token`` with scopes and
BigCommerce's fixed rate window, sends lightweight webhooks signed per Standard Webhooks, and
offers a ``/_sim/`` control API and the kit's neutral store API (``/_sim/store/``);
`start_store` starts it from a neutral `StoreSeed`. See docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.bigcommerce.app import BigCommerceSimulator, create_app
from simulators.bigcommerce.config import BigCommerceSimulatorConfig
from simulators.bigcommerce.start import SAMPLE_OPTIONS, RunningBigCommerce, start_store
from simulators.bigcommerce.webhooks import secret_key, standard_signature

__all__ = [
    "SAMPLE_OPTIONS",
    "BigCommerceSimulator",
    "BigCommerceSimulatorConfig",
    "RunningBigCommerce",
    "create_app",
    "secret_key",
    "standard_signature",
    "start_store",
]
