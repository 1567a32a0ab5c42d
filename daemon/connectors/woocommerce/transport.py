"""WooCommerce's pacing on the shared transport: WooCommerce has no rate limit of its own, so
the shared `PausePacing` waits out the ``Retry-After`` of a 429 from something in front of the
store (a host's firewall, a CDN); every call waits, not only the one retried, since such limits
count the whole site's traffic."""

from __future__ import annotations

from daemon.connectors.transport import PausePacing

__all__ = ["PausePacing"]
