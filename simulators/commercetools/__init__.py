"""A faithful commercetools HTTP API simulator, for tests, demos and benchmarks.

Serves one project at ``/{projectKey}/...`` and the auth host's ``/oauth/token`` (client
credentials, scopes, expiring tokens): product projections with ``staged`` and price
selection, channels, categories, inventory entries per supply channel with reservations,
Order Import with unique order numbers and inventory modes, orders by id and by order number,
update actions under optimistic concurrency, custom types, and the Messages API when enabled.
Queries take ``where`` predicates, ``sort``, ``limit`` (max 500) and ``offset`` (max 10,000).
Offers the kit's ``/_sim/`` controls, its own ``/_sim/commercetools/`` ones and the neutral
store API (``/_sim/store/``); `start_store` starts it from a neutral `StoreSeed`. See
docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.commercetools.app import CommercetoolsSimulator, create_app
from simulators.commercetools.config import CommercetoolsSimulatorConfig, scopes_for
from simulators.commercetools.start import SAMPLE_OPTIONS, RunningCommercetools, start_store

__all__ = [
    "SAMPLE_OPTIONS",
    "CommercetoolsSimulator",
    "CommercetoolsSimulatorConfig",
    "RunningCommercetools",
    "create_app",
    "scopes_for",
    "start_store",
]
