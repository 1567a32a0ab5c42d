"""Pure domain types and rules: no I/O, no clock."""

from __future__ import annotations

from daemon.domain.status import EntityOutcome, OrderPhase, ProductStatus, RunOutcome

__all__ = ["EntityOutcome", "OrderPhase", "ProductStatus", "RunOutcome"]
