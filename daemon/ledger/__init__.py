"""The ledger: all SQL lives in this package. Import the repository modules by name."""

from __future__ import annotations

from daemon.ledger import (
    cursors,
    feeds,
    observed,
    orders,
    products,
    pushed,
    resync,
    retry,
    returns,
    runs,
    shops,
    stock,
    webhooks,
)
from daemon.ledger.db import Ledger, Migration, Tx, bundled_migrations

__all__ = [
    "Ledger",
    "Migration",
    "Tx",
    "bundled_migrations",
    "cursors",
    "feeds",
    "observed",
    "orders",
    "products",
    "pushed",
    "resync",
    "retry",
    "returns",
    "runs",
    "shops",
    "stock",
    "webhooks",
]
