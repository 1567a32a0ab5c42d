"""Magento's pacing on the shared transport: Magento itself has no rate limit, so the shared
`PausePacing` waits out the ``Retry-After`` of a 429 (from a proxy in front of the store)."""

from __future__ import annotations

from daemon.connectors.transport import PausePacing

__all__ = ["PausePacing"]
