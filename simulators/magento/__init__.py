"""A faithful Magento 2 (Open Source 2.4) REST simulator with MSI, for tests, demos and
benchmarks.

Serves ``/rest/{store code}/V1/...`` and ``/rest/V1/...`` behind an integration's bearer token
and its ACL resources: product, attribute and category searches with ``searchCriteria``,
configurable children, MSI sources, source items and salable quantities, orders saved through
the order repository, invoices, shipments with tracks, cancels and comments. No webhooks (Open
Source has none). Offers the kit's ``/_sim/`` controls, its own ``/_sim/magento/`` ones and the
neutral store API (``/_sim/store/``); `start_store` starts it from a neutral `StoreSeed`. See
docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.magento.app import MagentoSimulator, create_app
from simulators.magento.config import ALL_RESOURCES, MagentoSimulatorConfig
from simulators.magento.start import SAMPLE_OPTIONS, RunningMagento, start_store

__all__ = [
    "ALL_RESOURCES",
    "SAMPLE_OPTIONS",
    "MagentoSimulator",
    "MagentoSimulatorConfig",
    "RunningMagento",
    "create_app",
    "start_store",
]
