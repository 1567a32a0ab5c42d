"""commercetools' pacing on the shared transport: no general request-rate limit is published,
so the shared `PausePacing` only waits out the ``Retry-After`` of a 429."""

from __future__ import annotations

from daemon.connectors.transport import PausePacing

__all__ = ["PausePacing"]
